using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Simulator.Transport;

/// <summary>How the HTTP Basic password is formed from the OCPP AuthorizationKey (a hex string).</summary>
public enum BasicAuthPasswordEncoding
{
    /// <summary>The password is the AuthorizationKey text itself (its UTF-8 bytes).</summary>
    HexText,

    /// <summary>The password is the bytes the hex string decodes to (what OCPP 1.6 security whitepaper implementations do).</summary>
    HexDecodedBytes,
}

/// <summary>
/// TLS options of one charge-point type. Shared by every connection of that type: the trust store and the cipher policy
/// are built once by <see cref="WebSocketConnector"/>.
/// </summary>
public sealed record TlsSettings
{
    /// <summary>The roots the server chain must end in (CustomRootTrust). Null or empty: the system store.</summary>
    public X509Certificate2Collection? TrustedRoots { get; init; }

    /// <summary>TLS versions the client offers. Default TLS 1.2 and 1.3.</summary>
    public SslProtocols EnabledProtocols { get; init; } = SslProtocols.Tls12 | SslProtocols.Tls13;

    /// <summary>Cipher suites the client offers; null means the platform default. Needs a platform with <see cref="CipherSuitesPolicy"/> (Linux).</summary>
    public IReadOnlyList<TlsCipherSuite>? CipherSuites { get; init; }

    /// <summary>Whether the server certificate's revocation is checked (online). Off by default: simulators run offline.</summary>
    public bool CheckRevocation { get; init; }

    /// <summary>The cipher suites named by the OCPP 1.6 security whitepaper (TLS 1.2) plus the TLS 1.3 suites.</summary>
    public static IReadOnlyList<TlsCipherSuite> WhitepaperCipherSuites { get; } =
    [
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
    ];
}

/// <summary>
/// Connection settings of one charge-point type (shared by all its connections): where to connect and how.
/// The per-connection part (identity, key, client certificate, source address) is <see cref="ConnectionTarget"/>.
/// </summary>
public sealed record ConnectionSettings
{
    public ConnectionSettings(Uri baseUri)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        if (!baseUri.IsAbsoluteUri || (baseUri.Scheme != "ws" && baseUri.Scheme != "wss"))
        {
            throw new ArgumentException("The base URI must be an absolute ws:// or wss:// URI.", nameof(baseUri));
        }

        BaseUri = baseUri;
    }

    /// <summary>ws:// or wss:// base; the connection URL is base + "/" + escaped chargeBoxId.</summary>
    public Uri BaseUri { get; }

    public bool IsSecure => BaseUri.Scheme == "wss";

    /// <summary>The WebSocket subprotocol requested and required from the server.</summary>
    public string Subprotocol { get; init; } = "ocpp1.6";

    /// <summary>How the Basic-auth password is derived from the AuthorizationKey.</summary>
    public BasicAuthPasswordEncoding PasswordEncoding { get; init; } = BasicAuthPasswordEncoding.HexText;

    /// <summary>TLS options; used only for wss://.</summary>
    public TlsSettings Tls { get; init; } = new();

    /// <summary>Bound on the whole connect: DNS, TCP, TLS and the HTTP upgrade.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// WebSocket ping interval unless a <see cref="ConnectionTarget"/> names its own; <see cref="TimeSpan.Zero"/> (default):
    /// none. Off unless asked for: each interval is a timer per connection, and a charge point pings only when its
    /// WebSocketPingInterval says so.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// If set (and <see cref="KeepAliveInterval"/> is not zero), a ping unanswered for this long aborts the connection.
    /// <see cref="Timeout.InfiniteTimeSpan"/> (default): unsolicited pongs only, no dead-peer detection.
    /// </summary>
    public TimeSpan KeepAliveTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Largest text message accepted (default 4 MiB: a full SendLocalList or a certificate chain is legitimately large); a larger
    /// one closes the connection with status 1009. The receive buffer grows only as far as a message needs.
    /// </summary>
    public int MaxMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>4 MiB.</summary>
    public const int DefaultMaxMessageBytes = 4 * 1024 * 1024;

    /// <summary>Bound on the close handshake in <see cref="WebSocketConnection.CloseAsync"/> and on protocol closes.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Back-pressure on a peer that sends faster than the listener handles: with this many messages delivered and not yet
    /// <see cref="WebSocketConnection.Acknowledge">acknowledged</see>, the connection stops reading until one is (the peer's
    /// writes then wait in TCP). Null: no limit, and no acknowledgement expected.
    /// </summary>
    public int? MaxUnacknowledgedMessages { get; init; }

    /// <summary>
    /// Back-pressure on a peer that does not read: with this many bytes queued by <see cref="WebSocketConnection.Send"/> and not
    /// yet written, the connection stops reading (taking no new requests it could not answer) until the queue drains. Null: no limit.
    /// </summary>
    public long? MaxQueuedSendBytes { get; init; }
}

/// <summary>Per-connection identity: chargeBoxId, optional Basic-auth key, optional client certificate, optional source address.</summary>
public sealed record ConnectionTarget
{
    public ConnectionTarget(string chargeBoxId)
    {
        ArgumentException.ThrowIfNullOrEmpty(chargeBoxId);
        ChargeBoxId = chargeBoxId;
    }

    public string ChargeBoxId { get; }

    /// <summary>The OCPP AuthorizationKey (hex string). When set, HTTP Basic auth is sent (user = chargeBoxId). Secret: never printed.</summary>
    public string? AuthorizationKey { get; init; }

    /// <summary>Client certificate with private key for mutual TLS (security profile 3).</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>Local address to bind before connecting (e.g. 127.0.0.2) to get more than ~28k ports towards one server.</summary>
    public IPAddress? LocalAddress { get; init; }

    /// <summary>WebSocket ping interval of this connection (OCPP's WebSocketPingInterval; zero: none); null: the settings' interval.</summary>
    public TimeSpan? KeepAliveInterval { get; init; }

    /// <summary>When set, the attempt waits for a slot of this gate before it connects (the wait is not part of the connect timeout).</summary>
    public ConnectGate? Gate { get; init; }

    public override string ToString() =>
        $"ConnectionTarget {{ ChargeBoxId = {ChargeBoxId}, AuthorizationKey = {(AuthorizationKey is null ? "none" : "***")}, " +
        $"ClientCertificate = {ClientCertificate?.Subject ?? "none"}, LocalAddress = {LocalAddress?.ToString() ?? "any"} }}";
}
