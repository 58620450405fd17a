using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
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
/// One run of a plan through <see cref="FleetRunner"/>, with the call timeout a test needs and the log captured at DEBUG.
/// Memory is measured before, every second during, and after the run.
/// </summary>
internal static class HostileRun
{
    private static readonly Config LogCapture = ConfigurationFactory.ParseString("""
        akka {
          loglevel = DEBUG
          stdout-loglevel = WARNING
          loggers = ["Simulator.Fleet.Tests.Hostile.HostileLogCapture, Simulator.Fleet.Tests"]
        }
        """);

    public static FleetPlan Plan(int count, TimeSpan duration, int maxMessageBytes) => Plans.OneType(
        "HOSTILE-{000}",
        count: count,
        duration: duration,
        // Sessions arrive after the boot (within seconds), charge for the rest of the run, with MeterValues every second.
        behaviour: Plans.OneSession(TimeSpan.FromMinutes(5)) with { MeanTimeBetweenSessions = TimeSpan.FromSeconds(2) },
        reconnect: new ReconnectPlan { Kind = ReconnectKind.Fixed, Interval = TimeSpan.FromMilliseconds(500) })
        with { Target = new TargetPlan { MaxMessageBytes = maxMessageBytes }, Drain = TimeSpan.FromSeconds(5) };

    public static async Task<HostileRunResult> RunAsync(FleetPlan plan, Uri target, TimeSpan callTimeout, Action<TimeSpan>? onProgress = null)
    {
        HostileLogCapture.Lines.Clear();
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var workingSetBefore = Environment.WorkingSet;
        var workingSetPeak = workingSetBefore;
        var clock = Stopwatch.StartNew();
        using var telemetry = new FleetTelemetry("hostile");
        var csmsLog = new RateLimitedLog(TimeProvider.System);
        var runner = new FleetRunner(plan, target, telemetry, null)
        {
            CallTimeout = callTimeout,
            CsmsLog = csmsLog,
            AkkaOverrides = LogCapture,
            OnProgress = elapsed =>
            {
                workingSetPeak = Math.Max(workingSetPeak, Environment.WorkingSet);
                onProgress?.Invoke(elapsed);
            },
        };
        var run = await runner.RunAsync(CancellationToken.None);
        var elapsed = clock.Elapsed;
        var finished = run.Finished;
        var report = RunReportBuilder.Build(new RunInfo("hostile", plan.Name, finished.StartedAt, finished.EndedAt, plan.Types.Sum(t => t.Count)), run.Statistics);
        var managedAfter = GC.GetTotalMemory(forceFullCollection: true);
        return new HostileRunResult(finished, run.Statistics, report, elapsed, managedBefore, managedAfter, workingSetBefore, workingSetPeak,
            [.. HostileLogCapture.Lines], csmsLog.Suppressed);
    }
}
