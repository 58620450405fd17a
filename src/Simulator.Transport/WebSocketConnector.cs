using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Simulator.Transport;

/// <summary>
/// Opens WebSocket connections for one charge-point type. Thread-safe and meant to be shared by thousands of connections:
/// the URI pieces, the trust store (X509ChainPolicy) and the cipher policy are built once here; per connection only the
/// identity, the key and the client certificate differ.
/// </summary>
/// <remarks>
/// The upgrade is done by hand over a <see cref="Socket"/> (+ <see cref="SslStream"/>) and handed to
/// <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>; ClientWebSocket keeps the HTTP connection's
/// buffers and a pool per socket, about three times the memory of an idle connection made this way.
/// </remarks>
public sealed class WebSocketConnector
{
    private readonly string _hostHeader;
    private readonly string _host;
    private readonly IPAddress? _hostAddress;
    private readonly int _port;
    private readonly string _basePath;
    private readonly TlsClientPolicy? _tls;
    private TlsProbe? _tlsProbe;

    public WebSocketConnector(ConnectionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.MaxMessageBytes <= 0)
        {
            throw new ArgumentException("MaxMessageBytes must be positive.", nameof(settings));
        }

        if (string.IsNullOrWhiteSpace(settings.Subprotocol))
        {
            throw new ArgumentException("A subprotocol is required.", nameof(settings));
        }

        Settings = settings;
        var uri = settings.BaseUri;
        _host = uri.IdnHost.Trim('[', ']');
        _hostAddress = IPAddress.TryParse(_host, out var literal) ? literal : null;
        _port = uri.Port;
        _hostHeader = uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (_hostAddress is { AddressFamily: AddressFamily.InterNetworkV6 } && !_hostHeader.StartsWith('['))
        {
            _hostHeader = "[" + _hostHeader + "]";
        }

        _basePath = uri.AbsolutePath.TrimEnd('/');

        if (settings.IsSecure)
        {
            _tls = new TlsClientPolicy(settings.Tls);
        }
    }

    public ConnectionSettings Settings { get; }

    /// <summary>The connection URL: base + "/" + Uri.EscapeDataString(chargeBoxId).</summary>
    public Uri BuildUri(string chargeBoxId)
    {
        ArgumentException.ThrowIfNullOrEmpty(chargeBoxId);
        var builder = new UriBuilder(Settings.BaseUri) { Path = _basePath + "/" + Uri.EscapeDataString(chargeBoxId) };
        return builder.Uri;
    }

    /// <summary>
    /// Connects, negotiates TLS (wss) and upgrades. Never throws for network, TLS or HTTP failures: they come back classified in
    /// <see cref="ConnectResult.Failure"/>. Throws <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task<ConnectResult> ConnectAsync(ConnectionTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Gate is not { } gate)
        {
            return await ConnectNowAsync(target, cancellationToken).ConfigureAwait(false);
        }

        await gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ConnectNowAsync(target, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Leave();
        }
    }

    private async Task<ConnectResult> ConnectNowAsync(ConnectionTarget target, CancellationToken cancellationToken)
    {
        string? credentials = target.AuthorizationKey is null
            ? null
            : HttpUpgrade.BasicCredentials(target.ChargeBoxId, target.AuthorizationKey, Settings.PasswordEncoding);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Settings.ConnectTimeout);
        var token = timeout.Token;

        var phase = ConnectPhase.Dns;
        TimeSpan tcpTime = default, tlsTime = default, upgradeTime = default;
        Socket? socket = null;
        Stream? stream = null;
        ServerCertificateCheck? certificateCheck = null;
        FirstBytesStream? watched = null;
        IPAddress[] addresses = [];
        var succeeded = false;
        try
        {
            addresses = _hostAddress is not null
                ? [_hostAddress]
                : await Dns.GetHostAddressesAsync(_host, token).ConfigureAwait(false);
            if (target.LocalAddress is { } local)
            {
                addresses = Array.FindAll(addresses, a => a.AddressFamily == local.AddressFamily);
            }

            if (addresses.Length == 0)
            {
                return Fail(new ConnectFailure(ConnectFailureKind.Dns, ConnectPhase.Dns, $"No address of a usable family for host '{_host}'."));
            }

            phase = ConnectPhase.Tcp;
            var start = Stopwatch.GetTimestamp();
            socket = await ConnectSocketAsync(addresses, _port, target.LocalAddress, token).ConfigureAwait(false);
            tcpTime = Stopwatch.GetElapsedTime(start);
            stream = new NetworkStream(socket, ownsSocket: true);

            if (Settings.IsSecure)
            {
                phase = ConnectPhase.Tls;
                start = Stopwatch.GetTimestamp();
                certificateCheck = new ServerCertificateCheck();
                watched = new FirstBytesStream(stream);
                stream = await AuthenticateAsync(watched, target, certificateCheck, token).ConfigureAwait(false);
                tlsTime = Stopwatch.GetElapsedTime(start);
            }

            phase = ConnectPhase.Upgrade;
            start = Stopwatch.GetTimestamp();
            var key = HttpUpgrade.NewKey();
            var request = HttpUpgrade.BuildRequest(
                _basePath + "/" + Uri.EscapeDataString(target.ChargeBoxId), _hostHeader, key, Settings.Subprotocol, credentials);
            await WriteRequestAsync(stream, request, token).ConfigureAwait(false);

            var (head, tooLarge) = await HttpUpgrade.ReadResponseHeadAsync(stream, token).ConfigureAwait(false);
            upgradeTime = Stopwatch.GetElapsedTime(start);
            var failure = tooLarge ? new ConnectFailure(ConnectFailureKind.ProtocolViolation, phase, "The upgrade response head is larger than 8 KiB.")
                : head is null ? await ClassifyUnansweredAsync(certificateCheck, null, addresses, target.LocalAddress, token).ConfigureAwait(false)
                : HttpUpgrade.IsTlsRecordStart(head) ? ServerExpectsTls("it answered the plain-text upgrade request with a TLS record")
                : ValidateResponse(head, key, credentials is not null);
            if (failure is not null)
            {
                return Fail(failure);
            }

            var webSocket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
            {
                IsServer = false,
                SubProtocol = Settings.Subprotocol,
                KeepAliveInterval = target.KeepAliveInterval ?? Settings.KeepAliveInterval,
                KeepAliveTimeout = Settings.KeepAliveTimeout,
            });
            succeeded = true;
            return ConnectResult.Success(new WebSocketConnection(webSocket, stream, socket, Settings), Timings());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Fail(new ConnectFailure(ConnectFailureKind.Timeout, phase,
                $"No answer within {Settings.ConnectTimeout.TotalMilliseconds:F0} ms (during {phase})."));
        }
        catch (SocketException e) when (phase <= ConnectPhase.Tcp || e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return Fail(ClassifySocketError(e, phase));
        }
        catch (Exception e) when (phase == ConnectPhase.Tls && watched is { ServerSpokeSomethingElse: true } && e is not OperationCanceledException)
        {
            return Fail(new ConnectFailure(ConnectFailureKind.TlsFailure, ConnectPhase.Tls,
                watched.ServerSpokeHttp
                    ? "The server answered the TLS hello in plain HTTP: the port does not speak TLS (use ws://, or the TLS port)."
                    : $"The server answered the TLS hello with something that is not TLS (first byte 0x{watched.FirstByte:x2}): the port does not speak TLS.")
            {
                TlsReason = TlsFailureReason.NotTls,
            });
        }
        catch (Exception e) when (IsAuthenticationFailure(e))
        {
            return Fail(phase == ConnectPhase.Upgrade ? await ClassifyUnansweredAsync(certificateCheck, e, addresses, target.LocalAddress, token).ConfigureAwait(false) : ClassifyTls(e, certificateCheck));
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or CryptographicException or System.ComponentModel.Win32Exception)
        {
            if (phase == ConnectPhase.Tls && certificateCheck is { Errors: not SslPolicyErrors.None })
            {
                return Fail(ClassifyTls(e, certificateCheck));
            }

            if (phase == ConnectPhase.Upgrade && FindInner<SocketException>(e) is not { SocketErrorCode: not (SocketError.ConnectionReset or SocketError.ConnectionAborted) })
            {
                // Reset, or a TLS stream that ended in an alert or abruptly: the server dropped the connection instead of answering.
                return Fail(await ClassifyUnansweredAsync(certificateCheck, e, addresses, target.LocalAddress, token).ConfigureAwait(false));
            }

            var socketError = FindInner<SocketException>(e);
            if (socketError is not null)
            {
                return Fail(ClassifySocketError(socketError, phase));
            }

            return Fail(phase == ConnectPhase.Tls
                ? ClassifyTls(e, certificateCheck)
                : new ConnectFailure(ConnectFailureKind.NetworkError, phase, e.Message));
        }
        finally
        {
            if (!succeeded)
            {
                if (stream is not null)
                {
                    await stream.DisposeAsync().ConfigureAwait(false);
                }

                socket?.Dispose();
            }
        }

        ConnectTimings Timings() => new(tcpTime, tlsTime, upgradeTime);

        ConnectResult Fail(ConnectFailure failure) => ConnectResult.Failed(failure with { BasicAuthSent = credentials is not null }, Timings());
    }

    // The TLS handshake and the catch's test for its failure are methods of their own: the JIT loads the assemblies a method names
    // when it compiles it, and a ws:// fleet has no use for System.Net.Security.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private async Task<Stream> AuthenticateAsync(FirstBytesStream watched, ConnectionTarget target, ServerCertificateCheck certificateCheck, CancellationToken token)
    {
        var ssl = new SslStream(watched, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(CreateSslOptions(target, certificateCheck), token).ConfigureAwait(false);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        watched.StopWatching();
        certificateCheck.ClientCertificateSent = ssl.LocalCertificate is not null;
        return ssl;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool IsAuthenticationFailure(Exception e) => e is AuthenticationException;

    private static async Task<Socket> ConnectSocketAsync(IPAddress[] addresses, int port, IPAddress? localAddress, CancellationToken token)
    {
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                if (localAddress is not null)
                {
                    DeferPortChoice(socket);
                    socket.Bind(new IPEndPoint(localAddress, 0));
                }

                await socket.ConnectAsync(new IPEndPoint(address, port), token).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        throw last!;
    }

    /// <summary>
    /// Linux IP_BIND_ADDRESS_NO_PORT: with a source address bound, let the kernel choose the port at connect time per
    /// destination, so one source address is not limited to one set of ephemeral ports for all destinations.
    /// </summary>
    private static void DeferPortChoice(Socket socket)
    {
        if (OperatingSystem.IsLinux() && socket.AddressFamily == AddressFamily.InterNetwork)
        {
            try
            {
                const int SolIp = 0;
                const int IpBindAddressNoPort = 24;
                Span<byte> one = stackalloc byte[4];
                MemoryMarshal.Write(one, 1);
                socket.SetRawSocketOption(SolIp, IpBindAddressNoPort, one);
            }
            catch (SocketException)
            {
                // An old kernel without the option: the port is then chosen at bind time, which also works.
            }
        }
    }

    private SslClientAuthenticationOptions CreateSslOptions(ConnectionTarget target, ServerCertificateCheck check)
    {
        var options = _tls!.CreateOptions(_host, check);
        if (target.ClientCertificate is { } clientCertificate)
        {
            if (!clientCertificate.HasPrivateKey)
            {
                throw new ArgumentException("The client certificate has no private key.", nameof(target));
            }

            options.ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate, additionalCertificates: null, offline: true);
        }
        else
        {
            options.LocalCertificateSelectionCallback = check.SelectNoClientCertificate;
        }

        return options;
    }

    private static async ValueTask WriteRequestAsync(Stream stream, string request, CancellationToken token)
    {
        var length = Encoding.UTF8.GetByteCount(request);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(request, buffer);
            await stream.WriteAsync(buffer.AsMemory(0, written), token).ConfigureAwait(false);
            await stream.FlushAsync(token).ConfigureAwait(false);
        }
        finally
        {
            // The request carries the Basic credentials: do not leave them in a pooled buffer.
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private ConnectFailure? ValidateResponse(string head, string key, bool basicAuthSent)
    {
        const ConnectPhase Phase = ConnectPhase.Upgrade;
        if (HttpUpgrade.ParseResponse(head) is not { } response)
        {
            return new ConnectFailure(ConnectFailureKind.ProtocolViolation, Phase, "The upgrade response is not HTTP/1.x.");
        }

        if (response.StatusCode != 101)
        {
            return new ConnectFailure(ConnectFailureKind.HttpStatus, Phase,
                $"The server answered the upgrade with HTTP {response.StatusCode} {response.ReasonPhrase}".TrimEnd() + ".")
            {
                StatusCode = response.StatusCode,
                ReasonPhrase = response.ReasonPhrase,
                BasicAuthSent = basicAuthSent,
            };
        }

        var headers = response.Headers;
        if (!headers.TryGetValue("Upgrade", out var upgrade) || !upgrade.Equals("websocket", StringComparison.OrdinalIgnoreCase))
        {
            return new ConnectFailure(ConnectFailureKind.ProtocolViolation, Phase, "The 101 response lacks 'Upgrade: websocket'.");
        }

        if (!headers.TryGetValue("Connection", out var connection) || !HttpUpgrade.HasToken(connection, "Upgrade"))
        {
            return new ConnectFailure(ConnectFailureKind.ProtocolViolation, Phase, "The 101 response lacks 'Connection: Upgrade'.");
        }

        if (!headers.TryGetValue("Sec-WebSocket-Accept", out var accept) || !string.Equals(accept, HttpUpgrade.ExpectedAccept(key), StringComparison.Ordinal))
        {
            return new ConnectFailure(ConnectFailureKind.ProtocolViolation, Phase, "Sec-WebSocket-Accept is missing or does not match the key sent.");
        }

        if (headers.ContainsKey("Sec-WebSocket-Extensions"))
        {
            return new ConnectFailure(ConnectFailureKind.ProtocolViolation, Phase, "The server chose a WebSocket extension that was not offered.");
        }

        if (!headers.TryGetValue("Sec-WebSocket-Protocol", out var protocol) || protocol.Length == 0)
        {
            return new ConnectFailure(ConnectFailureKind.SubprotocolRejected, Phase,
                $"The server did not agree to the subprotocol '{Settings.Subprotocol}'.");
        }

        if (!string.Equals(protocol, Settings.Subprotocol, StringComparison.Ordinal))
        {
            return new ConnectFailure(ConnectFailureKind.ProtocolViolation, Phase,
                $"The server chose the subprotocol '{protocol}', which was not offered ('{Settings.Subprotocol}' was).");
        }

        return null;
    }

    private static ConnectFailure ClassifySocketError(SocketException e, ConnectPhase phase) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => new ConnectFailure(ConnectFailureKind.Refused, phase, "Connection refused."),
        SocketError.TimedOut => new ConnectFailure(ConnectFailureKind.Timeout, phase, "The network timed out."),
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain when phase == ConnectPhase.Dns
            => new ConnectFailure(ConnectFailureKind.Dns, phase, $"The host name did not resolve ({e.SocketErrorCode}: {e.Message})."),
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => new ConnectFailure(ConnectFailureKind.Unreachable, phase, $"{e.SocketErrorCode}: {e.Message}"),
        SocketError.ConnectionReset or SocketError.ConnectionAborted when phase > ConnectPhase.Tcp
            => new ConnectFailure(ConnectFailureKind.Closed, phase, $"The server reset the connection ({e.SocketErrorCode})."),
        _ => new ConnectFailure(phase == ConnectPhase.Dns ? ConnectFailureKind.Dns : ConnectFailureKind.NetworkError, phase, $"{e.SocketErrorCode}: {e.Message}"),
    };

    /// <summary>
    /// The server ended the connection (closed, reset, or a TLS alert) instead of answering the upgrade. Over TLS, after it asked
    /// for a client certificate, that is its verdict on the certificate (with TLS 1.3 the client finishes its handshake before the
    /// server has checked the certificate). Over plain ws://, a port that speaks TLS drops a plain-text request so: one probe
    /// (shared by the connector's attempts for a few seconds) tells.
    /// </summary>
    private async Task<ConnectFailure> ClassifyUnansweredAsync(ServerCertificateCheck? check, Exception? error, IPAddress[] addresses, IPAddress? localAddress, CancellationToken token)
    {
        const ConnectPhase Phase = ConnectPhase.Upgrade;
        if (check is not null)
        {
            if (error is not null && TlsClientPolicy.Classify(error, null) is { Reason: not TlsFailureReason.Other } alert)
            {
                return new ConnectFailure(ConnectFailureKind.TlsFailure, ConnectPhase.Tls, alert.Detail) { TlsReason = alert.Reason };
            }

            if (check.ClientCertificateRequested || check.ClientCertificateSent)
            {
                return new ConnectFailure(ConnectFailureKind.TlsFailure, ConnectPhase.Tls,
                    $"The server asked for a client certificate during the TLS handshake, {(check.ClientCertificateSent ? "got one" : "got none")}, and closed the connection without answering the upgrade: it refused the {(check.ClientCertificateSent ? "certificate" : "missing certificate")}.")
                {
                    TlsReason = TlsFailureReason.ClientCertificateRejected,
                };
            }
        }
        else if (addresses.Length > 0 && await ProbeTlsAsync(addresses, localAddress).WaitAsync(token).ConfigureAwait(false))
        {
            return ServerExpectsTls("it closed the connection on the plain-text upgrade request and answers a TLS hello");
        }

        var how = error is null ? "closed the connection" : "dropped the connection";
        return new ConnectFailure(ConnectFailureKind.Closed, Phase, $"The server {how} before answering the upgrade{(error is null ? "" : $" ({error.Message})")}.");
    }

    private static ConnectFailure ServerExpectsTls(string evidence) =>
        new(ConnectFailureKind.TlsFailure, ConnectPhase.Upgrade, $"The port speaks TLS ({evidence}): use wss://.") { TlsReason = TlsFailureReason.ServerExpectsTls };

    private static readonly TimeSpan TlsProbeValidity = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan TlsProbeTimeout = TimeSpan.FromSeconds(5);

    private Task<bool> ProbeTlsAsync(IPAddress[] addresses, IPAddress? localAddress)
    {
        var probe = Volatile.Read(ref _tlsProbe);
        if (probe is null || Stopwatch.GetElapsedTime(probe.StartedAt) > TlsProbeValidity)
        {
            var fresh = new TlsProbe(Stopwatch.GetTimestamp(), new Lazy<Task<bool>>(() => SpeaksTlsAsync(addresses, localAddress)));
            probe = Interlocked.CompareExchange(ref _tlsProbe, fresh, probe) == probe ? fresh : Volatile.Read(ref _tlsProbe)!;
        }

        return probe.Result.Value;
    }

    /// <summary>Whether the port answers a TLS hello with a certificate. Sends no credentials; the certificate is refused once seen.</summary>
    private async Task<bool> SpeaksTlsAsync(IPAddress[] addresses, IPAddress? localAddress)
    {
        using var timeout = new CancellationTokenSource(Settings.ConnectTimeout < TlsProbeTimeout ? Settings.ConnectTimeout : TlsProbeTimeout);
        var sawCertificate = false;
        try
        {
            using var socket = await ConnectSocketAsync(addresses, _port, localAddress, timeout.Token).ConfigureAwait(false);
            await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false));
            await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = _host,
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    sawCertificate = certificate is not null;
                    return false;
                },
            }, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }

        return sawCertificate;
    }

    private sealed record TlsProbe(long StartedAt, Lazy<Task<bool>> Result);

    private static ConnectFailure ClassifyTls(Exception e, ServerCertificateCheck? check)
    {
        var (reason, detail) = TlsClientPolicy.Classify(e, check);
        return new ConnectFailure(ConnectFailureKind.TlsFailure, ConnectPhase.Tls, detail) { TlsReason = reason };
    }

    private static T? FindInner<T>(Exception e)
        where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }
}
