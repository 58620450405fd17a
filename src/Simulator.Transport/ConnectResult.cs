using System.Diagnostics.CodeAnalysis;

namespace Simulator.Transport;

/// <summary>Where in the connect sequence a failure happened.</summary>
public enum ConnectPhase
{
    Dns,
    Tcp,
    Tls,
    Upgrade,
}

/// <summary>The class of a failed connect.</summary>
public enum ConnectFailureKind
{
    /// <summary>TCP RST / ECONNREFUSED: nothing listens.</summary>
    Refused,

    /// <summary>The connect timeout passed (see <see cref="ConnectFailure.Phase"/> for where).</summary>
    Timeout,

    /// <summary>The server answered the upgrade with a status other than 101.</summary>
    HttpStatus,

    /// <summary>The TLS handshake failed; see <see cref="ConnectFailure.TlsReason"/>.</summary>
    TlsFailure,

    /// <summary>The server answered 101 without agreeing to the requested subprotocol.</summary>
    SubprotocolRejected,

    /// <summary>The server's answer broke RFC 6455 / HTTP (bad Sec-WebSocket-Accept, missing Upgrade header, garbage ...).</summary>
    ProtocolViolation,

    /// <summary>The host name did not resolve (or to no address of a usable family).</summary>
    Dns,

    /// <summary>No route to the host or its network (EHOSTUNREACH, ENETUNREACH).</summary>
    Unreachable,

    /// <summary>The server closed or reset the connection without answering the upgrade, for no reason that could be told.</summary>
    Closed,

    /// <summary>Any other network failure.</summary>
    NetworkError,
}

/// <summary>What can be told about a failed TLS handshake.</summary>
public enum TlsFailureReason
{
    None,

    /// <summary>The server chain does not end in a trusted root (or is otherwise invalid: expired, bad signature ...).</summary>
    UntrustedServerCertificate,

    /// <summary>The server certificate does not match the host of the URI.</summary>
    HostNameMismatch,

    /// <summary>The server presented no certificate.</summary>
    NoServerCertificate,

    /// <summary>No TLS version acceptable to both sides (alert protocol_version / unsupported protocol).</summary>
    ProtocolVersion,

    /// <summary>No cipher suite acceptable to both sides, where the platform says so distinguishably.</summary>
    CipherSuite,

    /// <summary>A handshake failure the platform does not explain (alert handshake_failure: cipher, curve, client certificate ...).</summary>
    HandshakeFailure,

    /// <summary>The server rejected the client certificate (alerts bad_certificate, unknown_ca, certificate_required ...).</summary>
    ClientCertificateRejected,

    /// <summary>A plain ws:// connection to a port that speaks TLS: use wss://.</summary>
    ServerExpectsTls,

    /// <summary>A wss:// connection to a port that answered the TLS hello in plain text (e.g. HTTP): the port does not speak TLS.</summary>
    NotTls,

    /// <summary>Anything else.</summary>
    Other,
}

/// <summary>Monotonic durations of the connect phases (Stopwatch.GetTimestamp based). Zero for phases not reached or not used.</summary>
public readonly record struct ConnectTimings(TimeSpan Tcp, TimeSpan Tls, TimeSpan Upgrade)
{
    public TimeSpan Total => Tcp + Tls + Upgrade;
}

/// <summary>A classified connect failure. <see cref="Detail"/> never contains credentials.</summary>
public sealed record ConnectFailure
{
    internal ConnectFailure(ConnectFailureKind kind, ConnectPhase phase, string detail)
    {
        Kind = kind;
        Phase = phase;
        Detail = detail;
    }

    public ConnectFailureKind Kind { get; }

    public ConnectPhase Phase { get; }

    /// <summary>HTTP status of an <see cref="ConnectFailureKind.HttpStatus"/> failure.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The reason phrase that came with <see cref="StatusCode"/> ("Unauthorized"), as the server wrote it; empty when it wrote none.</summary>
    public string? ReasonPhrase { get; init; }

    public TlsFailureReason TlsReason { get; init; }

    /// <summary>Whether Basic credentials were sent with the upgrade request.</summary>
    public bool BasicAuthSent { get; init; }

    /// <summary>Human-readable, credential-free explanation.</summary>
    public string Detail { get; }

    /// <summary>Short stable label for metrics: "refused", "timeout", "dns", "http_401", "tls_certificate", "tls_expected", ...</summary>
    public string Cause => Kind switch
    {
        ConnectFailureKind.Refused => "refused",
        ConnectFailureKind.Timeout => "timeout",
        ConnectFailureKind.HttpStatus => StatusCode is int code ? HttpCause(code) : "http_other",
        ConnectFailureKind.TlsFailure => TlsReason switch
        {
            TlsFailureReason.UntrustedServerCertificate => "tls_certificate",
            TlsFailureReason.HostNameMismatch => "tls_hostname",
            TlsFailureReason.NoServerCertificate => "tls_no_certificate",
            TlsFailureReason.ProtocolVersion => "tls_version",
            TlsFailureReason.CipherSuite => "tls_cipher",
            TlsFailureReason.HandshakeFailure => "tls_handshake",
            TlsFailureReason.ClientCertificateRejected => "tls_client_certificate",
            TlsFailureReason.ServerExpectsTls => "tls_expected",
            TlsFailureReason.NotTls => "tls_not_offered",
            _ => "tls_other",
        },
        ConnectFailureKind.Dns => "dns",
        ConnectFailureKind.Unreachable => "unreachable",
        ConnectFailureKind.Closed => "closed",
        ConnectFailureKind.SubprotocolRejected => "subprotocol_rejected",
        ConnectFailureKind.ProtocolViolation => "protocol_violation",
        _ => "network_error",
    };

    /// <summary>
    /// The OCPP 1.6 security (edition 3) event this failure corresponds to, or null:
    /// InvalidCentralSystemCertificate, InvalidTLSVersion, InvalidTLSCipherSuite, FailedToAuthenticationAtCentralSystem.
    /// </summary>
    public string? SecurityEvent => Kind switch
    {
        ConnectFailureKind.TlsFailure => TlsReason switch
        {
            TlsFailureReason.UntrustedServerCertificate or TlsFailureReason.HostNameMismatch or TlsFailureReason.NoServerCertificate
                => SecurityEvents.InvalidCentralSystemCertificate,
            TlsFailureReason.ProtocolVersion => SecurityEvents.InvalidTLSVersion,
            TlsFailureReason.CipherSuite => SecurityEvents.InvalidTLSCipherSuite,
            _ => null,
        },
        ConnectFailureKind.HttpStatus when StatusCode == 401 && BasicAuthSent => SecurityEvents.FailedToAuthenticationAtCentralSystem,
        _ => null,
    };

    public override string ToString() => $"{Kind} ({Cause}) during {Phase}: {Detail}";

    private static readonly string[] CommonHttpCauses = CreateCommonHttpCauses();

    private static string HttpCause(int code) =>
        code is >= 100 and < 600 ? CommonHttpCauses[code - 100] : "http_other";

    private static string[] CreateCommonHttpCauses()
    {
        var causes = new string[500];
        for (var i = 0; i < causes.Length; i++)
        {
            causes[i] = "http_" + (i + 100).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return causes;
    }
}

/// <summary>Names of the OCPP 1.6 security whitepaper (edition 3) security events the transport can cause.</summary>
public static class SecurityEvents
{
    public const string InvalidCentralSystemCertificate = "InvalidCentralSystemCertificate";
    public const string InvalidTLSVersion = "InvalidTLSVersion";
    public const string InvalidTLSCipherSuite = "InvalidTLSCipherSuite";
    public const string FailedToAuthenticationAtCentralSystem = "FailedToAuthenticationAtCentralSystem";
}

/// <summary>Outcome of <see cref="WebSocketConnector.ConnectAsync"/>: an open connection or a classified failure, plus timings.</summary>
public sealed class ConnectResult
{
    private ConnectResult(WebSocketConnection? connection, ConnectFailure? failure, ConnectTimings timings)
    {
        Connection = connection;
        Failure = failure;
        Timings = timings;
    }

    public WebSocketConnection? Connection { get; }

    public ConnectFailure? Failure { get; }

    public ConnectTimings Timings { get; }

    [MemberNotNullWhen(true, nameof(Connection))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool IsSuccess => Connection is not null;

    internal static ConnectResult Success(WebSocketConnection connection, ConnectTimings timings) => new(connection, null, timings);

    internal static ConnectResult Failed(ConnectFailure failure, ConnectTimings timings) => new(null, failure, timings);

    public override string ToString() => IsSuccess ? $"Connected in {Timings.Total.TotalMilliseconds:F1} ms" : Failure.ToString();
}
