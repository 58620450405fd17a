using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Plan;
using Simulator.Fleet.Tests.EndToEnd;
using Simulator.Metrics;

namespace Simulator.Fleet.Tests.StrictCsms;

/// <summary>
/// The strict third-party CSMS as a child process and a real FleetSim fleet (actor system, charge-point host, real WebSockets)
/// connected to it at <c>ws://127.0.0.1:PORT/</c>. Every harness gets charge-point ids of its own, so nothing one test
/// leaves behind is mistaken for another's. Disposing stops the fleet, then the CSMS.
/// </summary>
public sealed class StrictCsmsHarness : IAsyncDisposable
{
    /// <summary>The Basic-auth password of the security-profile-1 charge points (their AuthorizationKey, sent as hex text).</summary>
    public const string Key = "00112233445566778899aabbccddeeff";

    /// <summary>How long any follow-up may take to show on the wire.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static readonly Config AkkaConfig = ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          coordinated-shutdown.run-by-clr-shutdown-hook = off
        }
        """).WithFallback(ChargePointMailbox.Hocon);

    private static int _harnesses;

    private readonly ActorSystem _system;
    private readonly IActorRef _host;
    private readonly FleetTelemetry _telemetry;

    private StrictCsmsHarness(StrictCsmsProcess csms, FleetEnvironment environment, ActorSystem system, IActorRef host, FleetTelemetry telemetry)
    {
        Csms = csms;
        Environment = environment;
        _system = system;
        _host = host;
        _telemetry = telemetry;
    }

    public StrictCsmsProcess Csms { get; }
    public FleetEnvironment Environment { get; }

    /// <summary>
    /// Starts the strict CSMS and a fleet of <paramref name="count"/> idle charge points with 2 connectors. With
    /// <paramref name="securityProfile1"/> they connect with Basic auth (the CSMS requires <see cref="Key"/>) and have the
    /// security extension on; otherwise they are plain 1.6 charge points at profile 0.
    /// </summary>
    public static async Task<StrictCsmsHarness> StartAsync(
        int count = 1, bool securityProfile1 = false, BehaviourPlan? behaviour = null, IReadOnlyDictionary<string, string>? configuration = null,
        Func<FleetPlan, FleetPlan>? adjust = null)
    {
        var csms = await StrictCsmsProcess.StartAsync();
        try
        {
            var prefix = $"STRICT{Interlocked.Increment(ref _harnesses):000}";
            var plan = Plans.OneType(prefix + "-{000}", count: count, behaviour: behaviour, configuration: configuration);
            plan = adjust?.Invoke(plan) ?? plan;
            if (securityProfile1)
            {
                plan = plan with { Types = [plan.Types[0] with { Security = new SecurityPlan { Profile = 1, AuthorizationKey = Key, CpoName = "Strict CPO" } }] };
            }
            var telemetry = new FleetTelemetry("strict");
            var environment = new FleetEnvironment(plan, csms.Url, telemetry, new ConnectionJournal(DateTimeOffset.UtcNow), TimeProvider.System)
            {
                CallTimeout = TimeSpan.FromSeconds(10),
            };
            if (securityProfile1)
            {
                foreach (var member in environment.Catalog.Members)
                {
                    await csms.SetPasswordAsync(member.ChargeBoxId, Key);
                }
            }
            var system = ActorSystem.Create("strict", AkkaConfig);
            var host = system.ActorOf(ChargePointHost.Props(environment), "charge-points");
            return new StrictCsmsHarness(csms, environment, system, host, telemetry);
        }
        catch
        {
            await csms.DisposeAsync();
            throw;
        }
    }

    public string Id(int index = 0) => Environment.Catalog.Members[index].ChargeBoxId;

    /// <summary>Starts the charge point without waiting for anything.</summary>
    public void Start(string id) => _host.Tell(new StartChargePoint(id));

    public int Connectors(int index = 0) => Environment.Catalog.Members[index].Type.Connectors;

    /// <summary>Starts the charge point; returns once its BootNotification was answered Accepted and every connector (0..n) reported a status.</summary>
    public async Task<string> StartAcceptedAsync(int index = 0)
    {
        var id = Id(index);
        _host.Tell(new StartChargePoint(id));
        await Await.ConditionAsync(() => BootAnswers(id).Contains("Accepted"), Wait, $"{id}: a BootNotification answered Accepted");
        await Await.ConditionAsync(
            () => Enumerable.Range(0, Connectors(index) + 1).All(c => Csms.Calls(id, "StatusNotification").Any(s => s.ConnectorId == c)),
            Wait, $"{id}: a StatusNotification for every connector");
        return id;
    }

    /// <summary>Starts the charge point with the CSMS answering its boot Pending (interval 60 s: no boot retry during a test).</summary>
    public async Task<string> StartPendingAsync(int index = 0)
    {
        var id = Id(index);
        await Csms.SetBootAsync("Pending", id, interval: 60);
        _host.Tell(new StartChargePoint(id));
        await Await.ConditionAsync(() => BootAnswers(id).Contains("Pending"), Wait, $"{id}: a BootNotification answered Pending");
        return id;
    }

    /// <summary>The statuses the CSMS gave to the charge point's BootNotifications, in order.</summary>
    public IReadOnlyList<string> BootAnswers(string id)
        => [.. Csms.Of(id, "answered").Where(e => e.Action == "BootNotification").Select(e => e.Payload.GetProperty("status").GetString()!)];

    public IReadOnlyList<StrictEvent> Calls(string id, string action) => Csms.Calls(id, action);

    /// <summary>Sends a CALL and asserts it was answered (not a CALLERROR, a timeout or a schema failure).</summary>
    public async Task<JsonElement> AnsweredAsync(string id, string action, object payload, TimeSpan? timeout = null)
    {
        var result = await Csms.CallAsync(id, action, payload, timeout);
        Assert.True(result.IsAnswered, $"{id}: {result}");
        return result.Answer;
    }

    /// <summary>Waits for a CALL of this action, sent after <paramref name="after"/> of them were already there, that matches.</summary>
    public async Task<StrictEvent> NextCallAsync(string id, string action, int after, Func<StrictEvent, bool>? match = null, TimeSpan? timeout = null)
    {
        StrictEvent? found = null;
        await Await.ConditionAsync(
            () => (found = Calls(id, action).Skip(after).FirstOrDefault(c => match?.Invoke(c) ?? true)) is not null,
            timeout ?? Wait, $"{id}: {action}{(match is null ? "" : " (matching)")} after the {after} already seen; seen since: [{string.Join(", ", Calls(id, action).Skip(after).Select(c => c.Payload.GetRawText()))}]");
        return found!;
    }

    /// <summary>The number of connections the charge point opened to the strict CSMS so far.</summary>
    public int Connections(string id) => Csms.Of(id, "connect").Count;

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _system.Terminate().WaitAsync(TimeSpan.FromSeconds(15));
        }
        finally
        {
            _telemetry.Dispose();
            await Csms.DisposeAsync();
        }
    }
}
