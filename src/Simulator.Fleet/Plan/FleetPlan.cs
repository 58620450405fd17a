namespace Simulator.Fleet.Plan;

/// <summary>
/// A validated load profile: everything a run needs, in units the code uses (TimeSpan, watts, watt-hours).
/// Built from YAML by the CLI's profile loader, or in code by tests; the fleet never reads YAML itself.
/// </summary>
public sealed record FleetPlan
{
    public required string Name { get; init; }
    public required TimeSpan Duration { get; init; }
    public required TargetPlan Target { get; init; }
    public EmbeddedCsmsPlan EmbeddedCsms { get; init; } = new();
    public required IReadOnlyList<ChargePointTypePlan> Types { get; init; }
    public required ArrivalPlan Arrival { get; init; }
    public BehaviourPlan Behaviour { get; init; } = BehaviourPlan.Idle;
    public IReadOnlyList<TimelineEvent> Timeline { get; init; } = [];
    public IReadOnlyList<ThresholdPlan> Thresholds { get; init; } = [];

    /// <summary>Where the charge points keep their non-volatile state (<c>state:</c>; <c>--state</c> wins); null: nowhere.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>
    /// The end of the run (<c>drain:</c>): sessions stop, then each charge point has up to this long to deliver its offline queue
    /// (reconnecting if it must) before it reports; the loss check comes after.
    /// </summary>
    public TimeSpan Drain { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>periodic: lockstep</c>: the first heartbeat after a boot and the first sampled meter value of a transaction come a full
    /// interval later, so charge points that booted together stay in step. By default each charge point's first comes at a random
    /// point within its interval (<see cref="Simulator.ChargePoint.ChargePointOptions.FirstPeriodicFraction"/>).
    /// </summary>
    public bool PeriodicLockstep { get; init; }

    public int TotalCount => Types.Sum(t => t.Count);
}

/// <summary>Where the charge points connect. A null URL means the embedded CSMS, started in-process for the run.</summary>
public sealed record TargetPlan
{
    public Uri? Url { get; init; }

    /// <summary>Several addresses of one CSMS (<c>target.urls</c>), <see cref="Url"/> the first; empty: <see cref="Url"/> alone.</summary>
    public IReadOnlyList<Uri> Urls { get; init; } = [];

    /// <summary>Which of <see cref="Urls"/> a charge point connects (and reconnects) to.</summary>
    public UrlDistribution Distribution { get; init; } = UrlDistribution.RoundRobin;
    public SecurityPlan Security { get; init; } = new();

    /// <summary>Loopback source addresses to spread connections over (beyond ~28k per address). Empty: the system chooses.</summary>
    public IReadOnlyList<string> SourceAddresses { get; init; } = [];

    /// <summary>Largest message a charge point accepts from the CSMS; a larger one closes the connection (1009) and counts as a violation.</summary>
    public int MaxMessageBytes { get; init; } = Simulator.Transport.ConnectionSettings.DefaultMaxMessageBytes;

    public bool IsEmbedded => Url is null;
}

public enum UrlDistribution
{
    /// <summary>In arrival order: the first charge point to the first address, the second to the second, …</summary>
    RoundRobin,
    /// <summary>Drawn per charge point from the run's seed.</summary>
    Random,
    /// <summary>A stable hash of the chargeBoxId: the same charge point goes to the same address in every run.</summary>
    ById,
}

public enum BasicAuthPasswordEncoding
{
    /// <summary>The AuthorizationKey's hex string is the password.</summary>
    HexString,
    /// <summary>The bytes the hex string decodes to are the password.</summary>
    DecodedBytes,
}

public sealed record SecurityPlan
{
    /// <summary>OCPP security profile 0 (none) to 3 (TLS with client certificates).</summary>
    public int Profile { get; init; }
    public string? AuthorizationKey { get; init; }
    public BasicAuthPasswordEncoding PasswordEncoding { get; init; } = BasicAuthPasswordEncoding.HexString;
    public string? CaCertificateFile { get; init; }
    /// <summary>PEM file patterns with <c>{id}</c> for the chargeBoxId; absent with profile 3 means a throwaway CA issues them.</summary>
    public string? ClientCertificatePattern { get; init; }
    public string? ClientKeyPattern { get; init; }
    public string CpoName { get; init; } = "FleetSim";
    /// <summary>After ChangeConfiguration AuthorizationKey (profiles 1/2) or SecurityProfile: how long before the reconnect with the new settings.</summary>
    public TimeSpan ReconnectGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The record's printout without the secret: the AuthorizationKey shows as *** (A01.FR.12: never logged).</summary>
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append(System.Globalization.CultureInfo.InvariantCulture,
            $"Profile = {Profile}, AuthorizationKey = {(AuthorizationKey is null ? "none" : "***")}, PasswordEncoding = {PasswordEncoding}, ")
            .Append(System.Globalization.CultureInfo.InvariantCulture,
            $"CaCertificateFile = {CaCertificateFile}, ClientCertificatePattern = {ClientCertificatePattern}, ClientKeyPattern = {ClientKeyPattern}, CpoName = {CpoName}, ReconnectGrace = {ReconnectGrace}");
        return true;
    }
}

/// <summary>Settings of the embedded CSMS when the run starts one.</summary>
public sealed record EmbeddedCsmsPlan
{
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Run the CSMS in its own process (needed for fleets near the 20,000 open-files limit).</summary>
    public bool SeparateProcess { get; init; }
}

public enum CurrentType
{
    AC1Phase,
    AC3Phase,
    DC,
}

public sealed record ChargePointTypePlan
{
    public required string Name { get; init; }
    public required int Count { get; init; }
    /// <summary>Pattern with a zero-padded number, e.g. <c>CP-{0000}</c>: ids are stable from run to run.</summary>
    public required string IdPattern { get; init; }
    /// <summary>First number the id pattern gives this type (types are numbered one after the other).</summary>
    public int FirstNumber { get; init; } = 1;
    /// <summary>The OCPP version its charge points speak (one of <c>ChargingStations.Versions</c>).</summary>
    public string OcppVersion { get; init; } = "1.6";
    public string Vendor { get; init; } = "FleetSim";
    public string Model { get; init; } = "VirtualCP";
    public string FirmwareVersion { get; init; } = "1.0.0";
    public int Connectors { get; init; } = 2;
    public CurrentType Current { get; init; } = CurrentType.AC3Phase;
    public double MaxPowerW { get; init; } = 22_000;
    public EvPlan Ev { get; init; } = new();
    public IReadOnlyDictionary<string, string> Configuration { get; init; } = new Dictionary<string, string>();
    public ReconnectPlan Reconnect { get; init; } = ReconnectPlan.Default;
    /// <summary>Send BootNotification after every reconnect, not only after a reboot (1.6 sends it only after a reboot).</summary>
    public bool BootOnReconnect { get; init; }
    public SecurityPlan? Security { get; init; }
}

public sealed record EvPlan
{
    public double BatteryCapacityWh { get; init; } = 60_000;
    public double ArrivalSocMin { get; init; } = 0.2;
    public double ArrivalSocMax { get; init; } = 0.6;
    public double MaxPowerW { get; init; } = 11_000;
}

public enum ReconnectKind
{
    /// <summary>OCPP 2.0.1: wait minimum + random range, doubled per failure RepeatTimes times.</summary>
    Ocpp201,
    Exponential,
    Fixed,
    /// <summary>No backoff at all: the bad policy that makes storms.</summary>
    Immediate,
}

public enum JitterKind
{
    None,
    Full,
    Equal,
    Decorrelated,
}

public sealed record ReconnectPlan
{
    public static ReconnectPlan Default { get; } = new() { Kind = ReconnectKind.Ocpp201 };

    public required ReconnectKind Kind { get; init; }
    /// <summary>The profile named the policy; when not, a station with back-off settings of its own (2.0.1's device model) uses those.</summary>
    public bool Given { get; init; }
    public TimeSpan WaitMinimum { get; init; } = TimeSpan.FromSeconds(3);
    public TimeSpan RandomRange { get; init; } = TimeSpan.FromSeconds(10);
    public int RepeatTimes { get; init; } = 5;
    public TimeSpan Base { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan Cap { get; init; } = TimeSpan.FromSeconds(60);
    public JitterKind Jitter { get; init; } = JitterKind.Full;
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);
}

public enum ArrivalKind
{
    AllAtOnce,
    /// <summary>A constant number of charge points per second until all are up.</summary>
    Rate,
    /// <summary>Stages of (duration, target connected), linear within a stage, like k6's ramping executor.</summary>
    Ramp,
}

public sealed record ArrivalPlan
{
    public static ArrivalPlan AllAtOnce { get; } = new() { Kind = ArrivalKind.AllAtOnce };

    public required ArrivalKind Kind { get; init; }
    public double RatePerSecond { get; init; }
    public IReadOnlyList<RampStage> Stages { get; init; } = [];
}

/// <summary>Over <see cref="Duration"/>, go linearly to <see cref="Target"/> charge points (a duration of zero is a step).</summary>
public sealed record RampStage(TimeSpan Duration, int Target);

public enum BehaviourKind
{
    /// <summary>Boot, heartbeat, answer the CSMS; nothing of its own.</summary>
    Idle,
    /// <summary>Charging sessions arrive per connector as a Poisson process.</summary>
    Sessions,
}

public sealed record BehaviourPlan
{
    public static BehaviourPlan Idle { get; } = new() { Kind = BehaviourKind.Idle };

    public required BehaviourKind Kind { get; init; }
    /// <summary>Mean idle time between sessions on a connector (exponentially distributed).</summary>
    public TimeSpan MeanTimeBetweenSessions { get; init; } = TimeSpan.FromMinutes(10);
    public Distribution PlugInDuration { get; init; } = Distribution.Uniform(TimeSpan.FromMinutes(20).TotalSeconds, TimeSpan.FromMinutes(60).TotalSeconds);
    /// <summary>Energy the EV wants, in Wh.</summary>
    public Distribution EnergyNeedWh { get; init; } = Distribution.Uniform(5_000, 30_000);
    public IdTagPlan IdTags { get; init; } = new();
    /// <summary>Rate at which a connector goes Faulted (per connector per hour); 0 = never.</summary>
    public double FaultsPerConnectorHour { get; init; }
    public TimeSpan FaultDuration { get; init; } = TimeSpan.FromMinutes(2);
    /// <summary>What the driver does when the CSMS starts a session from an app (RemoteStartTransaction); in both behaviours.</summary>
    public RemoteStartPlan RemoteStart { get; init; } = new();
}

/// <summary>The driver of a remote start: plugs the EV in after <see cref="PlugInAfter"/> (seconds), or never.</summary>
public sealed record RemoteStartPlan
{
    /// <summary>Seconds from the charge point's wait for the cable to the plug-in; null = never (the charge point waits until ConnectionTimeOut).</summary>
    public Distribution? PlugInAfter { get; init; } = Distribution.Uniform(1, 3);
}

public sealed record IdTagPlan
{
    public IReadOnlyList<string> Accepted { get; init; } = ["TAG-0001", "TAG-0002", "TAG-0003", "TAG-0004"];
    /// <summary>Tags the embedded CSMS knows as blocked, to exercise rejections.</summary>
    public IReadOnlyList<string> Blocked { get; init; } = [];
    /// <summary>Share of sessions presenting a tag nobody knows (0..1).</summary>
    public double UnknownShare { get; init; }
}

public enum DistributionKind
{
    Constant,
    Uniform,
    Normal,
    Exponential,
}

/// <summary>A distribution of a plain number (seconds or watt-hours, as the field says).</summary>
public sealed record Distribution(DistributionKind Kind, double A, double B = 0)
{
    public static Distribution Constant(double value) => new(DistributionKind.Constant, value);
    public static Distribution Uniform(double min, double max) => new(DistributionKind.Uniform, min, max);
    public static Distribution Normal(double mean, double stdDev) => new(DistributionKind.Normal, mean, stdDev);
    public static Distribution Exponential(double mean) => new(DistributionKind.Exponential, mean);

    public double Sample(Random random) => Kind switch
    {
        DistributionKind.Constant => A,
        DistributionKind.Uniform => A + (random.NextDouble() * (B - A)),
        DistributionKind.Normal => Math.Max(0, A + (B * StandardNormal(random))),
        _ => -A * Math.Log(1 - random.NextDouble()),
    };

    private static double StandardNormal(Random random)
        => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}

public enum TimelineEventKind
{
    CsmsRestart,
    CsmsBlackhole,
    CsmsSlow,
    NetworkDrop,
    RebootAll,
}

public enum RefusalMode
{
    TcpRefuse,
    Http503,
}

/// <summary>At <see cref="At"/> after the start, do something to the fleet or the embedded CSMS.</summary>
public sealed record TimelineEvent
{
    public required TimeSpan At { get; init; }
    public required TimelineEventKind Kind { get; init; }
    /// <summary>How long the refusal, black hole, slowness or network drop lasts.</summary>
    public TimeSpan For { get; init; } = TimeSpan.FromSeconds(10);
    public RefusalMode Refusal { get; init; } = RefusalMode.TcpRefuse;
    /// <summary>Added delay of answers for csms-slow.</summary>
    public TimeSpan Delay { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>Share of charge points affected by a network drop (0..1].</summary>
    public double Share { get; init; } = 1.0;
}

/// <summary>A threshold expression as written (e.g. <c>p99 BootNotification &lt; 500ms</c>), checked by the metrics project.</summary>
/// <summary><see cref="DelayAbortEval"/>: how long after the start an abortOnFail threshold is first evaluated (k6's delayAbortEval).</summary>
public sealed record ThresholdPlan(string Expression, bool AbortOnFail = false)
{
    public TimeSpan DelayAbortEval { get; init; }
}
