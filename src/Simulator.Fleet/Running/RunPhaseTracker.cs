using Simulator.Fleet.Behaviour;
using Simulator.Fleet.Plan;
using Simulator.Metrics;

namespace Simulator.Fleet.Running;

/// <summary>
/// Decides the phases of a run and records them (<see cref="RunPhaseRecorder"/>). The ramp-up lasts until the arrival is
/// complete: the schedule has started its last charge point and as many are booted, or <see cref="RampSettle"/> after that
/// last start (a fleet some of which never boots still gets a steady phase). The steady phase lasts until the run starts
/// stopping; the drain from then to the end. The runner samples it about once a second (<see cref="Tick"/>) and tells it
/// when the stop begins (<see cref="EnterDrain"/>). Thread-safe.
/// </summary>
public sealed class RunPhaseTracker
{
    /// <summary>How long after the last arrival the ramp-up waits for the fleet to be booted before the steady phase begins anyway.</summary>
    public static readonly TimeSpan RampSettle = TimeSpan.FromSeconds(30);

    private readonly Lock _lock = new();
    private readonly int _finalTarget;
    private readonly TimeSpan _arrivalComplete;
    private RunPhaseRecorder? _recorder;
    private DateTimeOffset _startedAt;
    private bool _settled;

    public RunPhaseTracker(FleetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var schedule = new ArrivalSchedule(plan.Arrival, plan.TotalCount);
        _finalTarget = schedule.TargetAt(TimeSpan.MaxValue);
        _arrivalComplete = schedule.TimeOf(_finalTarget) ?? TimeSpan.Zero;
    }

    /// <summary>The phase the run is in (<see cref="RunPhaseNames"/>); rampUp before it starts.</summary>
    public string Current
    {
        get
        {
            lock (_lock)
            {
                return _recorder?.Current ?? RunPhaseNames.RampUp;
            }
        }
    }

    public void Start(DateTimeOffset at, string node)
    {
        lock (_lock)
        {
            _startedAt = at;
            _recorder = new RunPhaseRecorder(at, StatisticsSnapshot.Empty(node, at));
        }
    }

    /// <summary>
    /// A sample of the gauges; ends the ramp-up when the arrival is complete (taking <paramref name="cumulative"/> then).
    /// <paramref name="beforeSteady"/>, when given, is the simulator's own work at the end of the ramp-up (the runner's heap
    /// compaction, a pause of 60-95 ms at 5,000 charge points): it runs once, at the tick that completes the arrival, and the
    /// steady phase begins at the next tick. The calls that pause held up are answered in the ramp-up, not in the phase that
    /// thresholds judge.
    /// </summary>
    public void Tick(DateTimeOffset now, long connected, long booted, Func<StatisticsSnapshot> cumulative, Action? beforeSteady = null)
    {
        ArgumentNullException.ThrowIfNull(cumulative);
        lock (_lock)
        {
            if (_recorder is null)
            {
                return;
            }
            var elapsed = now - _startedAt;
            var arrivalComplete = _recorder.Current == RunPhaseNames.RampUp && elapsed >= _arrivalComplete
                && (booted >= _finalTarget || elapsed >= _arrivalComplete + RampSettle);
            if (arrivalComplete && (beforeSteady is null || _settled))
            {
                _recorder.Enter(RunPhaseNames.Steady, now, cumulative());
                return;
            }
            _recorder.Sample(now, connected, booted);
            if (!arrivalComplete)
            {
                return;
            }
            _settled = true;
        }
        beforeSteady!();
    }

    /// <summary>The run starts stopping: the drain begins with the statistics as they stood before the stop.</summary>
    public void EnterDrain(DateTimeOffset at, StatisticsSnapshot cumulative)
    {
        lock (_lock)
        {
            _recorder?.Enter(RunPhaseNames.Drain, at, cumulative);
        }
    }

    /// <summary>The current phase so far (for thresholds evaluated while the run goes); null before the start.</summary>
    public PhaseStatistics? CurrentSoFar(DateTimeOffset now, StatisticsSnapshot cumulative)
    {
        lock (_lock)
        {
            return _recorder?.CurrentSoFar(now, cumulative);
        }
    }

    /// <summary>Every phase the run reached, the last ending at <paramref name="end"/> with the final statistics.</summary>
    public IReadOnlyList<PhaseStatistics> Complete(DateTimeOffset end, StatisticsSnapshot final)
    {
        lock (_lock)
        {
            return _recorder?.Complete(end, final) ?? [];
        }
    }
}
