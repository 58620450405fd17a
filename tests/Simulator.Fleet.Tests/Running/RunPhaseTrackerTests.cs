using Simulator.Fleet.Running;
using Simulator.Fleet.Tests.EndToEnd;
using Simulator.Metrics;

namespace Simulator.Fleet.Tests.Running;

public sealed class RunPhaseTrackerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 3, 0, 0, TimeSpan.Zero);

    private static RunPhaseTracker Started(int count)
    {
        var tracker = new RunPhaseTracker(Plans.OneType("PHASE-{0}", count: count));
        tracker.Start(Start, "test");
        return tracker;
    }

    private static StatisticsSnapshot Cumulative() => StatisticsSnapshot.Empty("test", Start);

    [Fact]
    public void The_steady_phase_begins_at_the_tick_that_finds_the_whole_fleet_booted()
    {
        var tracker = Started(count: 3);

        tracker.Tick(Start.AddSeconds(1), connected: 3, booted: 2, Cumulative);
        Assert.Equal(RunPhaseNames.RampUp, tracker.Current);

        tracker.Tick(Start.AddSeconds(2), connected: 3, booted: 3, Cumulative);
        Assert.Equal(RunPhaseNames.Steady, tracker.Current);
    }

    [Fact]
    public void Work_before_the_steady_phase_runs_once_at_the_end_of_the_ramp_up_and_the_steady_phase_begins_at_the_next_tick()
    {
        var tracker = Started(count: 3);
        var runs = new List<string>();
        void Compact() => runs.Add(tracker.Current);

        tracker.Tick(Start.AddSeconds(1), connected: 3, booted: 2, Cumulative, Compact);
        Assert.Empty(runs);

        tracker.Tick(Start.AddSeconds(2), connected: 3, booted: 3, Cumulative, Compact);
        Assert.Equal([RunPhaseNames.RampUp], runs);
        Assert.Equal(RunPhaseNames.RampUp, tracker.Current);

        tracker.Tick(Start.AddSeconds(3), connected: 3, booted: 3, Cumulative, Compact);
        tracker.Tick(Start.AddSeconds(4), connected: 3, booted: 3, Cumulative, Compact);
        Assert.Equal(RunPhaseNames.Steady, tracker.Current);
        Assert.Single(runs);

        var phases = tracker.Complete(Start.AddSeconds(5), Cumulative());
        Assert.Equal([RunPhaseNames.RampUp, RunPhaseNames.Steady], phases.Select(p => p.Name));
        Assert.Equal(Start.AddSeconds(3), phases[0].End);
    }
}
