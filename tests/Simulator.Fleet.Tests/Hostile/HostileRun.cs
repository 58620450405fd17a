using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Coordination;
using Simulator.Fleet.Logging;
using Simulator.Fleet.Plan;
using Simulator.Fleet.Running;
using Simulator.Fleet.Tests.EndToEnd;
using Simulator.Metrics;

namespace Simulator.Fleet.Tests.Hostile;

/// <summary>Captures every Akka log line of the hostile runs' actor systems (DEBUG and up), for counting.</summary>
public sealed class HostileLogCapture : ReceiveActor
{
    public static ConcurrentQueue<string> Lines { get; } = new();

    public HostileLogCapture()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e => Lines.Enqueue(e.ToString()));
    }
}

/// <summary>What a hostile run measured: the run's own account and report, memory, and the log lines it wrote.</summary>
public sealed record HostileRunResult(
    RunFinished Finished,
    StatisticsSnapshot Statistics,
    RunReport Report,
    TimeSpan Elapsed,
    long ManagedBefore,
    long ManagedAfter,
    long WorkingSetBefore,
    long WorkingSetPeak,
    IReadOnlyList<string> LogLines,
    IReadOnlyDictionary<string, long> Suppressed);

/// <summary>
/// One run of a plan as <see cref="FleetRunner"/> does it (the same coordinator, charge-point host and per-second summary
/// writing), with the call timeout a test needs and the log captured at DEBUG. Memory is measured before, every second
/// during, and after the run.
/// </summary>
internal static class HostileRun
{
    private static readonly Config AkkaConfig = ConfigurationFactory.ParseString("""
        akka {
          loglevel = DEBUG
          loggers = ["Simulator.Fleet.Tests.Hostile.HostileLogCapture, Simulator.Fleet.Tests"]
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          actor.ask-timeout = 10s
          coordinated-shutdown.run-by-clr-shutdown-hook = off
        }
        """);

    public static FleetPlan Plan(int count, TimeSpan duration, int maxMessageBytes) => Plans.OneType(
        "HOSTILE-{000}",
        count: count,
        duration: duration,
        // Sessions arrive after the boot (within seconds), charge for the rest of the run, with MeterValues every second.
        behaviour: Plans.OneSession(TimeSpan.FromMinutes(5)) with { MeanTimeBetweenSessions = TimeSpan.FromSeconds(2) },
        reconnect: new ReconnectPlan { Kind = ReconnectKind.Fixed, Interval = TimeSpan.FromMilliseconds(500) })
        with { Target = new TargetPlan { MaxMessageBytes = maxMessageBytes } };

    public static async Task<HostileRunResult> RunAsync(FleetPlan plan, Uri target, TimeSpan callTimeout, Action<TimeSpan>? onProgress = null)
    {
        HostileLogCapture.Lines.Clear();
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var workingSetBefore = Environment.WorkingSet;
        var workingSetPeak = workingSetBefore;
        var clock = Stopwatch.StartNew();
        using var telemetry = new FleetTelemetry("hostile");
        var environment = new FleetEnvironment(plan, target, telemetry, new ConnectionJournal(DateTimeOffset.UtcNow), TimeProvider.System) { CallTimeout = callTimeout };
        var system = ActorSystem.Create("hostile-" + Guid.NewGuid().ToString("N")[..8], AkkaConfig);
        RunFinished finished;
        StatisticsSnapshot statistics;
        try
        {
            var csmsLog = Akka.Event.Logging.GetLogger(system, "csms");
            var host = system.ActorOf(ChargePointHost.Props(environment), "charge-points");
            var coordinator = system.ActorOf(FleetCoordinator.Props(plan, environment.Catalog, host, null, new RunJournal()), "coordinator");
            var finishedTask = coordinator.Ask<RunFinished>(BeginRun.Instance, plan.Duration + TimeSpan.FromMinutes(2), CancellationToken.None);
            while (!finishedTask.IsCompleted)
            {
                await Task.WhenAny(finishedTask, Task.Delay(TimeSpan.FromSeconds(1)));
                environment.CsmsLog.WriteSummaries(csmsLog, all: false);
                workingSetPeak = Math.Max(workingSetPeak, Environment.WorkingSet);
                onProgress?.Invoke(clock.Elapsed);
            }
            finished = await finishedTask;
            environment.CsmsLog.WriteSummaries(csmsLog, all: true);
            statistics = telemetry.Snapshot();
        }
        finally
        {
            await system.Terminate();
        }
        var elapsed = clock.Elapsed;
        var report = RunReportBuilder.Build(new RunInfo("hostile", plan.Name, finished.StartedAt, finished.EndedAt, plan.Types.Sum(t => t.Count)), statistics);
        var managedAfter = GC.GetTotalMemory(forceFullCollection: true);
        return new HostileRunResult(finished, statistics, report, elapsed, managedBefore, managedAfter, workingSetBefore, workingSetPeak,
            [.. HostileLogCapture.Lines], environment.CsmsLog.Suppressed);
    }
}
