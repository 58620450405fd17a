using System.Collections.Concurrent;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Simulator.Cli.Embedded;
using Simulator.Csms;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Plan;
using Simulator.Fleet.Running;
using Simulator.Metrics;
using PlanRefusal = Simulator.Fleet.Plan.RefusalMode;

namespace Simulator.Fleet.Tests.EndToEnd;

/// <summary>Captures the Akka log lines of the runs that ask for it (the timeline-failure test), for reading back.</summary>
public sealed class TimelineLogCapture : ReceiveActor
{
    public static ConcurrentQueue<string> Lines { get; } = new();

    public TimelineLogCapture()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e => Lines.Enqueue(e.ToString()));
    }
}

/// <summary>Timeline storm events through the real <see cref="FleetRunner"/> against the real embedded CSMS.</summary>
[Collection(EndToEndGroup.Name)]
public sealed class StormTests
{
    private static async Task<(FleetRunResult Result, CsmsServer Csms)> RunAsync(FleetPlan plan)
    {
        var csms = new CsmsServer(new CsmsOptions { ControlPort = null, HeartbeatInterval = 60 });
        await csms.StartAsync();
        using var telemetry = new FleetTelemetry("e2e-storm");
        var runner = new FleetRunner(plan, csms.Url, telemetry, new InProcessCsms(csms));
        var result = await runner.RunAsync(CancellationToken.None);
        return (result, csms);
    }

    private static List<ConnectionEvent> After(FleetRunResult result, DateTimeOffset at, int chargePoint, ConnectionEventKind kind)
        => [.. result.Connections.Events.Where(e => e.ChargePoint == chargePoint && e.Kind == kind && e.At >= at)];

    [Fact]
    public async Task A_CSMS_restart_with_TCP_refusal_every_charge_point_comes_back_after_the_refusal_and_nothing_is_lost()
    {
        var refusal = TimeSpan.FromSeconds(3);
        var plan = Plans.OneType(
            "STORM-{000}",
            count: 50,
            behaviour: new BehaviourPlan
            {
                Kind = BehaviourKind.Sessions,
                MeanTimeBetweenSessions = TimeSpan.FromSeconds(2),
                PlugInDuration = Distribution.Uniform(4, 8),
                EnergyNeedWh = Distribution.Constant(50_000),
                IdTags = new IdTagPlan { Accepted = ["E2E-TAG"] },
            },
            reconnect: new ReconnectPlan { Kind = ReconnectKind.Exponential, Base = TimeSpan.FromMilliseconds(500), Cap = TimeSpan.FromSeconds(4), Jitter = JitterKind.Full },
            duration: TimeSpan.FromSeconds(15),
            timeline: [new TimelineEvent { At = TimeSpan.FromSeconds(4), Kind = TimelineEventKind.CsmsRestart, For = refusal, Refusal = PlanRefusal.TcpRefuse }]);

        var (result, csms) = await RunAsync(plan);
        await using (csms)
        {
            Assert.Equal(50, result.Finished.ChargePointsStarted);
            Assert.Empty(result.Finished.DidNotStop);
            var storm = Assert.Single(StormAnalyzer.Analyze(result.Timeline, result.Connections, result.Finished.EndedAt), s => s.Name != "arrival");
            Assert.Equal("csms-restart", storm.Name);
            var f = storm.Figures;
            Assert.Equal(50, f["affected"]);
            Assert.Equal(0, f["neverReconnected"]);
            Assert.True(f["secondsTo100PctConnected"] >= refusal.TotalSeconds, $"everyone was back after {f["secondsTo100PctConnected"]} s, within the {refusal.TotalSeconds} s refusal");
            Assert.True(storm.FailedAttemptsByResult.GetValueOrDefault("refused") > 0, "attempts during the refusal are counted as refused: " + string.Join(", ", storm.FailedAttemptsByResult.Select(kv => $"{kv.Key}={kv.Value}")));

            // No charge point got through while the listener was closed.
            var fired = result.Timeline.Events.Single().FiredAt;
            foreach (var member in Enumerable.Range(0, 50))
            {
                var back = After(result, fired, member, ConnectionEventKind.Connected);
                Assert.NotEmpty(back);
                Assert.True(back[0].At >= fired + refusal - TimeSpan.FromMilliseconds(200), $"charge point {member} reconnected {(back[0].At - fired).TotalSeconds:0.00} s after the restart, inside the refusal");
            }

            var stopped = result.Finished.Stopped;
            Assert.True(stopped.Sum(s => s.Produced.Count) > 50, "the fleet was charging through the storm");
            var loss = csms.Ledger.Reconcile(Simulator.Cli.Embedded.ProducedMessages.ForLedger(stopped));
            Assert.Equal(0, loss.Lost);
            Assert.Equal(0, loss.Unexpected);
            Assert.Equal(0, stopped.Sum(s => s.UndeliveredTransactionMessages));
        }
    }

    [Fact]
    public async Task A_network_drop_of_half_the_fleet_disconnects_only_that_half_and_none_returns_before_the_drop_is_over()
    {
        var drop = TimeSpan.FromSeconds(3);
        var plan = Plans.OneType(
            "NDROP-{000}",
            count: 20,
            duration: TimeSpan.FromSeconds(9),
            timeline: [new TimelineEvent { At = TimeSpan.FromSeconds(2), Kind = TimelineEventKind.NetworkDrop, For = drop, Share = 0.5 }]);

        var (result, csms) = await RunAsync(plan);
        await using (csms)
        {
            var fired = result.Timeline.Events.Single().FiredAt;
            var stopAt = result.Timeline.StopRequestedAt!.Value;
            var dropped = Enumerable.Range(0, 20).Where(i => After(result, fired, i, ConnectionEventKind.Disconnected).Any(e => e.At < stopAt)).ToList();
            Assert.InRange(dropped.Count, 8, 12);
            foreach (var i in dropped)
            {
                var back = After(result, fired, i, ConnectionEventKind.Connected);
                Assert.NotEmpty(back);
                Assert.True(back[0].At >= fired + drop - TimeSpan.FromMilliseconds(100), $"charge point {i} was back {(back[0].At - fired).TotalSeconds:0.00} s after a {drop.TotalSeconds} s network drop");
            }
            var storm = Assert.Single(StormAnalyzer.Analyze(result.Timeline, result.Connections, result.Finished.EndedAt), s => s.Name != "arrival");
            Assert.Equal(dropped.Count, storm.Figures["affected"]);
            Assert.Equal(0, storm.Figures["neverReconnected"]);
        }
    }

    [Fact]
    public async Task A_timeline_event_that_fails_is_logged_and_reported_with_its_reason()
    {
        // The charge points talk to a real CSMS, but the run has no control over it: a CSMS event cannot be carried out.
        await using var csms = new CsmsServer(new CsmsOptions { ControlPort = null, HeartbeatInterval = 60 });
        await csms.StartAsync();
        using var telemetry = new FleetTelemetry("e2e-timeline-failure");
        var plan = Plans.OneType(
            "TLFAIL-{000}",
            count: 3,
            duration: TimeSpan.FromSeconds(3),
            timeline: [new TimelineEvent { At = TimeSpan.FromSeconds(1), Kind = TimelineEventKind.CsmsBlackhole, For = TimeSpan.FromSeconds(1) }]);
        TimelineLogCapture.Lines.Clear();
        var runner = new FleetRunner(plan, csms.Url, telemetry, null)
        {
            AkkaOverrides = ConfigurationFactory.ParseString("""
                akka.loggers = ["Simulator.Fleet.Tests.EndToEnd.TimelineLogCapture, Simulator.Fleet.Tests"]
                """),
        };

        var result = await runner.RunAsync(CancellationToken.None);

        var fired = Assert.Single(result.Timeline.Events);
        Assert.Equal("the target is not the embedded CSMS", fired.Failure);
        var storm = Assert.Single(StormAnalyzer.Analyze(result.Timeline, result.Connections, result.Finished.EndedAt), s => s.Name != "arrival");
        Assert.Equal(("csms-blackhole", "the target is not the embedded CSMS"), (storm.Name, storm.Failure));
        var line = Assert.Single(TimelineLogCapture.Lines, l => l.Contains("csms-blackhole", StringComparison.Ordinal) && l.Contains("failed", StringComparison.Ordinal));
        Assert.Contains("[WARNING]", line, StringComparison.Ordinal);
        Assert.Contains("Timeline event csms-blackhole at 00:00:01 failed: the target is not the embedded CSMS", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reboot_all_makes_every_charge_point_boot_again()
    {
        var plan = Plans.OneType(
            "REBOOT-{000}",
            count: 20,
            duration: TimeSpan.FromSeconds(7),
            timeline: [new TimelineEvent { At = TimeSpan.FromSeconds(2), Kind = TimelineEventKind.RebootAll }]);

        var (result, csms) = await RunAsync(plan);
        await using (csms)
        {
            var fired = result.Timeline.Events.Single().FiredAt;
            Assert.All(Enumerable.Range(0, 20), i => Assert.NotEmpty(After(result, fired, i, ConnectionEventKind.Booted)));
            var storm = Assert.Single(StormAnalyzer.Analyze(result.Timeline, result.Connections, result.Finished.EndedAt), s => s.Name != "arrival");
            Assert.Equal("reboot-all", storm.Name);
            Assert.Equal(20, storm.Figures["affected"]);
            Assert.True(storm.Figures.ContainsKey("secondsTo100PctBooted"), "every charge point booted again");
            Assert.All(csms.Registry.Snapshot(), s => Assert.True(s.Connections >= 2, $"{s.ChargeBoxId} connected {s.Connections} time(s)"));
        }
    }
}
