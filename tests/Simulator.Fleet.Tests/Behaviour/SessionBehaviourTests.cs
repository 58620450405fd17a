using Simulator.Fleet.Behaviour;
using Simulator.Fleet.Plan;

namespace Simulator.Fleet.Tests.Behaviour;

public class SessionBehaviourTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static BehaviourPlan Sessions(double meanGapSeconds = 20) => new()
    {
        Kind = BehaviourKind.Sessions,
        MeanTimeBetweenSessions = TimeSpan.FromSeconds(meanGapSeconds),
        PlugInDuration = Distribution.Uniform(60, 80),
        EnergyNeedWh = Distribution.Constant(10_000),
        IdTags = new IdTagPlan { Accepted = ["A"], Blocked = [], UnknownShare = 0 },
    };

    private static List<(DateTimeOffset At, BehaviourAction Action)> Run(SessionBehaviour behaviour, TimeSpan length)
    {
        var log = new List<(DateTimeOffset, BehaviourAction)>();
        var due = new List<BehaviourAction>();
        while (behaviour.NextDueAt is { } next && next <= Start + length)
        {
            due.Clear();
            behaviour.CollectDue(next, due);
            log.AddRange(due.Select(a => (next, a)));
        }
        return log;
    }

    [Fact]
    public void Idle_behaviour_never_does_anything()
    {
        var behaviour = new SessionBehaviour(BehaviourPlan.Idle, new EvPlan(), 2, new Random(1), Start);

        Assert.Null(behaviour.NextDueAt);
    }

    [Fact]
    public void Each_session_is_plug_in_then_tag_then_unplug_within_the_plug_in_duration()
    {
        var log = Run(new SessionBehaviour(Sessions(), new EvPlan(), 2, new Random(7), Start), TimeSpan.FromHours(2));

        foreach (var connector in new[] { 1, 2 })
        {
            var actions = log.Where(e => e.Action.ConnectorId == connector).ToList();
            Assert.True(actions.Count >= 30, $"connector {connector} had only {actions.Count} actions in two hours");
            for (var i = 0; i + 2 < actions.Count; i += 3)
            {
                Assert.IsType<PlugInAction>(actions[i].Action);
                var tag = Assert.IsType<PresentIdTagAction>(actions[i + 1].Action);
                Assert.Equal("A", tag.IdTag);
                Assert.IsType<UnplugAction>(actions[i + 2].Action);
                Assert.Equal(SessionBehaviour.TagDelay, actions[i + 1].At - actions[i].At);
                var plugged = (actions[i + 2].At - actions[i].At).TotalSeconds;
                Assert.InRange(plugged, 60, 80);
            }
        }
    }

    [Fact]
    public void Gaps_between_sessions_average_the_configured_mean()
    {
        var log = Run(new SessionBehaviour(Sessions(meanGapSeconds: 30), new EvPlan(), 1, new Random(3), Start), TimeSpan.FromDays(2));
        var plugIns = log.Where(e => e.Action is PlugInAction).Select(e => e.At).ToList();
        var unplugs = log.Where(e => e.Action is UnplugAction).Select(e => e.At).ToList();
        var gaps = unplugs.Zip(plugIns.Skip(1), (u, p) => (p - u).TotalSeconds).ToList();

        Assert.True(gaps.Count > 1_000);
        Assert.InRange(gaps.Average(), 27, 33);
    }

    [Fact]
    public void Unknown_share_presents_tags_nobody_knows()
    {
        var plan = Sessions() with { IdTags = new IdTagPlan { Accepted = ["A"], UnknownShare = 0.5 } };
        var log = Run(new SessionBehaviour(plan, new EvPlan(), 1, new Random(5), Start), TimeSpan.FromDays(1));
        var tags = log.Select(e => e.Action).OfType<PresentIdTagAction>().ToList();
        var unknown = tags.Count(t => t.IdTag.StartsWith("UNKNOWN-", StringComparison.Ordinal));

        Assert.InRange((double)unknown / tags.Count, 0.4, 0.6);
    }

    [Fact]
    public void Faults_come_and_go_for_the_configured_duration()
    {
        var plan = BehaviourPlan.Idle with { FaultsPerConnectorHour = 6, FaultDuration = TimeSpan.FromMinutes(1) };
        var log = Run(new SessionBehaviour(plan, new EvPlan(), 1, new Random(11), Start), TimeSpan.FromDays(1));
        var faults = log.Where(e => e.Action is FaultAction).ToList();

        Assert.InRange(faults.Count / 2, 100, 160);
        for (var i = 0; i + 1 < faults.Count; i += 2)
        {
            Assert.True(((FaultAction)faults[i].Action).Faulted);
            Assert.False(((FaultAction)faults[i + 1].Action).Faulted);
            Assert.Equal(TimeSpan.FromMinutes(1), faults[i + 1].At - faults[i].At);
        }
    }
}
