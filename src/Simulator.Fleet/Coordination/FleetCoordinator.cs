using Akka.Actor;
using Akka.Event;
using Simulator.Fleet.Behaviour;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Logging;
using Simulator.Fleet.Plan;
using Simulator.Fleet.Running;

namespace Simulator.Fleet.Coordination;

/// <summary>
/// Runs a plan: brings charge points up as the arrival schedule says (fleet-wide), fires timeline events at their time,
/// and at the end (or on abort) stops every charge point and collects what each produced. Charge points are reached
/// only through <c>chargePoints</c> — a local host or a shard region — by chargeBoxId.
/// </summary>
public sealed class FleetCoordinator : UntypedActor, IWithTimers
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);
    /// <summary>How long after the drain the coordinator still waits for charge points to report.</summary>
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(15);

    private readonly FleetPlan _plan;
    private readonly FleetCatalog _catalog;
    private readonly IActorRef _chargePoints;
    private readonly ICsmsControl? _csms;
    private readonly IRunJournal _journal;
    private readonly ArrivalSchedule _arrivals;
    private readonly Queue<TimelineEvent> _pendingEvents;
    private readonly Dictionary<string, ChargePointStopped> _stopped = new(StringComparer.Ordinal);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly RateLimitedLog _eventFailures = new(TimeProvider.System);
    private IActorRef? _requester;
    private DateTimeOffset _startedAt;
    private int _started;
    private string? _abortReason;

    private readonly TimeSpan? _resendStartsEvery;

    public FleetCoordinator(FleetPlan plan, FleetCatalog catalog, IActorRef chargePoints, ICsmsControl? csms, IRunJournal journal, TimeSpan? resendStartsEvery = null)
    {
        _resendStartsEvery = resendStartsEvery;
        _plan = plan;
        _catalog = catalog;
        _chargePoints = chargePoints;
        _csms = csms;
        _journal = journal;
        _arrivals = new ArrivalSchedule(plan.Arrival, catalog.Members.Count);
        _pendingEvents = new Queue<TimelineEvent>(plan.Timeline.OrderBy(e => e.At));
    }

    // UntypedActor's switches rather than ReceiveActor's Receive<T>: a ReceiveActor compiles its handlers with
    // System.Linq.Expressions when it starts and at every Become, code a single-node run has no other use for.
    protected override void OnReceive(object message)
    {
        if (message is BeginRun)
        {
            Begin();
        }
        else
        {
            Unhandled(message);
        }
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(FleetPlan plan, FleetCatalog catalog, IActorRef chargePoints, ICsmsControl? csms, IRunJournal journal)
        => ActorProducer<FleetCoordinator>.Props(() => new FleetCoordinator(plan, catalog, chargePoints, csms, journal, null));

    /// <summary>
    /// For a shard region: every <paramref name="resendStartsEvery"/> the coordinator tells every started charge point to
    /// start again. A live one ignores it; one whose node died is created anew on a surviving node (no remember-entities).
    /// </summary>
    public static Props Props(FleetPlan plan, FleetCatalog catalog, IActorRef chargePoints, ICsmsControl? csms, IRunJournal journal, TimeSpan resendStartsEvery)
        => ActorProducer<FleetCoordinator>.Props(() => new FleetCoordinator(plan, catalog, chargePoints, csms, journal, resendStartsEvery));

    private void Begin()
    {
        _requester = Sender;
        _startedAt = DateTimeOffset.UtcNow;
        _journal.RunStarted(_startedAt);
        Become(Running);
        Timers.StartPeriodicTimer("tick", Tick.Instance, TimeSpan.Zero, TickInterval);
        Timers.StartSingleTimer("end", EndOfRun.Instance, _plan.Duration);
        if (_resendStartsEvery is { } every)
        {
            Timers.StartPeriodicTimer("resend", ResendStarts.Instance, every);
        }
    }

    private void Running(object message)
    {
        switch (message)
        {
            case Tick:
                OnTick();
                break;
            case ResendStarts:
                for (var i = 0; i < _started; i++)
                {
                    _chargePoints.Tell(new StartChargePoint(_catalog.Members[i].ChargeBoxId));
                }
                break;
            case EndOfRun:
                BeginStopping(null);
                break;
            case AbortRun abort:
                BeginStopping(abort.Reason);
                break;
            case TimelineEventDone done:
                OnEventDone(done);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnTick()
    {
        var elapsed = DateTimeOffset.UtcNow - _startedAt;
        var target = _arrivals.TargetAt(elapsed);
        while (_started < target)
        {
            _chargePoints.Tell(new StartChargePoint(_catalog.Members[_started].ChargeBoxId));
            _started++;
        }
        while (_pendingEvents.TryPeek(out var next) && next.At <= elapsed)
        {
            Fire(_pendingEvents.Dequeue());
        }
        if (_started >= _arrivals.FleetSize)
        {
            // Everyone has arrived: the tick only waits for the next timeline event now, so one timer at its time instead
            // of ten wake-ups a second for the rest of the run.
            if (_pendingEvents.TryPeek(out var upcoming))
            {
                Timers.StartSingleTimer("tick", Tick.Instance, upcoming.At - elapsed);
            }
            else
            {
                Timers.Cancel("tick");
            }
        }
    }

    private void Fire(TimelineEvent timelineEvent)
    {
        _journal.EventFired(timelineEvent, DateTimeOffset.UtcNow, _started);
        _log.Info("Timeline: {0} at {1}", timelineEvent.Kind, timelineEvent.At);
        switch (timelineEvent.Kind)
        {
            case TimelineEventKind.NetworkDrop:
                // Every k-th charge point, so the affected share is spread evenly over types and arrival order.
                var step = 1.0 / Math.Clamp(timelineEvent.Share, 0.0001, 1);
                for (var position = 0.0; position < _started; position += step)
                {
                    _chargePoints.Tell(new DropNetwork(_catalog.Members[(int)position].ChargeBoxId, timelineEvent.For));
                }
                Self.Tell(new TimelineEventDone(timelineEvent, null));
                break;
            case TimelineEventKind.RebootAll:
                for (var i = 0; i < _started; i++)
                {
                    _chargePoints.Tell(new RebootChargePoint(_catalog.Members[i].ChargeBoxId));
                }
                Self.Tell(new TimelineEventDone(timelineEvent, null));
                break;
            default:
                RunAgainstCsms(timelineEvent);
                break;
        }
    }

    private void RunAgainstCsms(TimelineEvent timelineEvent)
    {
        if (_csms is null)
        {
            Self.Tell(new TimelineEventDone(timelineEvent, "the target is not the embedded CSMS"));
            return;
        }
        var task = timelineEvent.Kind switch
        {
            TimelineEventKind.CsmsRestart => _csms.RestartAsync(timelineEvent.For, timelineEvent.Refusal, CancellationToken.None),
            TimelineEventKind.CsmsBlackhole => _csms.BlackholeAsync(timelineEvent.For, CancellationToken.None),
            _ => _csms.SlowAsync(timelineEvent.Delay, timelineEvent.For, CancellationToken.None),
        };
        task.ContinueWith(
            t => new TimelineEventDone(timelineEvent, t.Exception?.GetBaseException().Message),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default).PipeTo(Self);
    }

    private void OnEventDone(TimelineEventDone done)
    {
        _journal.EventFinished(done.Event, DateTimeOffset.UtcNow, done.Error);
        if (done.Error is not null && _eventFailures.Admit(_log, TimelineEventFailed))
        {
            _log.Warning("Timeline event {0} at {1} failed: {2}", StormAnalyzer.EventName(done.Event.Kind), done.Event.At, done.Error);
        }
    }

    private void BeginStopping(string? abortReason)
    {
        _abortReason = abortReason;
        Timers.Cancel("tick");
        Timers.Cancel("end");
        Timers.Cancel("resend");
        _journal.StopRequested(DateTimeOffset.UtcNow, abortReason);
        Become(Stopping);
        for (var i = 0; i < _started; i++)
        {
            _chargePoints.Tell(new StopChargePoint(_catalog.Members[i].ChargeBoxId, _plan.Drain));
        }
        Timers.StartSingleTimer("stop-timeout", StopTimedOut.Instance, _plan.Drain + StopGrace);
        CompleteIfAllStopped();
    }

    private void Stopping(object message)
    {
        switch (message)
        {
            case ChargePointStopped stopped:
                _stopped[stopped.ChargeBoxId] = stopped;
                CompleteIfAllStopped();
                break;
            case StopTimedOut:
                Complete();
                break;
            case TimelineEventDone done:
                OnEventDone(done);
                break;
            case AbortRun or Tick or ResendStarts or EndOfRun:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void CompleteIfAllStopped()
    {
        if (_stopped.Count >= _started)
        {
            Complete();
        }
    }

    private void Complete()
    {
        Timers.CancelAll();
        _eventFailures.WriteSummaries(_log, all: true);
        var missing = _catalog.Members.Take(_started).Select(m => m.ChargeBoxId).Where(id => !_stopped.ContainsKey(id)).ToList();
        _requester?.Tell(new RunFinished(_startedAt, DateTimeOffset.UtcNow, _started, [.. _stopped.Values], missing, _abortReason));
        Become(Finished);
    }

    private static void Finished(object message)
    {
        // Whatever comes after the run's end (a late charge point's stop, a timer) has nothing left to change.
    }

    /// <summary>The rate-limited log's kind for a timeline event that could not be carried out.</summary>
    private const string TimelineEventFailed = "timeline event failed";

    private sealed record TimelineEventDone(TimelineEvent Event, string? Error);

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }

    private sealed record ResendStarts
    {
        public static ResendStarts Instance { get; } = new();
    }

    private sealed record EndOfRun
    {
        public static EndOfRun Instance { get; } = new();
    }

    private sealed record StopTimedOut
    {
        public static StopTimedOut Instance { get; } = new();
    }
}

/// <summary>Ask the coordinator to start; it answers <see cref="RunFinished"/> when the run is over.</summary>
public sealed record BeginRun
{
    public static BeginRun Instance { get; } = new();
}

/// <summary>End the run early and gracefully (Ctrl+C, a threshold with abortOnFail).</summary>
public sealed record AbortRun(string Reason);

/// <summary>The run is over: every charge point that answered the stop, and those that did not in time.</summary>
public sealed record RunFinished(
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    int ChargePointsStarted,
    IReadOnlyList<ChargePointStopped> Stopped,
    IReadOnlyList<string> DidNotStop,
    string? AbortReason);

/// <summary>Where the coordinator notes what happened when, for the report (storm events, stop, abort).</summary>
public interface IRunJournal
{
    void RunStarted(DateTimeOffset at);
    void EventFired(TimelineEvent timelineEvent, DateTimeOffset at, int chargePointsStarted);
    void EventFinished(TimelineEvent timelineEvent, DateTimeOffset at, string? failure);
    void StopRequested(DateTimeOffset at, string? abortReason);
}
