using Simulator.ChargePoint.SmartCharging;

namespace Simulator.ChargePoint.Tests.SmartCharging;

/// <summary>The version-neutral engine's own rules (the 1.6 behaviour is covered through its adapter in SmartChargingEngineTests).</summary>
public sealed class ScheduleEngineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static ScheduleProfile Profile(int id, SchedulePurpose purpose, decimal limitW, int stackLevel = 0, DateTimeOffset? validFrom = null, DateTimeOffset? validTo = null) => new()
    {
        Id = id,
        StackLevel = stackLevel,
        Purpose = purpose,
        Kind = ScheduleKind.Absolute,
        ValidFrom = validFrom,
        ValidTo = validTo,
        Schedule = new Schedule { StartSchedule = T0, RateUnit = RateUnit.W, SchedulePeriod = [new SchedulePeriod { StartPeriod = 0, Limit = limitW }] },
    };

    [Fact]
    public void External_constraints_are_a_cap_of_their_own_beside_the_station_maximum_and_the_transaction_layer()
    {
        var engine = new ScheduleEngine<string>(2);
        Assert.True(engine.Set(0, Profile(1, SchedulePurpose.StationMax, 10_000), "max", null).Accepted);
        Assert.True(engine.Set(0, Profile(2, SchedulePurpose.TxDefault, 7_000), "default", null).Accepted);
        Assert.Equal(7_000, engine.LimitW(1, T0, 3, 230));
        Assert.True(engine.Set(2, Profile(3, SchedulePurpose.ExternalConstraints, 4_000), "ems", null).Accepted);
        Assert.Equal(7_000, engine.LimitW(1, T0, 3, 230));
        Assert.Equal(4_000, engine.LimitW(2, T0, 3, 230));
        Assert.True(engine.Set(0, Profile(4, SchedulePurpose.ExternalConstraints, 5_000), "grid", null).Accepted);
        Assert.Equal(5_000, engine.LimitW(1, T0, 3, 230));
        Assert.Equal(4_000, engine.LimitW(2, T0, 3, 230));   // an EVSE's own external limit before the station's
        Assert.Equal(5_000, engine.LimitW(0, T0, 3, 230));

        Assert.Equal(2, engine.RemoveWhere((_, p) => p.Purpose == SchedulePurpose.ExternalConstraints));
        Assert.Equal(["max", "default"], engine.Installed.Select(p => p.Original));
    }

    [Fact]
    public void RejectSameStackLevel_refuses_a_second_profile_of_the_same_purpose_level_and_place_when_validities_overlap()
    {
        var strict = new ScheduleEngine<int>(1) { RejectSameStackLevel = true };
        Assert.True(strict.Set(1, Profile(1, SchedulePurpose.TxDefault, 5_000, 3, validTo: T0.AddHours(2)), 1, null).Accepted);
        Assert.False(strict.Set(1, Profile(2, SchedulePurpose.TxDefault, 6_000, 3, validFrom: T0.AddHours(1)), 2, null).Accepted);
        Assert.True(strict.Set(1, Profile(2, SchedulePurpose.TxDefault, 6_000, 3, validFrom: T0.AddHours(2)), 2, null).Accepted);   // after the first one ends
        Assert.True(strict.Set(0, Profile(3, SchedulePurpose.TxDefault, 6_000, 3), 3, null).Accepted);   // another place
        Assert.True(strict.Set(1, Profile(1, SchedulePurpose.TxDefault, 4_000, 3, validTo: T0.AddHours(2)), 1, null).Accepted);   // same id: replaces

        var lenient = new ScheduleEngine<int>(1);
        Assert.True(lenient.Set(1, Profile(1, SchedulePurpose.TxDefault, 5_000, 3), 1, null).Accepted);
        Assert.True(lenient.Set(1, Profile(2, SchedulePurpose.TxDefault, 6_000, 3), 2, null).Accepted);   // 1.6: replaces
        Assert.Equal([2], lenient.Installed.Select(p => p.Original));
    }
}
