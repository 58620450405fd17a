using Akka.Actor;
using Akka.Configuration;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Coordination;
using Simulator.Fleet.Logging;
using Simulator.Fleet.Plan;
using Simulator.Metrics;

namespace Simulator.Fleet.Running;

/// <summary>What a finished run hands to the report: the coordinator's account, the statistics and the journals.</summary>
public sealed record FleetRunResult(RunFinished Finished, StatisticsSnapshot Statistics, ConnectionJournal Connections, RunJournal Timeline)
{
    /// <summary>The phases the run went through (rampUp, steady, drain), each with what happened in it.</summary>
    public IReadOnlyList<PhaseStatistics> Phases { get; init; } = [];
}

/// <summary>
/// Runs one plan on this node: an actor system, a host for the charge points, the coordinator. The target URL is already
/// resolved (the CLI starts the embedded CSMS first when the plan asks for it).
/// </summary>
public sealed class FleetRunner(FleetPlan plan, Uri targetUrl, FleetTelemetry telemetry, ICsmsControl? csms)
{
    private static readonly Config AkkaConfig = ConfigurationFactory.ParseString("""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          actor.ask-timeout = 10s
          scheduler.implementation = "Simulator.Fleet.Running.TimerQueueScheduler, Simulator.Fleet"
          coordinated-shutdown.run-by-clr-shutdown-hook = off
          # One process, no remoting: no message is ever serialized, and Akka's default JSON serializer loaded Newtonsoft.Json.
          actor.serializers.json = "Simulator.Fleet.Running.LocalOnlySerializer, Simulator.Fleet"
        }
        """).WithFallback(ChargePointMailbox.Hocon);

    private IActorRef? _coordinator;

    /// <summary>
    /// Whether, once the arrival is complete, the runner makes a full compacting GC that gives the free heap back to the system,
    /// as the last step of the ramp-up (<see cref="RunPhaseTracker.Tick"/>: the steady phase begins at the next tick). Connecting and
    /// booting the whole fleet at once leaves garbage that outlived a few collections (connect and upgrade state of every charge
    /// point) in the oldest generation; an idle or paced fleet seldom collects it, and the GC keeps freed regions committed for
    /// later. Measured (tests/benchmarks/results/2026-12-05-memory.txt): 10,000 idle charge points 311 -> 272 MiB RSS. The C heap's
    /// free pages go back too (<see cref="NativeHeap.Trim"/>, then every minute): the ramp-up's native work memory, about 13 MiB at 5,000
    /// charge points.
    /// Off by default: it is for a process that is the fleet (<c>fleetsim run</c>); in a host with a large heap of its own
    /// (a test runner) the compaction's transient copy raised the working set by hundreds of MB.
    /// </summary>
    public bool CompactAfterRampUp { get; init; }

    /// <summary>
    /// After the ramp-up the C heap grows back by several MB within a minute (the JIT compiles what the steady phase runs first, the
    /// tiered compiler recompiles hot methods) and glibc keeps what that freed: trimmed again at this interval, with the compaction.
    /// </summary>
    private static readonly TimeSpan NativeHeapTrimInterval = TimeSpan.FromSeconds(60);

    private static void ReturnRampUpMemory()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
    }

    /// <summary>
    /// Called about once a second while the run goes, with the time since the start (for the terminal view and abort
    /// thresholds). Take <see cref="FleetTelemetry.Snapshot"/> there only if needed: it copies every histogram.
    /// </summary>
    public Action<TimeSpan>? OnProgress { get; init; }

    public int Seed { get; init; } = 1;

    /// <summary>CentralSystemRoots and the client-certificate issuer for the security profiles (e.g. the embedded CSMS's CA).</summary>
    public FleetSecurityMaterials Security { get; init; } = FleetSecurityMaterials.None;

    /// <summary>Where the traced charge points' frames go (<c>--trace</c>); null: no tracing.</summary>
    public Tracing.FrameTrace? Trace { get; init; }

    /// <summary>The charge points' non-volatile state (<c>--state</c>/<c>--resume</c>); the caller disposes it after the run.</summary>
    public State.ChargePointStateStore? State { get; init; }

    /// <summary>How long a charge point waits for the answer to a CALL before it counts a timeout.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The node's rate limit for what a CSMS can make the charge points log; null: one of the run's own.</summary>
    public RateLimitedLog? CsmsLog { get; init; }

    /// <summary>Where the run's phases are decided and recorded (give one to evaluate thresholds per phase while the run goes).</summary>
    public RunPhaseTracker? Phases { get; init; }

    /// <summary>Akka settings that take precedence over the runner's own (e.g. a test's log level and logger).</summary>
    public Config? AkkaOverrides { get; init; }

    /// <summary>Where charge points hand their settled transaction messages during the run (the loss check's fold); null: kept until the stop.</summary>
    public SettledMessageFold? SettledMessages { get; init; }

    public async Task<FleetRunResult> RunAsync(CancellationToken cancellationToken)
    {
        var bootTimeline = BootTimeline.Current;
        bootTimeline?.Mark("runner");
        var startedAt = DateTimeOffset.UtcNow;
        var connections = new ConnectionJournal(startedAt);
        var phases = Phases ?? new RunPhaseTracker(plan);
        phases.Start(startedAt, telemetry.Node);
        var timeline = new RunJournal { OnStopRequested = at => phases.EnterDrain(at, telemetry.Snapshot()) };
        var environment = new FleetEnvironment(plan, targetUrl, telemetry, connections, TimeProvider.System, Seed)
        {
            Security = Security,
            Trace = Trace,
            State = State,
            CallTimeout = CallTimeout,
            CsmsLog = CsmsLog ?? new RateLimitedLog(TimeProvider.System),
            SettledMessages = SettledMessages,
        };
        using var system = ActorSystem.Create("fleetsim", AkkaOverrides is null ? AkkaConfig : AkkaOverrides.WithFallback(AkkaConfig));
        var csmsLog = Akka.Event.Logging.GetLogger(system, "csms");
        bootTimeline?.Mark("actorSystem");
        try
        {
            var host = system.ActorOf(ChargePointHost.Props(environment), "charge-points");
            _coordinator = system.ActorOf(FleetCoordinator.Props(plan, environment.Catalog, host, csms, timeline), "coordinator");
            await using var abort = cancellationToken.Register(() => Abort("interrupted (SIGINT/SIGTERM)"));
            bootTimeline?.Watch(telemetry, environment.Catalog.Members.Count);
            var finishedTask = _coordinator.Ask<RunFinished>(BeginRun.Instance, plan.Duration + plan.Drain + TimeSpan.FromMinutes(2), CancellationToken.None);
            DateTimeOffset? nextTrim = null;
            while (!finishedTask.IsCompleted)
            {
                await Task.WhenAny(finishedTask, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None)).ConfigureAwait(false);
                connections.RecordQueueDepth(DateTimeOffset.UtcNow, (int)telemetry.OfflineQueueDepthNow);
                phases.Tick(DateTimeOffset.UtcNow, telemetry.ConnectedNow, telemetry.BootedNow, telemetry.Snapshot, CompactAfterRampUp ? ReturnRampUpMemory : null);
                if (nextTrim is null && CompactAfterRampUp && phases.Current == RunPhaseNames.Steady)
                {
                    nextTrim = DateTimeOffset.UtcNow + NativeHeapTrimInterval;
                }
                else if (nextTrim is { } due && DateTimeOffset.UtcNow >= due)
                {
                    NativeHeap.Trim();
                    nextTrim = due + NativeHeapTrimInterval;
                }
                environment.CsmsLog.WriteSummaries(csmsLog, all: false);
                OnProgress?.Invoke(DateTimeOffset.UtcNow - startedAt);
            }
            var finished = await finishedTask.ConfigureAwait(false);
            environment.CsmsLog.WriteSummaries(csmsLog, all: true);
            var final = telemetry.Snapshot();
            return new FleetRunResult(finished, final, connections, timeline) { Phases = phases.Complete(finished.EndedAt, final) };
        }
        finally
        {
            bootTimeline?.Finish();
            _coordinator = null;
            await system.Terminate().ConfigureAwait(false);
        }
    }

    /// <summary>Ends the run early and gracefully; the report is still produced.</summary>
    public void Abort(string reason) => _coordinator?.Tell(new AbortRun(reason));
}
