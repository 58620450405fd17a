using Simulator.ChargePoint.Metering;
using Simulator.ChargePoint.SmartCharging;
using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.Tests.SmartCharging;

public class SmartChargingEngineTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static ChargingProfile Profile(
        int id,
        ChargingProfilePurpose purpose,
        int stackLevel,
        ChargingRateUnit unit,
        (int Start, decimal Limit)[] periods,
        ChargingProfileKind kind = ChargingProfileKind.Absolute,
        DateTimeOffset? startSchedule = null,
        int? duration = null,
        DateTimeOffset? validFrom = null,
        DateTimeOffset? validTo = null,
        RecurrencyKind? recurrency = null,
        int? transactionId = null,
        int? numberPhases = null) => new()
        {
            ChargingProfileId = id,
            TransactionId = transactionId,
            StackLevel = stackLevel,
            ChargingProfilePurpose = purpose,
            ChargingProfileKind = kind,
            RecurrencyKind = recurrency,
            ValidFrom = validFrom,
            ValidTo = validTo,
            ChargingSchedule = new ChargingSchedule
            {
                Duration = duration,
                StartSchedule = startSchedule,
                ChargingRateUnit = unit,
                ChargingSchedulePeriod = periods.Select(p => new ChargingSchedulePeriod { StartPeriod = p.Start, Limit = p.Limit, NumberPhases = numberPhases }).ToList(),
            },
        };

    private static ChargingProfile TxDefaultAmps(int id, int stackLevel, decimal amps, DateTimeOffset? start = null, int? duration = null) =>
        Profile(id, ChargingProfilePurpose.TxDefaultProfile, stackLevel, ChargingRateUnit.A, [(0, amps)], startSchedule: start ?? T0, duration: duration);

    private static void Accept(ChargingProfileOutcome outcome) => Assert.True(outcome.Accepted, outcome.Reason);

    private static double? Ac3Limit(SmartChargingEngine engine, int connectorId, DateTimeOffset at) => engine.LimitW(connectorId, at, 3, 230);

    [Fact]
    public void Highest_stack_level_wins_within_a_purpose()
    {
        var engine = new SmartChargingEngine(2);
        Assert.Null(Ac3Limit(engine, 1, T0));

        Accept(engine.Set(0, TxDefaultAmps(1, 0, 32), null));
        Accept(engine.Set(0, TxDefaultAmps(2, 3, 10), null));
        Accept(engine.Set(0, TxDefaultAmps(3, 1, 20), null));

        Assert.Equal(10 * 3 * 230, Ac3Limit(engine, 1, T0));
        Assert.Equal(10 * 3 * 230, Ac3Limit(engine, 2, T0.AddDays(3)));
        Assert.Equal(1, engine.Clear(2, null, null, null));
        Assert.Equal(20 * 3 * 230, Ac3Limit(engine, 1, T0));
    }

    [Fact]
    public void A_higher_stack_level_whose_schedule_ended_gives_way_to_the_lower_one()
    {
        var engine = new SmartChargingEngine(1);
        Accept(engine.Set(0, TxDefaultAmps(1, 0, 32), null));
        Accept(engine.Set(0, TxDefaultAmps(2, 1, 6, start: T0.AddHours(1), duration: 3600), null));

        Assert.Equal(32 * 690, Ac3Limit(engine, 1, T0.AddMinutes(59)));
        Assert.Equal(6 * 690, Ac3Limit(engine, 1, T0.AddHours(1)));
        Assert.Equal(6 * 690, Ac3Limit(engine, 1, T0.AddMinutes(119)));
        Assert.Equal(32 * 690, Ac3Limit(engine, 1, T0.AddHours(2)));
    }

    [Fact]
    public void Tx_profile_overrides_tx_default_and_goes_with_its_transaction()
    {
        var engine = new SmartChargingEngine(2);
        Accept(engine.Set(0, TxDefaultAmps(1, 5, 32), null));
        Accept(engine.Set(2, TxDefaultAmps(2, 0, 20), null));
        engine.OnTransactionStarted(1, 77, T0);
        Accept(engine.Set(1, Profile(3, ChargingProfilePurpose.TxProfile, 0, ChargingRateUnit.W, [(0, 4000m)], transactionId: 77), 77));

        Assert.Equal(4000, Ac3Limit(engine, 1, T0.AddMinutes(1)));
        Assert.Equal(20 * 690, Ac3Limit(engine, 2, T0)); // connector-specific default beats connector 0's, whatever the stack level

        engine.OnTransactionEnded(1);
        Assert.Equal(32 * 690, Ac3Limit(engine, 1, T0.AddMinutes(2)));
        Assert.DoesNotContain(engine.Installed, p => p.Profile.ChargingProfilePurpose == ChargingProfilePurpose.TxProfile);
    }

    [Fact]
    public void Charge_point_max_profile_caps_every_connector()
    {
        var engine = new SmartChargingEngine(2);
        Accept(engine.Set(0, Profile(1, ChargingProfilePurpose.ChargePointMaxProfile, 0, ChargingRateUnit.W, [(0, 7000m)], startSchedule: T0), null));
        Assert.Equal(7000, Ac3Limit(engine, 1, T0));
        Assert.Equal(7000, Ac3Limit(engine, 0, T0));

        Accept(engine.Set(0, TxDefaultAmps(2, 0, 32), null));
        Accept(engine.Set(2, TxDefaultAmps(3, 0, 4), null));
        Assert.Equal(7000, Ac3Limit(engine, 1, T0));
        Assert.Equal(4 * 690, Ac3Limit(engine, 2, T0));
        Assert.Equal(7000, Ac3Limit(engine, 0, T0));
    }

    [Fact]
    public void Validity_window_bounds_a_profile()
    {
        var engine = new SmartChargingEngine(1);
        Accept(engine.Set(0, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 0, ChargingRateUnit.W, [(0, 5000m)], startSchedule: T0,
            validFrom: T0.AddHours(1), validTo: T0.AddHours(2)), null));

        Assert.Null(Ac3Limit(engine, 1, T0.AddMinutes(59)));
        Assert.Equal(5000, Ac3Limit(engine, 1, T0.AddHours(1)));
        Assert.Null(Ac3Limit(engine, 1, T0.AddHours(2)));
        Assert.Equal(T0.AddHours(1), engine.NextLimitChangeAt(1, T0));
        Assert.Equal(T0.AddHours(2), engine.NextLimitChangeAt(1, T0.AddHours(1)));
        Assert.Null(engine.NextLimitChangeAt(1, T0.AddHours(2)));
    }

    [Fact]
    public void Relative_profile_starts_at_the_transaction_start()
    {
        var engine = new SmartChargingEngine(1);
        Accept(engine.Set(1, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 0, ChargingRateUnit.A, [(0, 16m), (600, 8m)], kind: ChargingProfileKind.Relative), null));

        // No transaction: the first period, and it does not move on with time.
        Assert.Equal(16 * 690, Ac3Limit(engine, 1, T0));
        Assert.Equal(16 * 690, Ac3Limit(engine, 1, T0.AddHours(5)));
        Assert.Null(engine.NextLimitChangeAt(1, T0));

        var start = T0.AddHours(6);
        engine.OnTransactionStarted(1, 5, start);
        Assert.Equal(16 * 690, Ac3Limit(engine, 1, start.AddMinutes(9)));
        Assert.Equal(8 * 690, Ac3Limit(engine, 1, start.AddMinutes(10)));
        Assert.Equal(start.AddMinutes(10), engine.NextLimitChangeAt(1, start.AddMinutes(3)));
    }

    [Fact]
    public void Daily_recurrence_wraps_at_midnight()
    {
        var engine = new SmartChargingEngine(1);
        var origin = new DateTimeOffset(2025, 3, 1, 20, 0, 0, TimeSpan.Zero);
        Accept(engine.Set(0, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 0, ChargingRateUnit.A,
            [(0, 10m), (4 * 3600, 16m), (10 * 3600, 6m)], kind: ChargingProfileKind.Recurring, startSchedule: origin, recurrency: RecurrencyKind.Daily), null));

        Assert.Null(Ac3Limit(engine, 1, origin.AddHours(-1)));
        Assert.Equal(10 * 690, Ac3Limit(engine, 1, origin.AddHours(3)));
        Assert.Equal(16 * 690, Ac3Limit(engine, 1, new DateTimeOffset(2025, 3, 3, 1, 0, 0, TimeSpan.Zero)));
        Assert.Equal(6 * 690, Ac3Limit(engine, 1, new DateTimeOffset(2025, 3, 4, 19, 59, 0, TimeSpan.Zero)));
        Assert.Equal(10 * 690, Ac3Limit(engine, 1, new DateTimeOffset(2025, 3, 4, 20, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2025, 3, 5, 0, 0, 0, TimeSpan.Zero), engine.NextLimitChangeAt(1, new DateTimeOffset(2025, 3, 4, 21, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2025, 3, 5, 20, 0, 0, TimeSpan.Zero), engine.NextLimitChangeAt(1, new DateTimeOffset(2025, 3, 5, 7, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void Weekly_recurrence_with_a_duration_leaves_the_rest_of_the_week_free()
    {
        var engine = new SmartChargingEngine(1);
        var monday = new DateTimeOffset(2025, 3, 3, 8, 0, 0, TimeSpan.Zero);
        Accept(engine.Set(0, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 0, ChargingRateUnit.W, [(0, 3000m)],
            kind: ChargingProfileKind.Recurring, startSchedule: monday, duration: 3600, recurrency: RecurrencyKind.Weekly), null));

        Assert.Equal(3000, Ac3Limit(engine, 1, monday.AddDays(14).AddMinutes(30)));
        Assert.Null(Ac3Limit(engine, 1, monday.AddDays(14).AddHours(1)));
        Assert.Null(Ac3Limit(engine, 1, monday.AddDays(1)));
        Assert.Equal(monday.AddDays(7), engine.NextLimitChangeAt(1, monday.AddHours(2)));
    }

    [Fact]
    public void Amps_become_watts_by_phases_and_voltage()
    {
        var engine = new SmartChargingEngine(1);
        Accept(engine.Set(1, TxDefaultAmps(1, 0, 16), null));
        Assert.Equal(16 * 3 * 230, engine.LimitW(1, T0, 3, 230));
        Assert.Equal(16 * 230, engine.LimitW(1, T0, 1, 230));
        Assert.Equal(16 * 3 * 230, engine.LimitW(1, T0, new MeterSpec(SupplyType.AC3Phase, 22_000)));
        Assert.Equal(16 * 400, engine.LimitW(1, T0, new MeterSpec(SupplyType.DC, 50_000, DcVoltage: 400)));

        // numberPhases narrows a 3-phase supply but cannot widen a 1-phase one.
        Accept(engine.Set(1, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 0, ChargingRateUnit.A, [(0, 16m)], startSchedule: T0, numberPhases: 1), null));
        Assert.Equal(16 * 230, engine.LimitW(1, T0, 3, 230));
        Accept(engine.Set(1, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 0, ChargingRateUnit.A, [(0, 16m)], startSchedule: T0, numberPhases: 3), null));
        Assert.Equal(16 * 230, engine.LimitW(1, T0, 1, 230));

        Accept(engine.Set(1, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 0, ChargingRateUnit.W, [(0, 9000m)], startSchedule: T0), null));
        Assert.Equal(9000, engine.LimitW(1, T0, 1, 230));
    }

    [Fact]
    public void Clear_by_id_connector_purpose_and_stack_level()
    {
        var engine = new SmartChargingEngine(2);
        void Install()
        {
            Assert.Equal(engine.Installed.Count, engine.Clear(null, null, null, null));
            Accept(engine.Set(0, Profile(1, ChargingProfilePurpose.ChargePointMaxProfile, 0, ChargingRateUnit.W, [(0, 30_000m)], startSchedule: T0), null));
            Accept(engine.Set(0, TxDefaultAmps(2, 0, 32), null));
            Accept(engine.Set(1, TxDefaultAmps(3, 0, 16), null));
            Accept(engine.Set(1, TxDefaultAmps(4, 1, 10), null));
            Accept(engine.Set(2, TxDefaultAmps(5, 1, 12), null));
        }

        Install();
        Assert.Equal(1, engine.Clear(4, 2, ChargingProfilePurpose.ChargePointMaxProfile, 7)); // id wins over the other criteria
        Assert.Equal(16 * 690, Ac3Limit(engine, 1, T0));
        Assert.Equal(0, engine.Clear(4, null, null, null));

        Install();
        Assert.Equal(2, engine.Clear(null, 1, null, null));
        Assert.Equal(32 * 690, Ac3Limit(engine, 1, T0));

        Install();
        Assert.Equal(4, engine.Clear(null, null, ChargingProfilePurpose.TxDefaultProfile, null));
        Assert.Equal(30_000, Ac3Limit(engine, 1, T0));

        Install();
        Assert.Equal(2, engine.Clear(null, null, null, 1));
        Assert.Equal(1, engine.Clear(null, 0, ChargingProfilePurpose.TxDefaultProfile, 0));
        Assert.Equal(0, engine.Clear(null, 2, null, 0));
        Assert.Equal(new[] { 1, 3 }, engine.Installed.Select(p => p.Profile.ChargingProfileId).Order());
    }

    [Fact]
    public void Set_rejects_what_the_purpose_rules_forbid()
    {
        var engine = new SmartChargingEngine(2, maxStackLevel: 5, maxProfilesInstalled: 3);
        var tx = Profile(1, ChargingProfilePurpose.TxProfile, 0, ChargingRateUnit.A, [(0, 16m)], kind: ChargingProfileKind.Relative);

        Assert.False(engine.Set(1, tx, null).Accepted);
        Assert.Contains("transaction", engine.Set(1, tx, null).Reason, StringComparison.Ordinal);
        Assert.False(engine.Set(0, tx, 9).Accepted);
        Assert.False(engine.Set(1, tx with { TransactionId = 8 }, 9).Accepted);
        Accept(engine.Set(1, tx with { TransactionId = 9 }, 9));

        var max = Profile(2, ChargingProfilePurpose.ChargePointMaxProfile, 0, ChargingRateUnit.W, [(0, 5000m)], startSchedule: T0);
        Assert.False(engine.Set(1, max, null).Accepted);
        Assert.False(engine.Set(3, TxDefaultAmps(3, 0, 6), null).Accepted);
        Assert.False(engine.Set(0, TxDefaultAmps(3, 6, 6), null).Accepted);
        Assert.False(engine.Set(0, Profile(3, ChargingProfilePurpose.TxDefaultProfile, 0, ChargingRateUnit.A, [(60, 6m)], startSchedule: T0), null).Accepted);
        Assert.False(engine.Set(0, Profile(3, ChargingProfilePurpose.TxDefaultProfile, 0, ChargingRateUnit.A, [(0, 6m), (0, 8m)], startSchedule: T0), null).Accepted);
        Assert.False(engine.Set(0, Profile(3, ChargingProfilePurpose.TxDefaultProfile, 0, ChargingRateUnit.A, [(0, 6m)], kind: ChargingProfileKind.Recurring, startSchedule: T0), null).Accepted);
        Assert.False(engine.Set(0, TxDefaultAmps(3, 0, 6) with { ValidFrom = T0, ValidTo = T0 }, null).Accepted);
        Assert.Single(engine.Installed);
    }

    [Fact]
    public void Same_id_or_same_purpose_stack_and_connector_replaces_and_the_store_is_bounded()
    {
        var engine = new SmartChargingEngine(2, maxProfilesInstalled: 3);
        Accept(engine.Set(1, TxDefaultAmps(1, 0, 10), null));
        Accept(engine.Set(1, TxDefaultAmps(1, 2, 11), null)); // same id
        Accept(engine.Set(1, TxDefaultAmps(2, 2, 12), null)); // same purpose, stack level, connector
        Assert.Equal(12 * 690, Ac3Limit(engine, 1, T0));
        Assert.Single(engine.Installed);

        Accept(engine.Set(2, TxDefaultAmps(3, 2, 13), null)); // other connector: no replacement
        Accept(engine.Set(0, TxDefaultAmps(4, 2, 14), null));
        Assert.Equal(3, engine.Installed.Count);
        var full = engine.Set(0, TxDefaultAmps(5, 3, 15), null);
        Assert.False(full.Accepted);
        Accept(engine.Set(0, TxDefaultAmps(4, 3, 15), null)); // a replacement still fits
        Assert.Equal(3, engine.Installed.Count);
    }

    private static SmartChargingEngine Stacked()
    {
        var engine = new SmartChargingEngine(2);
        Accept(engine.Set(0, Profile(1, ChargingProfilePurpose.ChargePointMaxProfile, 0, ChargingRateUnit.W, [(0, 12_000m)], startSchedule: T0.AddDays(-1)), null));
        Accept(engine.Set(0, TxDefaultAmps(2, 0, 32, start: T0.AddDays(-1)), null));
        Accept(engine.Set(1, Profile(3, ChargingProfilePurpose.TxDefaultProfile, 1, ChargingRateUnit.A, [(0, 8m), (3600, 16m)], startSchedule: T0.AddHours(1), duration: 2 * 3600), null));
        return engine;
    }

    [Fact]
    public void Composite_schedule_combines_stacked_profiles()
    {
        var engine = Stacked();

        var watts = engine.GetCompositeSchedule(1, TimeSpan.FromHours(4), null, T0, 3, 230);
        Assert.NotNull(watts);
        Assert.Equal(T0, watts.ScheduleStart);
        Assert.Equal(ChargingRateUnit.W, watts.Schedule.ChargingRateUnit);
        Assert.Equal(4 * 3600, watts.Schedule.Duration);
        Assert.Equal(
            new (int, decimal)[] { (0, 12_000m), (3600, 5520m), (7200, 11_040m), (10_800, 12_000m) },
            watts.Schedule.ChargingSchedulePeriod.Select(p => (p.StartPeriod, p.Limit)));

        var amps = engine.GetCompositeSchedule(1, TimeSpan.FromHours(4), ChargingRateUnit.A, T0, 3, 230)!;
        Assert.Equal(
            new (int, decimal, int?)[] { (0, 17.3m, 3), (3600, 8m, 3), (7200, 16m, 3), (10_800, 17.3m, 3) },
            amps.Schedule.ChargingSchedulePeriod.Select(p => (p.StartPeriod, p.Limit, p.NumberPhases)));

        // Connector 2 sees only the charge-point cap and connector 0's default; connector 0 the cap alone.
        var other = engine.GetCompositeSchedule(2, TimeSpan.FromHours(4), null, T0, 3, 230)!;
        Assert.Equal(new (int, decimal)[] { (0, 12_000m) }, other.Schedule.ChargingSchedulePeriod.Select(p => (p.StartPeriod, p.Limit)));
        var shortWindow = engine.GetCompositeSchedule(1, TimeSpan.FromMinutes(90), null, T0.AddMinutes(30), 3, 230)!;
        Assert.Equal(new (int, decimal)[] { (0, 12_000m), (1800, 5520m) }, shortWindow.Schedule.ChargingSchedulePeriod.Select(p => (p.StartPeriod, p.Limit)));
    }

    [Fact]
    public void Composite_schedule_is_null_when_nothing_applies_and_fills_gaps_with_the_unrestricted_limit()
    {
        var engine = new SmartChargingEngine(1);
        Assert.Null(engine.GetCompositeSchedule(1, TimeSpan.FromHours(1), null, T0, 3, 230));
        Accept(engine.Set(1, TxDefaultAmps(1, 0, 10, start: T0.AddHours(2), duration: 600), null));
        Assert.Null(engine.GetCompositeSchedule(1, TimeSpan.FromHours(1), null, T0, 3, 230));
        Assert.Null(engine.GetCompositeSchedule(5, TimeSpan.FromHours(3), null, T0, 3, 230));

        var withGap = engine.GetCompositeSchedule(1, TimeSpan.FromHours(3), null, T0, new MeterSpec(SupplyType.AC3Phase, 11_000))!;
        Assert.Equal(
            new (int, decimal)[] { (0, 11_000m), (7200, 6900m), (7800, 11_000m) },
            withGap.Schedule.ChargingSchedulePeriod.Select(p => (p.StartPeriod, p.Limit)));
        var defaultGap = engine.GetCompositeSchedule(1, TimeSpan.FromHours(3), null, T0, 3, 230)!;
        Assert.Equal(22_080m, defaultGap.Schedule.ChargingSchedulePeriod[0].Limit);
    }

    [Fact]
    public void Next_limit_change_is_the_next_period_boundary_that_changes_the_limit()
    {
        var engine = Stacked();

        Assert.Equal(T0.AddHours(1), engine.NextLimitChangeAt(1, T0));
        Assert.Equal(T0.AddHours(2), engine.NextLimitChangeAt(1, T0.AddHours(1)));
        Assert.Equal(T0.AddHours(3), engine.NextLimitChangeAt(1, T0.AddMinutes(150)));
        Assert.Null(engine.NextLimitChangeAt(1, T0.AddHours(3)));
        Assert.Null(engine.NextLimitChangeAt(2, T0));

        // A boundary where the limit stays the same is not a change.
        var same = new SmartChargingEngine(1);
        Accept(same.Set(1, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 0, ChargingRateUnit.W, [(0, 5000m), (600, 5000m), (1200, 4000m)], startSchedule: T0), null));
        Assert.Equal(T0.AddSeconds(1200), same.NextLimitChangeAt(1, T0));
    }
}
