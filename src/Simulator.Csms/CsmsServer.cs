using Simulator.Ocpp;
using Simulator.Ocpp.V16;
using Simulator.Ocpp.V201;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Csms;

/// <summary>
/// The embedded CSMS: a Kestrel WebSocket server speaking OCPP 2.0.1 and 1.6-J on one port as the central system (each
/// connection the version its subprotocol negotiated), with a registry of charge points, a transaction ledger, fault
/// injection, security profiles 0–3 and a loopback control API. All state lives here,
/// outside the Kestrel host, so the listener can be stopped and reopened (TCP refusal) without losing anything.
/// </summary>
public sealed class CsmsServer : IAsyncDisposable
{
    /// <summary>Every OCPP version this CSMS can speak; <see cref="CsmsOptions.Subprotocols"/> chooses which it serves.</summary>
    public static IReadOnlyList<OcppMessageSet> KnownVersions { get; } = [Ocpp201.Messages, Ocpp16.Messages];

    private readonly ConcurrentDictionary<string, ChargePointConnection> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _authorizationKeys;
    private readonly RefusableListenerFactory _listenerFactory;
    private readonly RefusableListenerFactory _controlListenerFactory;
    private readonly DescriptorGuard _descriptors;
    private readonly string _path;
    private readonly CancellationTokenSource _stopping = new();
    private readonly bool _ownsAuthority;
    private WebApplication? _ocppHost;
    private WebApplication? _controlHost;
    private Task? _sweeper;
    private X509Certificate2? _serverCertificate;
    private volatile RegistrationStatus _bootStatus = RegistrationStatus.Accepted;
    private int _bootRetryInterval = 60;
    private ImmutableArray<X509Certificate2> _extraClientIssuers = [];

    public CsmsServer(CsmsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.SecurityProfile is < 0 or > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "SecurityProfile must be 0, 1, 2 or 3");
        }
        if (options.ReusePort && !OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException($"ReusePort (SO_REUSEPORT load balancing between processes) needs Linux; this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        }
        if (options.AnswerHold < TimeSpan.Zero || options.AnswerHold > AnswerHold.Max)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"AnswerHold must be from 0 to {AnswerHold.Max.TotalSeconds:0} s, not {options.AnswerHold.TotalMilliseconds} ms");
        }
        _path = ChargePointPaths.Normalize(options.ChargePointPath);
        Options = options;
        // Before anything that holds resources: an unknown subprotocol is the caller's mistake.
        Handlers = new MessageHandlers(this, options.Subprotocols);
        if (UnknownAction(options.AnswerHoldActions, Handlers.Sets) is { } unknown)
        {
            throw new ArgumentException($"AnswerHoldActions: '{unknown}' is not a charge-point action of {string.Join(" or ", Handlers.Sets)}", nameof(options));
        }
        ControlToken = options.ControlPort is null ? null : options.ControlToken is { } token ? ControlTokens.Checked(token) : ControlTokens.Generate();
        Log = new CsmsLog(options.LoggerFactory.CreateLogger("Simulator.Csms"), options.TimeProvider);
        _descriptors = new DescriptorGuard(Log, Stats, options.TimeProvider);
        _listenerFactory = new RefusableListenerFactory(options.ReusePort, _descriptors, "OCPP port", options.LoggerFactory, options.InlineIo);
        _controlListenerFactory = new RefusableListenerFactory(false, _descriptors, "control port", options.LoggerFactory);
        _ownsAuthority = options.CertificateAuthority is null;
        Authority = options.CertificateAuthority ?? CertificateAuthority.Create();
        _authorizationKeys = new ConcurrentDictionary<string, string>(options.AuthorizationKeys, StringComparer.Ordinal);
        Faults = new FaultInjector(options.TimeProvider, DropAllConnectionsAsync, _listenerFactory.RefuseAsync);
        Stamps = options.StampsPath is { } stamps ? new CallStamps(stamps) : null;
        Hold = options.AnswerHold > TimeSpan.Zero ? new AnswerHold(options.AnswerHold, options.AnswerHoldActions) : null;
    }

    /// <summary>The first of <paramref name="actions"/> that no served version has as a charge-point-initiated action, or null.</summary>
    public static string? UnknownAction(IEnumerable<string> actions, IReadOnlyList<OcppMessageSet> versions)
        => actions.FirstOrDefault(a => !versions.Any(v => v.Find(a) is { } d && d.Direction.HasFlag(ActionDirection.ChargePointToCsms)));

    /// <summary>The answer hold (<see cref="CsmsOptions.AnswerHold"/>), or null when answers go at once.</summary>
    internal AnswerHold? Hold { get; }

    /// <summary>How the answer hold's thread is scheduled (real-time where allowed), or null without a hold.</summary>
    public string? HoldPriority => Hold?.Priority;

    /// <summary>The stamps file (<see cref="CsmsOptions.StampsPath"/>), or null.</summary>
    internal CallStamps? Stamps { get; }

    /// <summary>The OCPP versions served, as <see cref="CsmsOptions.Subprotocols"/> lists them.</summary>
    public IReadOnlyList<OcppMessageSet> Versions => Handlers.Sets;

    /// <summary>The OCPP version a connected charge point speaks, or null when it is not connected.</summary>
    public OcppMessageSet? VersionOf(string chargeBoxId) => _connections.TryGetValue(chargeBoxId, out var connection) ? connection.Messages : null;

    /// <summary>The action name of a request of any version this CSMS knows (its type name when none does).</summary>
    internal static string ActionNameOf(IOcppRequest request)
        => KnownVersions.FirstOrDefault(v => v.Contains(request))?.Of(request).Name ?? request.GetType().Name;

    public CsmsOptions Options { get; }

    /// <summary>The form <see cref="CsmsOptions.ChargePointPath"/> takes ("ocpp" → "/ocpp/").</summary>
    /// <exception cref="ArgumentException">Not a plain URL path.</exception>
    public static string NormalizeChargePointPath(string path) => ChargePointPaths.Normalize(path);

    public ChargePointRegistry Registry { get; } = new();

    public TransactionLedger Ledger { get; } = new();

    public IdTagPolicy IdTags { get; } = new();

    public FaultInjector Faults { get; }

    public CertificateAuthority Authority { get; }

    /// <summary>CA certificates besides <see cref="Authority"/> whose client certificates profile 3 accepts (e.g. a cluster node's run CA).</summary>
    public IReadOnlyList<X509Certificate2> ExtraClientIssuers => _extraClientIssuers;

    /// <summary>
    /// Accepts, from now on, client certificates issued by <paramref name="issuer"/> (a CA certificate, public part only).
    /// Each FleetSim cluster node issues its charge points' certificates with a CA of its own, so no private key travels.
    /// </summary>
    /// <exception cref="ArgumentException">The certificate is not a CA certificate.</exception>
    public void TrustClientIssuer(X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (issuer.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            throw new ArgumentException($"'{issuer.Subject}' is not a CA certificate (basic constraints CA:TRUE missing)", nameof(issuer));
        }
        ImmutableInterlocked.Update(ref _extraClientIssuers, list => list.Any(c => c.RawData.AsSpan().SequenceEqual(issuer.RawData)) ? list : list.Add(issuer));
    }

    public CsmsStats Stats { get; } = new();

    internal MessageHandlers Handlers { get; }

    internal CsmsLog Log { get; }

    /// <summary>The control API's listener: it survives running out of descriptors like the OCPP port's.</summary>
    internal IConnectionListenerFactory ControlListenerFactory => _controlListenerFactory;

    /// <summary>The OCPP port actually bound (after <see cref="StartAsync"/>).</summary>
    public int Port { get; private set; }

    /// <summary>Base URL charge points connect to; append the chargeBoxId.</summary>
    public Uri Url => new($"{(IsTls ? "wss" : "ws")}://{ClientHost}:{Port}{_path}");

    /// <summary>The control API port (127.0.0.1), or null when there is none.</summary>
    public int? ControlPort { get; private set; }

    /// <summary>The bearer token the control API requires (<see cref="CsmsOptions.ControlToken"/> or a random one); null without a control API.</summary>
    public string? ControlToken { get; }

    public Uri? ControlUrl => ControlPort is { } p ? new Uri($"http://127.0.0.1:{p}/control/") : null;

    /// <summary>Where the CA certificate PEM was written, when <see cref="CsmsOptions.CaCertificateDirectory"/> is set.</summary>
    public string? CaCertificatePath { get; private set; }

    public bool IsTls => Options.SecurityProfile >= 2;

    public IReadOnlyCollection<string> ConnectedIds => [.. _connections.Keys];

    public int ConnectionCount => _connections.Count;

    private string ClientHost => IsTls ? "localhost" : Options.ListenAddress.Equals(IPAddress.Any) ? "127.0.0.1" : Options.ListenAddress.ToString();

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_ocppHost is not null)
        {
            throw new InvalidOperationException("already started");
        }
        if (Options.CaCertificateDirectory is { } dir)
        {
            CaCertificatePath = Authority.WriteCertificatePem(dir);
        }
        if (IsTls)
        {
            _serverCertificate = LoadServerCertificate();
        }
        _ocppHost = BuildOcppHost();
        await _ocppHost.StartAsync(cancellationToken).ConfigureAwait(false);
        Port = BoundPort(_ocppHost);
        if (Options.ControlPort is { } controlPort)
        {
            _controlHost = ControlApi.Build(this, controlPort);
            await _controlHost.StartAsync(cancellationToken).ConfigureAwait(false);
            ControlPort = BoundPort(_controlHost);
        }
        _sweeper = SweepTimeoutsAsync(_stopping.Token);
    }

    /// <summary>Sets the answer to BootNotification when no boot fault is active (interval: Pending/Rejected retry seconds).</summary>
    public void SetBootResponse(RegistrationStatus status, int retryInterval = 60)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retryInterval);
        _bootRetryInterval = retryInterval;
        _bootStatus = status;
    }

    /// <summary>Sets (or with null removes) one charge point's AuthorizationKey (hex). The old key stops working at once.</summary>
    public void SetAuthorizationKey(string chargeBoxId, string? hexKey)
    {
        if (hexKey is null)
        {
            _authorizationKeys.TryRemove(chargeBoxId, out _);
        }
        else
        {
            _authorizationKeys[chargeBoxId] = hexKey;
        }
    }

    /// <summary>Sends one CALL to a connected charge point and waits for its outcome (answer, CALLERROR, timeout, connection lost).</summary>
    public Task<CallOutcome> CallAsync(string chargeBoxId, IOcppRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_connections.TryGetValue(chargeBoxId, out var connection))
        {
            return Task.FromResult(new CallOutcome(chargeBoxId, ActionNameOf(request), CallStatus.NotConnected, Description: $"{chargeBoxId} is not connected"));
        }
        return connection.CallAsync(request, cancellationToken);
    }

    /// <summary>Sends the same CALL to every connected charge point; results by chargeBoxId.</summary>
    public Task<IReadOnlyDictionary<string, CallOutcome>> CallAllAsync(IOcppRequest request, CancellationToken cancellationToken = default)
        => CallAllAsync(_ => request, cancellationToken);

    /// <summary>Sends a CALL made per charge point to every connected one; results by chargeBoxId.</summary>
    public async Task<IReadOnlyDictionary<string, CallOutcome>> CallAllAsync(Func<string, IOcppRequest> requestFor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requestFor);
        var ids = _connections.Keys.ToArray();
        var outcomes = await Task.WhenAll(ids.Select(id => CallAsync(id, requestFor(id), cancellationToken))).ConfigureAwait(false);
        return outcomes.ToDictionary(o => o.ChargeBoxId, StringComparer.Ordinal);
    }

    public CsmsStatsSnapshot GetStats() => Stats.Snapshot(_connections.Count, Faults.Counts, Ledger.CountsTotal(), Ledger.TransactionEventTotal());

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_controlHost is not null)
        {
            using var stopControl = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _controlHost.StopAsync(stopControl.Token).ConfigureAwait(false);
            await _controlHost.DisposeAsync().ConfigureAwait(false);
        }
        foreach (var connection in _connections.Values)
        {
            connection.Abort();
        }
        if (_ocppHost is not null)
        {
            using var stopOcpp = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _ocppHost.StopAsync(stopOcpp.Token).ConfigureAwait(false);
            await _ocppHost.DisposeAsync().ConfigureAwait(false);
        }
        if (_sweeper is not null)
        {
            await _sweeper.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        Hold?.Dispose();
        Stamps?.Dispose();
        _serverCertificate?.Dispose();
        _listenerFactory.Dispose();
        _controlListenerFactory.Dispose();
        if (_ownsAuthority)
        {
            Authority.Dispose();
        }
        _stopping.Dispose();
    }

    internal (RegistrationStatus Status, int Interval) BootAnswer()
    {
        if (Faults.BootFault() is { } fault)
        {
            return (fault.Mode == BootFaultMode.Reject ? RegistrationStatus.Rejected : RegistrationStatus.Pending, fault.RetryInterval);
        }
        var status = _bootStatus;
        return (status, status == RegistrationStatus.Accepted ? Options.HeartbeatInterval : _bootRetryInterval);
    }

    internal void OnConnectionEnded(ChargePointConnection connection)
    {
        if (_connections.TryRemove(KeyValuePair.Create(connection.ChargeBoxId, connection)))
        {
            connection.State.OnDisconnected(connection.EndedBy ?? "lost: no close handshake");
        }
    }

    private WebApplication BuildOcppHost()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.Services.AddSingleton<IConnectionListenerFactory>(_listenerFactory);
        if (IsTls)
        {
            // Kestrel's TLS layer swallows handshake failures and only logs them: this provider counts them by cause.
            builder.Logging.AddProvider(new TlsFailureCounter(Stats, Log));
            builder.Logging.AddFilter<TlsFailureCounter>(TlsFailureCounter.Category, LogLevel.Debug);
        }
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // A connection that connects and sends no (or half an) upgrade request is closed after the handshake timeout.
            kestrel.Limits.KeepAliveTimeout = Options.HandshakeTimeout;
            kestrel.Limits.RequestHeadersTimeout = Options.HandshakeTimeout;
            kestrel.Listen(new IPEndPoint(Options.ListenAddress, Options.Port), listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                if (IsTls)
                {
                    listen.Use(TlsFailureCounter.Track);
                    listen.UseHttps(HttpsOptions());
                }
            });
        });
        var app = builder.Build();
        app.Use(next => context => DrainableUpgrade.Wrap(context, next));
        var pingTimeout = Options.WebSocketPingTimeout > TimeSpan.Zero ? Options.WebSocketPingTimeout : Options.WebSocketPingInterval;
        app.UseWebSockets(new WebSocketOptions
        {
            KeepAliveInterval = Options.WebSocketPingInterval,
            KeepAliveTimeout = Options.WebSocketPingInterval > TimeSpan.Zero ? pingTimeout : Timeout.InfiniteTimeSpan,
        });
        app.Run(AcceptAsync);
        return app;
    }

    private HttpsConnectionAdapterOptions HttpsOptions()
    {
        var https = new HttpsConnectionAdapterOptions
        {
            ServerCertificate = _serverCertificate,
            SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CheckCertificateRevocation = false,
            ClientCertificateMode = Options.SecurityProfile == 3 ? ClientCertificateMode.RequireCertificate : ClientCertificateMode.NoCertificate,
            HandshakeTimeout = Options.HandshakeTimeout,
        };
        if (Options.ServerCertificatePemPath is null)
        {
            https.ServerCertificateChain = [Authority.Certificate];
        }
        if (Options.SecurityProfile == 3)
        {
            // The chain must lead to this CSMS's CA and be valid now; CN and O are checked against the URL before the upgrade.
            https.ClientCertificateValidation = (certificate, _, _) =>
            {
                if (Authority.Verifies(certificate) || _extraClientIssuers.Any(issuer => CertificateAuthority.ChainsTo(certificate, issuer)))
                {
                    return true;
                }
                TlsFailureCounter.NoteClientCertificateRejected();
                Log.Report(LogLevel.Warning, "tls", $"client certificate {CsmsLog.Quote(certificate.Subject)} refused: it does not chain to this CSMS's CA (or a trusted issuer) or is not valid now");
                return false;
            };
        }
        return https;
    }

    private X509Certificate2 LoadServerCertificate()
    {
        if (Options.ServerCertificatePemPath is not { } certificatePath)
        {
            return Authority.IssueServerCertificate(Options.ServerKeyType);
        }
        using var loaded = X509Certificate2.CreateFromPemFile(certificatePath, Options.ServerKeyPemPath);
        return X509CertificateLoader.LoadPkcs12(loaded.Export(X509ContentType.Pkcs12), null);
    }

    private async Task AcceptAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var (chargeBoxId, idProblem, wrongPath) = ChargePointPaths.Parse(target, _path);
        if (wrongPath)
        {
            Stats.RefusedWrongPath();
            await Refuse(context, StatusCodes.Status404NotFound, "wrong-path", $"charge points connect to {_path}<chargeBoxId>", target).ConfigureAwait(false);
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            Stats.RefusedNotWebSocket();
            await Refuse(context, StatusCodes.Status400BadRequest, "not-websocket", "OCPP-J needs a WebSocket upgrade", target).ConfigureAwait(false);
            return;
        }
        if (chargeBoxId is null)
        {
            if (idProblem == ChargePointPaths.MissingId)
            {
                Stats.RefusedMissingId();
            }
            else
            {
                Stats.RefusedInvalidId();
            }
            await Refuse(context, StatusCodes.Status400BadRequest, "invalid-id", idProblem!, target).ConfigureAwait(false);
            return;
        }
        if (Faults.ShouldRefuseHttp())
        {
            context.Response.Headers.RetryAfter = "5";
            await Refuse(context, StatusCodes.Status503ServiceUnavailable, null, "refusing connections (fault injection)", chargeBoxId).ConfigureAwait(false);
            return;
        }
        if (Handlers.Negotiate(context.WebSockets.WebSocketRequestedProtocols) is not { } version)
        {
            Stats.RefusedNoSubprotocol();
            var served = string.Join(" or ", Versions.Select(v => v.Subprotocol));
            await Refuse(context, StatusCodes.Status400BadRequest, "no-subprotocol", $"an OCPP subprotocol this CSMS speaks is required ({served})", chargeBoxId).ConfigureAwait(false);
            return;
        }
        if (Options.SecurityProfile is 1 or 2 && !BasicCredentialsValid(context.Request.Headers.Authorization.ToString(), chargeBoxId))
        {
            Stats.RefusedCredentials();
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"OCPP\"";
            // The Authorization header carries the key: it is never logged, only that it did not match.
            await Refuse(context, StatusCodes.Status401Unauthorized, "bad-credentials", "wrong or missing credentials", chargeBoxId).ConfigureAwait(false);
            return;
        }
        if (Options.SecurityProfile == 3 && !ClientCertificateMatches(context.Connection.ClientCertificate, chargeBoxId))
        {
            Stats.RefusedCertificate();
            await Refuse(context, StatusCodes.Status403Forbidden, "bad-certificate", "the client certificate's CN must be the chargeBoxId and its O the CPO name", chargeBoxId).ConfigureAwait(false);
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = version.Messages.Subprotocol }).ConfigureAwait(false);
        var state = Registry.GetOrAdd(chargeBoxId);
        state.OnClientCertificate(context.Connection.ClientCertificate?.SerialNumber);
        var connection = new ChargePointConnection(this, context, socket, state, context.Features.Get<DrainableUpgrade>(), version);
        ChargePointConnection? replaced = null;
        _connections.AddOrUpdate(chargeBoxId, connection, (_, old) =>
        {
            replaced = old;
            return connection;
        });
        Stats.Accepted(version.Messages.Version);
        state.OnConnected(Options.TimeProvider.GetUtcNow(), version.Messages.Version);
        if (replaced is not null)
        {
            Stats.Replaced();
            _ = replaced.CloseAsync(WebSocketCloseStatus.PolicyViolation, "replaced by a newer connection", TimeSpan.FromSeconds(5));
        }
        await connection.RunAsync().ConfigureAwait(false);
    }

    /// <summary>Answers a refused handshake with the status, the reason in the body and in <c>X-Refusal-Reason</c>, and logs it (rate-limited per kind).</summary>
    private Task Refuse(HttpContext context, int status, string? kind, string reason, string subject)
    {
        if (kind is not null)
        {
            Log.Report(LogLevel.Warning, $"handshake refused ({kind})",
                $"{status} to {context.Connection.RemoteIpAddress}:{context.Connection.RemotePort} for {CsmsLog.Quote(subject)}: {reason}");
        }
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain";
        context.Response.Headers["X-Refusal-Reason"] = reason;
        return context.Response.WriteAsync(reason);
    }

    /// <summary>HTTP Basic: user = chargeBoxId, password = the AuthorizationKey's hex string or its decoded bytes.</summary>
    private bool BasicCredentialsValid(string header, string chargeBoxId)
    {
        const string prefix = "Basic ";
        if (!header.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(header[prefix.Length..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = Array.IndexOf(decoded, (byte)':');
        if (colon < 0 || !string.Equals(Encoding.UTF8.GetString(decoded, 0, colon), chargeBoxId, StringComparison.Ordinal))
        {
            return false;
        }
        var key = _authorizationKeys.TryGetValue(chargeBoxId, out var own) ? own : Options.SharedAuthorizationKey;
        if (key is null)
        {
            return false;
        }
        var password = decoded.AsSpan(colon + 1);
        var encoding = Options.PasswordEncoding;
        if (encoding != BasicPasswordEncoding.RawBytes)
        {
            var hex = Encoding.ASCII.GetBytes(key);
            var upper = Encoding.ASCII.GetBytes(key.ToUpperInvariant());
            var lower = Encoding.ASCII.GetBytes(key.ToLowerInvariant());
            if (CryptographicOperations.FixedTimeEquals(password, hex) || CryptographicOperations.FixedTimeEquals(password, upper) || CryptographicOperations.FixedTimeEquals(password, lower))
            {
                return true;
            }
        }
        if (encoding != BasicPasswordEncoding.HexString)
        {
            try
            {
                return CryptographicOperations.FixedTimeEquals(password, Convert.FromHexString(key));
            }
            catch (FormatException)
            {
                return false;
            }
        }
        return false;
    }

    private bool ClientCertificateMatches(X509Certificate2? certificate, string chargeBoxId)
        => certificate is not null
           && string.Equals(certificate.SubjectName.GetSingleValue("2.5.4.3"), chargeBoxId, StringComparison.Ordinal)
           && string.Equals(certificate.SubjectName.GetSingleValue("2.5.4.10"), Options.CpoName, StringComparison.Ordinal);

    private async Task<int> DropAllConnectionsAsync(DropMode mode)
    {
        var connections = _connections.Values.ToArray();
        if (mode == DropMode.Close)
        {
            await Task.WhenAll(connections.Select(c => c.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "fault: drop all", TimeSpan.FromSeconds(5)))).ConfigureAwait(false);
        }
        else
        {
            foreach (var connection in connections)
            {
                connection.Abort();
            }
            await Task.WhenAll(connections.Select(c => c.Finished)).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        return connections.Length;
    }

    private async Task SweepTimeoutsAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Options.TimeoutSweepInterval, Options.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                Log.Flush();
                // The pairs, not Values: that is a new array of every connection at each sweep.
                foreach (var (_, connection) in _connections)
                {
                    await connection.SweepTimeoutsAsync().ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static int BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
            ?? throw new InvalidOperationException("the server reports no addresses");
        return new Uri(addresses.First()).Port;
    }
}
