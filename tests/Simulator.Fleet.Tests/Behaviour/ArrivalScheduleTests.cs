using Simulator.Fleet.Behaviour;
using Simulator.Fleet.Plan;

namespace Simulator.Fleet.Tests.Behaviour;

public class ArrivalScheduleTests
{
    [Fact]
    public void All_at_once_brings_the_whole_fleet_at_time_zero()
    {
        var schedule = new ArrivalSchedule(ArrivalPlan.AllAtOnce, 500);

        Assert.Equal(500, schedule.TargetAt(TimeSpan.Zero));
        Assert.Equal(TimeSpan.Zero, schedule.TimeOf(500));
    }

    [Fact]
    public void A_constant_rate_adds_that_many_per_second_until_the_fleet_is_up()
    {
        var schedule = new ArrivalSchedule(new ArrivalPlan { Kind = ArrivalKind.Rate, RatePerSecond = 50 }, 1_000);

        Assert.Equal(1, schedule.TargetAt(TimeSpan.Zero));
        Assert.Equal(51, schedule.TargetAt(TimeSpan.FromSeconds(1)));
        Assert.Equal(501, schedule.TargetAt(TimeSpan.FromSeconds(10)));
        Assert.Equal(1_000, schedule.TargetAt(TimeSpan.FromMinutes(5)));
        Assert.Equal(TimeSpan.FromSeconds(19.98), schedule.TimeOf(1_000));
    }

    [Fact]
    public void Ramp_stages_are_linear_within_a_stage_and_hold_between()
    {
        var plan = new ArrivalPlan
        {
            Kind = ArrivalKind.Ramp,
            Stages = [new RampStage(TimeSpan.FromSeconds(10), 100), new RampStage(TimeSpan.FromSeconds(10), 100), new RampStage(TimeSpan.FromSeconds(20), 300)],
        };
        var schedule = new ArrivalSchedule(plan, 300);

        Assert.Equal(0, schedule.TargetAt(TimeSpan.Zero));
        Assert.Equal(50, schedule.TargetAt(TimeSpan.FromSeconds(5)));
        Assert.Equal(100, schedule.TargetAt(TimeSpan.FromSeconds(15)));
        Assert.Equal(200, schedule.TargetAt(TimeSpan.FromSeconds(30)));
        Assert.Equal(300, schedule.TargetAt(TimeSpan.FromSeconds(60)));
        Assert.Equal(TimeSpan.FromSeconds(30), schedule.TimeOf(200));
    }

    [Fact]
    public void A_zero_length_stage_is_a_step()
    {
        var plan = new ArrivalPlan { Kind = ArrivalKind.Ramp, Stages = [new RampStage(TimeSpan.Zero, 40), new RampStage(TimeSpan.FromSeconds(10), 40)] };
        var schedule = new ArrivalSchedule(plan, 40);

        Assert.Equal(40, schedule.TargetAt(TimeSpan.FromMilliseconds(1)));
        Assert.Equal(TimeSpan.Zero, schedule.TimeOf(40));
    }
}
