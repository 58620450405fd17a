using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Simulator.ChargePoint.Security;
using Simulator.ChargePoint;
using Simulator.ChargePoint.Metering;
using Simulator.Fleet.Plan;
using Simulator.Metrics;
using Simulator.Transport;
using Simulator.Transport.Reconnect;

namespace Simulator.Fleet.ChargePoints;

/// <summary>
/// What every charge-point actor on a node shares: the plan and its catalog, the telemetry, one connector (TLS settings,
/// trust store) per charge-point type, the journal of connection events. Built once per node; charge points keep only
/// their own model, socket and small RPC state.
/// </summary>
public sealed class FleetEnvironment
{
    /// <summary>Messages a charge point has received and not yet handled before it stops reading its socket.</summary>
    public const int MaxUnhandledInbound = 16;

    /// <summary>Bytes a charge point has queued for a CSMS that does not read them before it stops reading its socket.</summary>
    public const long MaxQueuedOutboundBytes = 256 * 1024;

    /// <summary>
    /// First connections (arrivals) of this node's charge points in flight at a time. Every charge point at once overflowed the
    /// CSMS's listen queue and the dropped ones waited for the SYN retransmit (tests/benchmarks/results/2026-12-05-startup-*.txt);
    /// reconnects are not gated, so a reconnect storm still reaches the CSMS as it happens.
    /// </summary>
    public const int ArrivalConnectsInFlight = 512;

    /// <summary>The gate of <see cref="ArrivalConnectsInFlight"/>, shared by this node's charge points until each first connected.</summary>
    public ConnectGate ArrivalGate { get; } = new(ArrivalConnectsInFlight);

    private readonly ConcurrentDictionary<string, WebSocketConnector> _connectors = new(StringComparer.Ordinal);
    private readonly IPAddress[] _sourceAddresses;
    private readonly ConcurrentDictionary<string, IReadOnlyList<X509Certificate2>> _rootsByFile = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<ChargePointTypePlan, IReadOnlyDictionary<string, string>> _configurationByType = new(ReferenceEqualityComparer.Instance);
    private readonly Lazy<IClientCertificateIssuer> _throwawayIssuer;
    private Logging.RateLimitedLog? _csmsLog;

    public FleetEnvironment(FleetPlan plan, Uri targetUrl, FleetTelemetry telemetry, ConnectionJournal journal, TimeProvider clock, int seed = 1)
    {
        Plan = plan;
        TargetUrl = targetUrl;
        TargetUrls = plan.Target.Urls.Count > 1 ? plan.Target.Urls : [targetUrl];
        Catalog = new FleetCatalog(plan);
        Telemetry = telemetry;
        Journal = journal;
        Clock = clock;
        DueTimers = new DueTimers(clock);
        Seed = seed;
        _sourceAddresses = plan.Target.SourceAddresses.Select(IPAddress.Parse).ToArray();
        _throwawayIssuer = new Lazy<IClientCertificateIssuer>(() => Security.ClientCertificateIssuer ?? new ThrowawayCertificateAuthority(), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Roots and the client-certificate issuer given by whoever started the node (the CLI: the embedded CSMS's CA).</summary>
    public FleetSecurityMaterials Security { get; init; } = FleetSecurityMaterials.None;

    /// <summary>The issuer of run certificates: the one given in <see cref="Security"/>, else a throwaway CA made once for this node.</summary>
    public IClientCertificateIssuer ClientCertificateIssuer => _throwawayIssuer.Value;

    public SecurityPlan SecurityFor(ChargePointTypePlan type) => type.Security ?? Plan.Target.Security;

    public FleetPlan Plan { get; }
    public Uri TargetUrl { get; }

    /// <summary>The addresses charge points connect to: the plan's (<c>target.urls</c>) when it has several, else <see cref="TargetUrl"/>.</summary>
    public IReadOnlyList<Uri> TargetUrls { get; }
    public FleetCatalog Catalog { get; }
    public FleetTelemetry Telemetry { get; }
    public ConnectionJournal Journal { get; }
    public TimeProvider Clock { get; }

    /// <summary>The one timer the node's charge points schedule their next due time on.</summary>
    public DueTimers DueTimers { get; }

    public int Seed { get; }
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The node's rate limit for log lines a CSMS can cause at will (per kind, across every charge point here).</summary>
    public Logging.RateLimitedLog CsmsLog { get => _csmsLog ??= new Logging.RateLimitedLog(Clock); init => _csmsLog = value; }

    /// <summary>Where charge points also hand every transaction message they produce (cluster nodes); null: nowhere.</summary>
    public ProducedMessageFeed? ProducedFeed { get; init; }

    /// <summary>Where charge points hand their settled transaction messages for the loss check during the run; null: they keep them until the stop.</summary>
    public SettledMessageFold? SettledMessages { get; init; }

    /// <summary>Where charge points hand every frame in and out, if their id is traced (<c>--trace</c>); null: nowhere.</summary>
    public Tracing.FrameTrace? Trace { get; init; }

    /// <summary>Where charge points keep their non-volatile state (<c>--state</c>), and what they come back with after a crash; null: nowhere.</summary>
    public State.ChargePointStateStore? State { get; init; }

    /// <summary>
    /// The connector for a charge point at a security profile, trusting <paramref name="certificates"/>' CentralSystemRootCertificates.
    /// Shared by every charge point of the type with the same address, profile and roots (normally all of them): one trust store,
    /// one TLS policy. Profile 2/3 connect with wss:// (also after an upgrade from a ws:// target), profile 0/1 as the target URL says.
    /// </summary>
    public WebSocketConnector ConnectorFor(FleetMember member, int profile, CertificateStore? certificates)
    {
        ArgumentNullException.ThrowIfNull(member);
        var type = member.Type;
        var address = UrlIndexFor(member);
        var target = TargetUrls[address];
        var secure = profile >= 2 || target.Scheme == "wss";
        var fingerprint = secure ? certificates?.CentralSystemRootsFingerprint ?? "" : "";
        return _connectors.GetOrAdd($"{type.Name}|{address}|{(secure ? "wss" : "ws")}|{fingerprint}", _ =>
        {
            var url = new UriBuilder(target) { Scheme = secure ? "wss" : "ws", Port = target.Port }.Uri;
            var roots = certificates?.CentralSystemRoots ?? [];
            return new WebSocketConnector(new ConnectionSettings(url)
            {
                PasswordEncoding = SecurityFor(type).PasswordEncoding == Simulator.Fleet.Plan.BasicAuthPasswordEncoding.DecodedBytes
                    ? Transport.BasicAuthPasswordEncoding.HexDecodedBytes
                    : Transport.BasicAuthPasswordEncoding.HexText,
                ConnectTimeout = TimeSpan.FromSeconds(30),
                MaxMessageBytes = Plan.Target.MaxMessageBytes,
                Subprotocol = ChargingStations.MessagesFor(type.OcppVersion).Subprotocol,
                // A CSMS that sends faster than the charge point handles, or does not read its answers, waits in TCP, not here.
                MaxUnacknowledgedMessages = MaxUnhandledInbound,
                MaxQueuedSendBytes = MaxQueuedOutboundBytes,
                Tls = new TlsSettings { TrustedRoots = roots.Count == 0 ? null : [.. roots] },
            });
        });
    }

    /// <summary>Which of <see cref="TargetUrls"/> the charge point connects to, every time: as <c>target.distribution</c> says.</summary>
    public int UrlIndexFor(FleetMember member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var count = TargetUrls.Count;
        return count == 1 ? 0 : Plan.Target.Distribution switch
        {
            UrlDistribution.RoundRobin => member.ArrivalIndex % count,
            UrlDistribution.Random => (int)(Mix(((ulong)(uint)Seed << 32) | (uint)member.ArrivalIndex) % (ulong)count),
            _ => (int)(StableHash(member.ChargeBoxId) % (uint)count),
        };
    }

    /// <summary>FNV-1a over the id's UTF-16 code units: the same on every node, in every process and every run (string.GetHashCode is not).</summary>
    internal static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }

    /// <summary>SplitMix64's finalizer: spreads (seed, index) evenly, reproducibly.</summary>
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15ul;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ul;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBul;
        return z ^ (z >> 31);
    }

    public ConnectionTarget TargetFor(FleetMember member, string? authorizationKey, X509Certificate2? clientCertificate = null) => new(member.ChargeBoxId)
    {
        AuthorizationKey = authorizationKey,
        ClientCertificate = clientCertificate,
        LocalAddress = _sourceAddresses.Length == 0 ? null : _sourceAddresses[member.ArrivalIndex % _sourceAddresses.Length],
    };

    /// <summary>The CentralSystemRootCertificates a charge point of this type starts with: the plan's caCert file (read once per node), else the given ones.</summary>
    public IReadOnlyList<X509Certificate2> CentralSystemRootsFor(ChargePointTypePlan type)
    {
        if (SecurityFor(type).CaCertificateFile is not { } file)
        {
            return Security.CentralSystemRoots;
        }
        return _rootsByFile.GetOrAdd(file, path =>
        {
            var collection = new X509Certificate2Collection();
            collection.ImportFromPemFile(path);
            return [.. collection];
        });
    }

    /// <summary>
    /// The client certificate a charge point starts with (profile 3): from the plan's PEM files when it names them (<c>{id}</c> is the
    /// chargeBoxId), else issued for the run by <see cref="ClientCertificateIssuer"/>. Null below profile 3 without files.
    /// </summary>
    /// <exception cref="IOException">A named file is missing or unreadable (the message names the file, never its content).</exception>
    public X509Certificate2? InitialClientCertificate(FleetMember member)
    {
        var security = SecurityFor(member.Type);
        if (security.ClientCertificatePattern is { } certificatePattern)
        {
            var certificatePath = certificatePattern.Replace("{id}", member.ChargeBoxId, StringComparison.Ordinal);
            var keyPath = (security.ClientKeyPattern ?? certificatePattern).Replace("{id}", member.ChargeBoxId, StringComparison.Ordinal);
            try
            {
                return X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                throw new IOException($"{member.ChargeBoxId}: '{certificatePath}' / '{keyPath}' do not hold a PEM certificate and its private key");
            }
        }
        return security.Profile == 3 ? ClientCertificateIssuer.Issue(member.ChargeBoxId, security.CpoName) : null;
    }

    public ChargePointOptions OptionsFor(FleetMember member)
    {
        var type = member.Type;
        var security = SecurityFor(type);
        return new ChargePointOptions
        {
            ChargeBoxId = member.ChargeBoxId,
            Vendor = type.Vendor,
            Model = type.Model,
            FirmwareVersion = type.FirmwareVersion,
            SerialNumber = member.ChargeBoxId,
            Connectors = type.Connectors,
            Meter = new MeterSpec(
                type.Current switch
                {
                    CurrentType.AC1Phase => SupplyType.AC1Phase,
                    CurrentType.AC3Phase => SupplyType.AC3Phase,
                    _ => SupplyType.DC,
                },
                type.MaxPowerW),
            ConfigurationOverrides = ConfigurationFor(type),
            BootOnReconnect = type.BootOnReconnect,
            FirstPeriodicFraction = Plan.PeriodicLockstep ? null : FirstPeriodicFraction(member),
            SecurityReconnectGrace = security.ReconnectGrace,
            CentralSystemRootCertificates = CentralSystemRootsFor(type),
            CpoRootCertificates = security.Profile == 3 && security.ClientCertificatePattern is null
                ? [ClientCertificateIssuer.CaCertificate, .. Security.AdditionalCpoRoots]
                : Security.AdditionalCpoRoots,
        };
    }

    /// <summary>
    /// The configuration overrides of a type (its own keys plus the security plan's), built once and shared read-only by all its
    /// charge points: the models keep their own changes apart.
    /// </summary>
    private IReadOnlyDictionary<string, string> ConfigurationFor(ChargePointTypePlan type) => _configurationByType.GetOrAdd(type, t =>
    {
        var configuration = new Dictionary<string, string>(t.Configuration, StringComparer.Ordinal);
        var security = SecurityFor(t);
        if (security.AuthorizationKey is { } key)
        {
            configuration.TryAdd("AuthorizationKey", key);
        }
        configuration.TryAdd("SecurityProfile", security.Profile.ToString(System.Globalization.CultureInfo.InvariantCulture));
        configuration.TryAdd("CpoName", security.CpoName);
        return configuration;
    });

    /// <summary>
    /// The type's reconnect policy; when the profile names none (<see cref="ReconnectPlan.Given"/> false) and the station has a
    /// back-off of its own (2.0.1's RetryBackOff* in its device model), that one, read afresh before every wait.
    /// </summary>
    public static IReconnectPolicy ReconnectPolicyFor(ChargePointTypePlan type, Random random, IChargingStation? station = null)
    {
        var plan = type.Reconnect;
        if (!plan.Given && station?.ReconnectBackOff is not null)
        {
            return new StationBackOffPolicy(station, random);
        }
        var settings = plan.Kind switch
        {
            ReconnectKind.Ocpp201 => new ReconnectPolicySettings { Kind = ReconnectPolicyKind.Ocpp201, BaseDelay = plan.WaitMinimum, RandomRange = plan.RandomRange, RepeatTimes = plan.RepeatTimes },
            ReconnectKind.Exponential => new ReconnectPolicySettings
            {
                Kind = ReconnectPolicyKind.Exponential,
                BaseDelay = plan.Base,
                MaxDelay = plan.Cap,
                Jitter = plan.Jitter switch
                {
                    JitterKind.None => BackoffJitter.None,
                    JitterKind.Full => BackoffJitter.Full,
                    JitterKind.Equal => BackoffJitter.Equal,
                    _ => BackoffJitter.Decorrelated,
                },
            },
            ReconnectKind.Fixed => new ReconnectPolicySettings { Kind = ReconnectPolicyKind.Fixed, BaseDelay = plan.Interval },
            _ => new ReconnectPolicySettings { Kind = ReconnectPolicyKind.Immediate },
        };
        return settings.Create(random);
    }

    /// <summary>A reproducible random source per charge point: the same id and seed give the same run.</summary>
    /// <summary>Where in its interval this charge point's first periodic message comes, in (0, 1]: from the seed, the same every run.</summary>
    public double FirstPeriodicFraction(FleetMember member) => 1 - new Random(unchecked((Seed * 7_919) + member.ArrivalIndex)).NextDouble();

    public Random RandomFor(FleetMember member) => new(HashCode.Combine(Seed, member.ArrivalIndex));
}

/// <summary>The station's own back-off settings (OCPP 2.0.1 B10), read at each wait: a SetVariables of RetryBackOff* applies from the next one.</summary>
internal sealed class StationBackOffPolicy(IChargingStation station, Random random) : IReconnectPolicy
{
    public TimeSpan NextDelay(int consecutiveFailures)
    {
        var (waitMinimum, randomRange, repeatTimes) = station.ReconnectBackOff ?? (TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10), 5);
        return new Ocpp201BackoffPolicy(waitMinimum, randomRange, repeatTimes, random).NextDelay(consecutiveFailures);
    }

    public void Reset()
    {
        // Stateless: the failure count carries the history.
    }
}
