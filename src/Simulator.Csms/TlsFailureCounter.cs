using System.Security.Authentication;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Simulator.Csms;

/// <summary>
/// Counts failed TLS handshakes by cause. Kestrel's TLS layer ends a failed handshake itself and only logs it (at Debug,
/// under <see cref="Category"/>), so this logger provider sits in the OCPP host and reads those events; a connection
/// middleware in front of TLS marks the handshakes whose client certificate the CSMS's own validation refused.
/// </summary>
internal sealed class TlsFailureCounter(CsmsStats stats, CsmsLog log) : ILoggerProvider
{
    public const string Category = "Microsoft.AspNetCore.Server.Kestrel.Https";

    private static readonly AsyncLocal<Attempt?> Current = new();

    /// <summary>Connection middleware (before UseHttps): one <see cref="Attempt"/> per connection for the validation callback to mark.</summary>
    public static ConnectionDelegate Track(ConnectionDelegate next) => connection =>
    {
        Current.Value = new Attempt();
        return next(connection);
    };

    /// <summary>Called by the client certificate validation when it refuses a certificate.</summary>
    public static void NoteClientCertificateRejected()
    {
        if (Current.Value is { } attempt)
        {
            attempt.CertificateRejected = true;
        }
    }

    public ILogger CreateLogger(string categoryName)
        => categoryName.StartsWith(Category, StringComparison.Ordinal) ? new Counter(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private void Count(EventId eventId, Exception? exception)
    {
        var name = eventId.Name ?? "";
        string cause;
        if (name.Contains("TimedOut", StringComparison.Ordinal) || exception is OperationCanceledException or TimeoutException)
        {
            stats.TlsTimedOut();
            cause = "the handshake timed out";
        }
        else if (Current.Value is { CertificateRejected: true })
        {
            stats.TlsClientCertificateRejected();
            cause = "the client certificate was refused";
        }
        else if (exception is AuthenticationException && exception.Message.Contains("RemoteCertificateValidationCallback", StringComparison.Ordinal))
        {
            // On the server the remote certificate is the client's: profile 3 requires one and none came.
            stats.TlsClientCertificateRejected();
            cause = "no client certificate (profile 3 requires one)";
        }
        else if (exception is IOException { InnerException: null } || exception?.InnerException is IOException or System.Net.Sockets.SocketException)
        {
            stats.TlsPeerClosed();
            cause = "the peer closed the connection during the handshake";
        }
        else if (exception is AuthenticationException && exception.Message.Contains("frame", StringComparison.OrdinalIgnoreCase))
        {
            // SslStream could not read a TLS record: "Cannot determine the frame size or a corrupted frame was received".
            stats.TlsNotTls();
            cause = "the peer did not speak TLS";
        }
        else if (exception is not null)
        {
            stats.TlsFailed();
            cause = $"the handshake failed ({exception.GetType().Name}: {exception.Message}{(exception.InnerException is { } inner ? $" / {inner.Message}" : "")})";
        }
        else
        {
            return;
        }
        log.Report(LogLevel.Information, "tls handshake refused", cause);
    }

    private sealed class Attempt
    {
        public bool CertificateRejected { get; set; }
    }

    private sealed class Counter(TlsFailureCounter owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (exception is not null || (eventId.Name?.Contains("TimedOut", StringComparison.Ordinal) ?? false))
            {
                owner.Count(eventId, exception);
            }
        }
    }
}
