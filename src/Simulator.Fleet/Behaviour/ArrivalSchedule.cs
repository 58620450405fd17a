using Simulator.Fleet.Plan;

namespace Simulator.Fleet.Behaviour;

/// <summary>
/// When the n-th charge point of the fleet comes up, measured from the start of the run. Fleet-wide: with several
/// nodes the coordinator hands out the arrivals, so the profile's rate is honoured for the whole fleet.
/// </summary>
public sealed class ArrivalSchedule(ArrivalPlan plan, int fleetSize)
{
    public int FleetSize { get; } = fleetSize;

    /// <summary>How many charge points should be up <paramref name="elapsed"/> after the start.</summary>
    public int TargetAt(TimeSpan elapsed)
    {
        switch (plan.Kind)
        {
            case ArrivalKind.AllAtOnce:
                return FleetSize;
            case ArrivalKind.Rate:
                return (int)Math.Min(FleetSize, Math.Floor(elapsed.TotalSeconds * plan.RatePerSecond) + 1);
            default:
                return RampTarget(elapsed);
        }
    }

    /// <summary>When the schedule reaches <paramref name="count"/> charge points, or null if it never does.</summary>
    public TimeSpan? TimeOf(int count)
    {
        if (count <= 0 || plan.Kind == ArrivalKind.AllAtOnce)
        {
            return count <= FleetSize ? TimeSpan.Zero : null;
        }
        if (plan.Kind == ArrivalKind.Rate)
        {
            return count > FleetSize || plan.RatePerSecond <= 0 ? null : TimeSpan.FromSeconds((count - 1) / plan.RatePerSecond);
        }
        var stageStart = TimeSpan.Zero;
        var from = 0;
        foreach (var stage in plan.Stages)
        {
            var to = Math.Min(stage.Target, FleetSize);
            if (to >= count && to > from)
            {
                if (stage.Duration == TimeSpan.Zero)
                {
                    return stageStart;
                }
                var fraction = (double)(count - from) / (to - from);
                return stageStart + (stage.Duration * Math.Clamp(fraction, 0, 1));
            }
            from = Math.Max(from, to);
            stageStart += stage.Duration;
        }
        return null;
    }

    private int RampTarget(TimeSpan elapsed)
    {
        var stageStart = TimeSpan.Zero;
        var level = 0.0;
        foreach (var stage in plan.Stages)
        {
            var stageEnd = stageStart + stage.Duration;
            if (elapsed < stageEnd)
            {
                var fraction = (elapsed - stageStart) / stage.Duration;
                return Clamp(level + ((stage.Target - level) * fraction));
            }
            level = stage.Target;
            stageStart = stageEnd;
        }
        return Clamp(level);
    }

    private int Clamp(double value) => (int)Math.Clamp(Math.Floor(value), 0, FleetSize);
}
