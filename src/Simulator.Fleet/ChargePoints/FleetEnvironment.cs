using System.Collections.Concurrent;
using System.Net;
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
    private readonly ConcurrentDictionary<string, WebSocketConnector> _connectors = new(StringComparer.Ordinal);
    private readonly IPAddress[] _sourceAddresses;

    public FleetEnvironment(FleetPlan plan, Uri targetUrl, FleetTelemetry telemetry, ConnectionJournal journal, TimeProvider clock, int seed = 1)
    {
        Plan = plan;
        TargetUrl = targetUrl;
        Catalog = new FleetCatalog(plan);
        Telemetry = telemetry;
        Journal = journal;
        Clock = clock;
        Seed = seed;
        _sourceAddresses = plan.Target.SourceAddresses.Select(IPAddress.Parse).ToArray();
    }

    public FleetPlan Plan { get; }
    public Uri TargetUrl { get; }
    public FleetCatalog Catalog { get; }
    public FleetTelemetry Telemetry { get; }
    public ConnectionJournal Journal { get; }
    public TimeProvider Clock { get; }
    public int Seed { get; }
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public WebSocketConnector ConnectorFor(ChargePointTypePlan type)
        => _connectors.GetOrAdd(type.Name, _ => new WebSocketConnector(new ConnectionSettings(TargetUrl)
        {
            PasswordEncoding = (type.Security ?? Plan.Target.Security).PasswordEncoding == Simulator.Fleet.Plan.BasicAuthPasswordEncoding.DecodedBytes
                ? Transport.BasicAuthPasswordEncoding.HexDecodedBytes
                : Transport.BasicAuthPasswordEncoding.HexText,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        }));

    public ConnectionTarget TargetFor(FleetMember member, string? authorizationKey) => new(member.ChargeBoxId)
    {
        AuthorizationKey = authorizationKey,
        LocalAddress = _sourceAddresses.Length == 0 ? null : _sourceAddresses[member.ArrivalIndex % _sourceAddresses.Length],
    };

    public ChargePointOptions OptionsFor(FleetMember member)
    {
        var type = member.Type;
        var configuration = new Dictionary<string, string>(type.Configuration, StringComparer.Ordinal);
        var security = type.Security ?? Plan.Target.Security;
        if (security.AuthorizationKey is { } key)
        {
            configuration.TryAdd("AuthorizationKey", key);
        }
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
            ConfigurationOverrides = configuration,
            BootOnReconnect = type.BootOnReconnect,
        };
    }

    public static IReconnectPolicy ReconnectPolicyFor(ChargePointTypePlan type, Random random)
    {
        var plan = type.Reconnect;
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
    public Random RandomFor(FleetMember member) => new(HashCode.Combine(Seed, member.ArrivalIndex));
}
