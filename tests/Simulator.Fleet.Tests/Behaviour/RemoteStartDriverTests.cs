using Simulator.Fleet.Behaviour;
using Simulator.Fleet.Plan;

namespace Simulator.Fleet.Tests.Behaviour;

/// <summary>The driver of an app-started session, as the behaviour decides it (the charge point's side is in the model tests).</summary>
public class RemoteStartDriverTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static SessionBehaviour Idle(Distribution? plugInAfter, double plugInSeconds = 600) => new(
        BehaviourPlan.Idle with { PlugInDuration = Distribution.Constant(plugInSeconds), RemoteStart = new RemoteStartPlan { PlugInAfter = plugInAfter } },
        new EvPlan { BatteryCapacityWh = 50_000, ArrivalSocMin = 0.3, ArrivalSocMax = 0.3, MaxPowerW = 7_400 }, 2, new Random(3), Start);

    private static List<BehaviourAction> Due(SessionBehaviour behaviour, DateTimeOffset at)
    {
        var due = new List<BehaviourAction>();
        behaviour.CollectDue(at, due);
        return due;
    }

    [Fact]
    public void The_driver_plugs_in_after_plugInAfter_with_an_EV_from_the_plan_and_stays_for_the_plug_in_duration_once_charging()
    {
        var behaviour = Idle(Distribution.Constant(4));
        Assert.Null(behaviour.NextDueAt);
        behaviour.OnRemoteStartAwaitingPlugIn(2, Start);
        Assert.Equal(Start.AddSeconds(4), behaviour.NextDueAt);

        var plugIn = Assert.IsType<PlugInAction>(Assert.Single(Due(behaviour, Start.AddSeconds(4))));
        Assert.Equal((2, 50_000.0, 0.3, 7_400.0), (plugIn.ConnectorId, plugIn.BatteryCapacityWh, plugIn.ArrivalSoc, plugIn.MaxPowerW));
        Assert.InRange(plugIn.EnergyNeedWh, 5_000, 30_000);   // the default energyNeed
        behaviour.OnSessionStarted(2, Start.AddSeconds(4));
        Assert.Equal(Start.AddSeconds(604), behaviour.NextDueAt);
        Assert.IsType<UnplugAction>(Assert.Single(Due(behaviour, Start.AddSeconds(604))));
        Assert.Null(behaviour.NextDueAt);   // idle: no session of its own follows
    }

    [Fact]
    public void After_a_remote_stop_the_driver_unplugs_two_to_five_seconds_later()
    {
        var behaviour = Idle(Distribution.Constant(1));
        behaviour.OnRemoteStartAwaitingPlugIn(1, Start);
        Due(behaviour, Start.AddSeconds(1));
        behaviour.OnSessionStarted(1, Start.AddSeconds(1));
        behaviour.OnSessionEnded(1, Start.AddSeconds(100));

        var unplugAt = behaviour.NextDueAt!.Value;
        Assert.InRange((unplugAt - Start.AddSeconds(100)).TotalSeconds, 2, 5);
        Assert.IsType<UnplugAction>(Assert.Single(Due(behaviour, unplugAt)));
    }

    [Fact]
    public void A_driver_whose_plug_in_starts_nothing_leaves_shortly_and_one_who_never_comes_frees_the_connector()
    {
        var late = Idle(Distribution.Constant(90));
        late.OnRemoteStartAwaitingPlugIn(1, Start);
        late.OnRemoteStartLapsed(1, Start.AddSeconds(60));   // ConnectionTimeOut before the driver arrives: the driver still comes
        Assert.IsType<PlugInAction>(Assert.Single(Due(late, Start.AddSeconds(90))));
        var unplugAt = late.NextDueAt!.Value;   // no OnSessionStarted: nothing started
        Assert.InRange((unplugAt - Start.AddSeconds(90)).TotalSeconds, 2, 5);
        Assert.IsType<UnplugAction>(Assert.Single(Due(late, unplugAt)));

        var never = Idle(null);
        never.OnRemoteStartAwaitingPlugIn(1, Start);
        Assert.Null(never.NextDueAt);
        never.OnRemoteStartLapsed(1, Start.AddSeconds(60));
        Assert.Null(never.NextDueAt);
    }

    [Fact]
    public void With_sessions_the_planned_arrival_gives_way_and_the_next_one_is_drawn_after_the_unplug()
    {
        var plan = new BehaviourPlan
        {
            Kind = BehaviourKind.Sessions,
            MeanTimeBetweenSessions = TimeSpan.FromHours(1),
            PlugInDuration = Distribution.Constant(300),
            RemoteStart = new RemoteStartPlan { PlugInAfter = Distribution.Constant(2) },
        };
        var behaviour = new SessionBehaviour(plan, new EvPlan(), 1, new Random(11), Start);
        var planned = behaviour.NextDueAt!.Value;
        Assert.True(planned > Start.AddSeconds(2), "the first planned session comes later than the remote start here (seeded)");

        behaviour.OnRemoteStartAwaitingPlugIn(1, Start);
        Assert.Equal(Start.AddSeconds(2), behaviour.NextDueAt);
        Assert.IsType<PlugInAction>(Assert.Single(Due(behaviour, Start.AddSeconds(2))));
        behaviour.OnSessionStarted(1, Start.AddSeconds(2));
        Assert.Equal(Start.AddSeconds(302), behaviour.NextDueAt);   // the planned arrival is gone
        Assert.IsType<UnplugAction>(Assert.Single(Due(behaviour, Start.AddSeconds(302))));

        var next = behaviour.NextDueAt!.Value;
        Assert.True(next > Start.AddSeconds(302));
        var actions = Due(behaviour, next);
        Assert.IsType<PlugInAction>(Assert.Single(actions));   // a normal session again: plug-in, then the tag
        Assert.IsType<PresentIdTagAction>(Assert.Single(Due(behaviour, next + SessionBehaviour.TagDelay)));
    }

    [Fact]
    public void Signals_for_other_connectors_or_while_an_EV_is_plugged_in_change_nothing()
    {
        var behaviour = Idle(Distribution.Constant(1));
        behaviour.OnRemoteStartAwaitingPlugIn(0, Start);
        behaviour.OnRemoteStartAwaitingPlugIn(3, Start);
        behaviour.OnSessionEnded(1, Start);
        behaviour.OnSessionStarted(1, Start);
        Assert.Null(behaviour.NextDueAt);
    }
}
