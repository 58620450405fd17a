using Akka.Actor;
using Akka.Configuration;
using Simulator.Csms;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Plan;
using Simulator.Metrics;

namespace Simulator.Fleet.Tests.EndToEnd;

/// <summary>The end-to-end tests run one after the other: they open real sockets and wait on real time, on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EndToEndGroup
{
    public const string Name = "EndToEnd";
}

public static class Await
{
    /// <summary>Polls until the condition holds; fails with <paramref name="what"/> when it does not within the timeout.</summary>
    public static async Task ConditionAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {timeout.TotalSeconds:0.#} s waiting for: {what}");
            }
            await Task.Delay(50);
        }
    }

    public static Task ConditionAsync(Func<bool> condition, string what) => ConditionAsync(condition, TimeSpan.FromSeconds(20), what);
}

public static class Cadence
{
    /// <summary>
    /// The heartbeat cadence seen on the wire: the mean gap (robust to one late beat, since the model keeps its schedule and a
    /// late beat is followed by an early one) must be near the interval, and no gap may be far longer than it.
    /// </summary>
    public static void AssertNear(IReadOnlyList<DateTimeOffset> beats, TimeSpan interval)
    {
        Assert.True(beats.Count >= 4, $"only {beats.Count} beats");
        var mean = (beats[^1] - beats[0]).TotalSeconds / (beats.Count - 1);
        Assert.InRange(mean, interval.TotalSeconds * 0.7, interval.TotalSeconds * 1.5);
        Assert.All(beats.Zip(beats.Skip(1), (a, b) => (b - a).TotalSeconds), gap => Assert.True(gap < interval.TotalSeconds * 2.5, $"a gap of {gap:0.00} s"));
    }
}

public static class Plans
{
    /// <summary>A one-type plan with short intervals so that everything happens within seconds.</summary>
    public static FleetPlan OneType(
        string idPattern,
        int count = 1,
        int connectors = 2,
        IReadOnlyDictionary<string, string>? configuration = null,
        BehaviourPlan? behaviour = null,
        ReconnectPlan? reconnect = null,
        TimeSpan? duration = null,
        IReadOnlyList<TimelineEvent>? timeline = null,
        ArrivalPlan? arrival = null)
    {
        var config = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["MeterValueSampleInterval"] = "1",
            ["TransactionMessageRetryInterval"] = "1",
            ["TransactionMessageAttempts"] = "10",
            ["ConnectionTimeOut"] = "60",
        };
        foreach (var (key, value) in configuration ?? new Dictionary<string, string>())
        {
            config[key] = value;
        }
        return new FleetPlan
        {
            Name = "e2e",
            Duration = duration ?? TimeSpan.FromMinutes(5),
            Target = new TargetPlan(),
            Types =
            [
                new ChargePointTypePlan
                {
                    Name = "ac",
                    Count = count,
                    IdPattern = idPattern,
                    Connectors = connectors,
                    MaxPowerW = 22_000,
                    Ev = new EvPlan { MaxPowerW = 22_000, BatteryCapacityWh = 100_000, ArrivalSocMin = 0.1, ArrivalSocMax = 0.2 },
                    Configuration = config,
                    Reconnect = reconnect ?? new ReconnectPlan { Kind = ReconnectKind.Fixed, Interval = TimeSpan.FromMilliseconds(500) },
                },
            ],
            Arrival = arrival ?? ArrivalPlan.AllAtOnce,
            Behaviour = behaviour ?? BehaviourPlan.Idle,
            Timeline = timeline ?? [],
        };
    }

    /// <summary>
    /// The EV is plugged in on every connector at once and stays for minutes; the driver presents a tag the CSMS blocks, so
    /// no transaction starts by itself: connectors wait, plugged, for a RemoteStartTransaction.
    /// </summary>
    public static BehaviourPlan PluggedWaitingForRemoteStart => new()
    {
        Kind = BehaviourKind.Sessions,
        MeanTimeBetweenSessions = TimeSpan.FromMilliseconds(1),
        PlugInDuration = Distribution.Constant(600),
        EnergyNeedWh = Distribution.Constant(80_000),
        IdTags = new IdTagPlan { Accepted = [], Blocked = [BlockedTag] },
    };

    public const string BlockedTag = "E2E-BLOCKED";

    /// <summary>The EV plugs in at once, the driver's accepted tag starts a session, the EV leaves after <paramref name="plugged"/>.</summary>
    public static BehaviourPlan OneSession(TimeSpan plugged) => new()
    {
        Kind = BehaviourKind.Sessions,
        MeanTimeBetweenSessions = TimeSpan.FromMilliseconds(1),
        PlugInDuration = Distribution.Constant(plugged.TotalSeconds),
        EnergyNeedWh = Distribution.Constant(80_000),
        IdTags = new IdTagPlan { Accepted = ["E2E-TAG"] },
    };
}

/// <summary>
/// A real embedded CSMS on 127.0.0.1 (port 0), optionally a recording tap in front of it, and a real actor system with a
/// charge-point host whose actors connect over real WebSockets. Disposing stops everything.
/// </summary>
public sealed class FleetHarness : IAsyncDisposable
{
    private static readonly Config AkkaConfig = ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          coordinated-shutdown.run-by-clr-shutdown-hook = off
        }
        """).WithFallback(ChargePointMailbox.Hocon);

    private FleetHarness(CsmsServer csms, OcppTap? tap, ActorSystem system, FleetEnvironment environment, IActorRef host, FleetTelemetry telemetry)
    {
        Csms = csms;
        Tap = tap;
        System = system;
        Environment = environment;
        Host = host;
        Telemetry = telemetry;
    }

    public CsmsServer Csms { get; }
    public OcppTap? Tap { get; }
    public OcppTap Wire => Tap ?? throw new InvalidOperationException("this harness has no tap");
    public ActorSystem System { get; }
    public FleetEnvironment Environment { get; }
    public IActorRef Host { get; }
    public FleetTelemetry Telemetry { get; }
    public ConnectionJournal Journal => Environment.Journal;

    public static async Task<FleetHarness> StartAsync(FleetPlan plan, CsmsOptions? csmsOptions = null, bool tap = true, TimeSpan? callTimeout = null)
    {
        var csms = new CsmsServer((csmsOptions ?? new CsmsOptions()) with { Port = 0, ControlPort = null });
        await csms.StartAsync();
        csms.IdTags.Set(Plans.BlockedTag, new IdTagEntry(Simulator.Ocpp.V16.Types.AuthorizationStatus.Blocked));
        var recorder = tap ? await OcppTap.StartAsync(csms.Url) : null;
        var telemetry = new FleetTelemetry("e2e");
        var environment = new FleetEnvironment(plan, recorder?.Url ?? csms.Url, telemetry, new ConnectionJournal(DateTimeOffset.UtcNow), TimeProvider.System)
        {
            CallTimeout = callTimeout ?? TimeSpan.FromSeconds(10),
        };
        var system = ActorSystem.Create("e2e", AkkaConfig);
        var host = system.ActorOf(ChargePointHost.Props(environment), "charge-points");
        return new FleetHarness(csms, recorder, system, environment, host, telemetry);
    }

    public string Id(int index = 0) => Environment.Catalog.Members[index].ChargeBoxId;

    public void Start(string chargeBoxId) => Host.Tell(new StartChargePoint(chargeBoxId));

    /// <summary>Starts the charge point and waits until the CSMS has it booted and has every connector's status.</summary>
    public async Task<string> StartBootedAsync(int index = 0)
    {
        var id = Id(index);
        Start(id);
        var connectors = Environment.Catalog.Members[index].Type.Connectors;
        await Await.ConditionAsync(
            () => Csms.Registry.Find(id)?.Snapshot() is { Booted: true, Connected: true } s && s.Connectors.Count == connectors + 1,
            $"{id} booted with {connectors + 1} connector statuses in the CSMS registry");
        return id;
    }

    public Task<ChargePointStopped> StopAsync(string chargeBoxId, TimeSpan? drain = null)
        => Host.Ask<ChargePointStopped>(new StopChargePoint(chargeBoxId, drain ?? TimeSpan.FromSeconds(5)), TimeSpan.FromSeconds(30));

    public ChargePointSnapshot Snapshot(string chargeBoxId) => Csms.Registry.Find(chargeBoxId)?.Snapshot() ?? throw new InvalidOperationException($"{chargeBoxId} unknown to the CSMS");

    public async ValueTask DisposeAsync()
    {
        await System.Terminate();
        if (Tap is not null)
        {
            await Tap.DisposeAsync();
        }
        await Csms.DisposeAsync();
        Telemetry.Dispose();
    }
}
