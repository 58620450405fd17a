using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Simulator.Csms;

/// <summary>How the charge point's HTTP Basic password carries its AuthorizationKey (the whitepaper leaves it open).</summary>
public enum BasicPasswordEncoding
{
    /// <summary>Accept either form.</summary>
    Either,
    /// <summary>The password is the key's hex string itself.</summary>
    HexString,
    /// <summary>The password is the bytes the hex string decodes to.</summary>
    RawBytes,
}

/// <summary>Which server certificate TLS profiles present when the CSMS generates its own.</summary>
public enum ServerKeyType
{
    Rsa,
    Ecdsa,
}

/// <summary>What happens to a CALL (other than BootNotification) from a charge point whose BootNotification this CSMS has not Accepted.</summary>
public enum PreBootCallPolicy
{
    /// <summary>
    /// Answered with a CALLERROR SecurityError and not processed (no ledger entry), unless the CSMS asked for exactly that
    /// message with TriggerMessage/ExtendedTriggerMessage on the connection within the call timeout (allowed while Pending).
    /// </summary>
    Refuse,
    /// <summary>Processed as if the charge point were registered (counted as a violation all the same).</summary>
    Accept,
}

/// <summary>Settings of one embedded CSMS run.</summary>
public sealed record CsmsOptions
{
    /// <summary>Address the OCPP listener binds to; loopback unless the caller says otherwise.</summary>
    public IPAddress ListenAddress { get; init; } = IPAddress.Loopback;

    /// <summary>OCPP port; 0 takes any free port (see <see cref="CsmsServer.Port"/> after start).</summary>
    public int Port { get; init; }

    /// <summary>
    /// Linux only: the OCPP listening socket sets SO_REUSEPORT, so several CSMS processes can listen on the same address
    /// and port and the kernel spreads new connections between them (more connections than one process may hold open
    /// files). Each process keeps its own registry, ledger and control API.
    /// </summary>
    public bool ReusePort { get; init; }

    /// <summary>Control API port on 127.0.0.1 (always loopback); 0 = any free port, null = no control API.</summary>
    public int? ControlPort { get; init; } = 0;

    /// <summary>
    /// The bearer token every control API request must carry (at least 16 characters of A-Z a-z 0-9 - . _ ~ + /);
    /// null = a random one per start (<see cref="CsmsServer.ControlToken"/>). A secret: never logged.
    /// </summary>
    public string? ControlToken { get; init; }

    /// <summary>
    /// The OCPP subprotocols served on the one port: "ocpp2.0.1", "ocpp1.6" (the default: both). A client offering several
    /// gets the first of its own list that is served (the client's order is its preference); none served: HTTP 400.
    /// </summary>
    public IReadOnlyList<string> Subprotocols { get; init; } = ["ocpp2.0.1", "ocpp1.6"];

    /// <summary>0 (plain ws), 1 (Basic over ws), 2 (Basic over wss), 3 (client certificate over wss).</summary>
    public int SecurityProfile { get; init; }

    /// <summary>How long a CSMS-initiated CALL waits for its answer.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often the one shared sweep checks call timeouts.</summary>
    public TimeSpan TimeoutSweepInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Heartbeat interval handed out in BootNotification.conf, in seconds.</summary>
    public int HeartbeatInterval { get; init; } = 300;

    /// <summary>Largest inbound WebSocket message accepted (4 MiB); bigger ones close the connection (MessageTooBig).</summary>
    public int MaxMessageBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Server-side WebSocket pings (OCPP's WebSocketPingInterval): a peer that does not answer one with a pong within
    /// <see cref="WebSocketPingTimeout"/> is taken for dead and its connection closed. Zero (the default) keeps a
    /// per-connection timer away; half-open connections are then found only by TCP keepalive.
    /// </summary>
    public TimeSpan WebSocketPingInterval { get; init; } = TimeSpan.Zero;

    /// <summary>How long a ping may wait for its pong; zero means as long as <see cref="WebSocketPingInterval"/>.</summary>
    public TimeSpan WebSocketPingTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// The URL path charge points connect under; the chargeBoxId is the one segment after it (<c>/ocpp/CP-1</c>).
    /// FleetSim's charge points and <see cref="CsmsServer.Url"/> use <c>/ocpp/</c>. Anything else is refused with 404.
    /// </summary>
    public string ChargePointPath { get; init; } = "/ocpp/";

    /// <summary>A WebSocket message begun and not finished within this time is cut (close 1008): a slow-drip peer cannot hold a buffer.</summary>
    public TimeSpan MessageTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a new TCP connection may take to finish its TLS handshake and send its HTTP upgrade request before it is
    /// closed (connections that connect and go silent are reaped).
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>What the CSMS does with a CALL from a charge point whose BootNotification it has not Accepted (see <see cref="PreBootCallPolicy"/>).</summary>
    public PreBootCallPolicy CallsBeforeBoot { get; init; } = PreBootCallPolicy.Refuse;

    /// <summary>
    /// Every answer to a charge-point CALL leaves exactly this long after the CALL arrived (0 to 60 s; zero, the default:
    /// at once), held on one thread that sleeps until each answer's due time, not a timer per call. For load tests
    /// against a CSMS of known latency. A delay fault (<see cref="FaultInjector.DelayAnswers"/>) takes its place while active.
    /// </summary>
    public TimeSpan AnswerHold { get; init; } = TimeSpan.Zero;

    /// <summary>With <see cref="AnswerHold"/>: only answers to these actions are held (empty, the default: every action's).</summary>
    public IReadOnlyCollection<string> AnswerHoldActions { get; init; } = [];

    /// <summary>
    /// The OCPP port's socket transport runs the CSMS's code on its socket threads instead of handing every read and write
    /// to the thread pool (Kestrel's UnsafePreferInlineScheduling): a frame read is processed at once, and an answer is
    /// written to the socket by the thread that made it, so a stamp or a held answer's time is the socket's, not a busy
    /// thread pool's. Off by default: the handlers' work then delays other connections' reads on that socket thread.
    /// </summary>
    public bool InlineIo { get; init; }

    /// <summary>
    /// When set, a CSV file (created or emptied at start) with one line per charge-point CALL received and one per answer
    /// sent: <c>in|out,&lt;chargeBoxId&gt;,&lt;unique id&gt;,&lt;monotonic ns&gt;</c>, the format of
    /// tests/benchmarks/lib/counting-csms.js --stamps, for tests/benchmarks/lib/attribution.py; and the process's own GC
    /// pauses, totals and allocation ticks (<c>gc</c>, <c>gc_total</c>, <c>gc_alloc</c> lines: CallStamps).
    /// </summary>
    public string? StampsPath { get; init; }

    /// <summary>DataTransfer vendor ids answered Accepted; any other gets UnknownVendorId.</summary>
    public IReadOnlyCollection<string> KnownVendorIds { get; init; } = ["FleetSim"];

    /// <summary>The CPO name: the O a charge point certificate (profile 3, SignCertificate) must carry.</summary>
    public string CpoName { get; init; } = "FleetSim CPO";

    /// <summary>Profiles 1/2: one AuthorizationKey (hex) for every charge point, unless <see cref="AuthorizationKeys"/> names the id.</summary>
    public string? SharedAuthorizationKey { get; init; }

    /// <summary>Profiles 1/2: AuthorizationKey (hex) per charge point id.</summary>
    public IReadOnlyDictionary<string, string> AuthorizationKeys { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public BasicPasswordEncoding PasswordEncoding { get; init; } = BasicPasswordEncoding.Either;

    /// <summary>Profiles 2/3: server certificate PEM file; when null the CSMS's own CA issues one at start.</summary>
    public string? ServerCertificatePemPath { get; init; }

    /// <summary>Private key PEM for <see cref="ServerCertificatePemPath"/> (may be the same file).</summary>
    public string? ServerKeyPemPath { get; init; }

    /// <summary>Which generated server certificate to present (Kestrel selects one certificate per connection, not per cipher suite).</summary>
    public ServerKeyType ServerKeyType { get; init; } = ServerKeyType.Rsa;

    /// <summary>The CA signing CSRs and validating client certificates; a throwaway one is created when null.</summary>
    public CertificateAuthority? CertificateAuthority { get; init; }

    /// <summary>When set, the CA certificate PEM is written there at start (ca.pem) so charge points can trust it.</summary>
    public string? CaCertificateDirectory { get; init; }

    /// <summary>Lifetime of certificates signed from CSRs.</summary>
    public TimeSpan SignedCertificateLifetime { get; init; } = TimeSpan.FromDays(365);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;

    /// <summary>A printout without secrets: AuthorizationKeys show as *** or a count (A01.FR.12).</summary>
    public override string ToString() =>
        $"CsmsOptions {{ ListenAddress = {ListenAddress}, Port = {Port}, Subprotocols = {string.Join("/", Subprotocols)}, ReusePort = {ReusePort}, ControlPort = {ControlPort}, SecurityProfile = {SecurityProfile}, ChargePointPath = {ChargePointPath}, CallsBeforeBoot = {CallsBeforeBoot}, AnswerHold = {AnswerHold.TotalMilliseconds} ms, StampsPath = {StampsPath}, CpoName = {CpoName}, " +
        $"SharedAuthorizationKey = {(SharedAuthorizationKey is null ? "none" : "***")}, AuthorizationKeys = {AuthorizationKeys.Count} ids, " +
        $"ServerCertificatePemPath = {ServerCertificatePemPath}, CaCertificateDirectory = {CaCertificateDirectory} }}";
}
