using Simulator.ChargePoint.V201;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.RemoteControl;
using Simulator.Ocpp.V201.SmartCharging;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;
using static Simulator.ChargePoint.Tests.HarnessBase;
using static Simulator.ChargePoint.Tests.V201.StationHarness;

namespace Simulator.ChargePoint.Tests.V201;

public sealed class SmartChargingTests
{
    private static ChargingProfile Profile(int id, ChargingProfilePurpose purpose, decimal limit, ChargingRateUnit unit = ChargingRateUnit.W, int stackLevel = 0,
        ChargingProfileKind kind = ChargingProfileKind.Relative, DateTimeOffset? start = null, string? transactionId = null, params (int Start, decimal Limit)[] more) => new()
    {
        Id = id,
        StackLevel = stackLevel,
        ChargingProfilePurpose = purpose,
        ChargingProfileKind = kind,
        TransactionId = transactionId,
        ChargingSchedule =
        [
            new ChargingSchedule
            {
                Id = 1,
                StartSchedule = start,
                ChargingRateUnit = unit,
                ChargingSchedulePeriod = [new ChargingSchedulePeriod { StartPeriod = 0, Limit = limit }, .. more.Select(p => new ChargingSchedulePeriod { StartPeriod = p.Start, Limit = p.Limit })],
            },
        ],
    };

    private static SetChargingProfileResponse Set(StationHarness h, int evseId, ChargingProfile profile) =>
        h.Call<SetChargingProfileResponse>(new SetChargingProfileRequest { EvseId = evseId, ChargingProfile = profile });

    private static decimal EnergyOf(TransactionEventRequest e) =>
        e.MeterValue![^1].SampledValue.Single(v => v.Measurand is null or Measurand.EnergyActiveImportRegister).Value;

    private static StationHarness Charging(Dictionary<string, string>? config = null)
    {
        var h = new StationHarness(config).Boot();
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        Assert.NotNull(h.Model.TransactionIdOf(1));
        return h;
    }

    [Fact]
    public void A_TxDefaultProfile_caps_the_meter_so_the_EV_charges_no_faster_than_the_limit()
    {
        var h = new StationHarness().Boot();
        Assert.Equal(ChargingProfileStatus.Accepted, Set(h, 0, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 10, ChargingRateUnit.A)).Status);
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        Assert.Equal(3 * 230 * 10, h.Model.ChargingLimitW(1));
        h.Run(TimeSpan.FromMinutes(30));
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        var events = h.Events();
        var delivered = EnergyOf(events[^1]) - EnergyOf(events[0]);
        Assert.InRange(delivered, 3_400m, 3_500m);   // 10 A × 3 × 230 V = 6,900 W for 30 minutes = 3,450 Wh; the EV could take 11,000 W

        // The same with a 3.7 kW cap: a third of the energy.
        Assert.Equal(ChargingProfileStatus.Accepted, Set(h, 0, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 3_700)).Status);
        h.Model.Unplug(1);
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        var second = h.Model.TransactionIdOf(1)!;
        h.Run(TimeSpan.FromMinutes(30));
        var samples = h.Events(second).Where(e => e.TriggerReason == TriggerReason.MeterValuePeriodic).ToList();
        Assert.NotEmpty(samples);
        Assert.All(samples, e => Assert.InRange(e.MeterValue![0].SampledValue.Single(v => v.Measurand == Measurand.PowerActiveImport).Value, 3_600m, 3_700m));
    }

    [Fact]
    public void The_composite_schedule_combines_the_station_maximum_the_default_and_the_transaction_profile()
    {
        var h = Charging();
        var transactionId = h.Model.TransactionIdOf(1)!;
        Assert.Equal(ChargingProfileStatus.Accepted, Set(h, 0, Profile(1, ChargingProfilePurpose.ChargingStationMaxProfile, 9_000, kind: ChargingProfileKind.Absolute, start: h.Clock.GetUtcNow())).Status);
        Assert.Equal(ChargingProfileStatus.Accepted, Set(h, 0, Profile(2, ChargingProfilePurpose.TxDefaultProfile, 7_000)).Status);
        Assert.Equal(ChargingProfileStatus.Accepted, Set(h, 1, Profile(3, ChargingProfilePurpose.TxProfile, 11_000, transactionId: transactionId, more: [(600, 4_000), (1_200, 0)])).Status);
        h.Pump();

        var composite = h.Call<GetCompositeScheduleResponse>(new GetCompositeScheduleRequest { EvseId = 1, Duration = 1_800 });
        Assert.Equal(GenericStatus.Accepted, composite.Status);
        var schedule = composite.Schedule!;
        Assert.Equal(ChargingRateUnit.W, schedule.ChargingRateUnit);
        Assert.Equal(1_800, schedule.Duration);
        // The transaction started at the clock's start, so the TxProfile's periods are at 600 and 1200 s after it; the cap is min(9,000, TxProfile).
        Assert.Equal(new (int, decimal)[] { (0, 9_000m), (600, 4_000m), (1_200, 0m) }, schedule.ChargingSchedulePeriod.Select(p => (p.StartPeriod, p.Limit)));
        var amps = h.Call<GetCompositeScheduleResponse>(new GetCompositeScheduleRequest { EvseId = 1, Duration = 600, ChargingRateUnit = ChargingRateUnit.A });
        Assert.Equal(13m, amps.Schedule!.ChargingSchedulePeriod[0].Limit);   // 9,000 W / (3 × 230 V) = 13.04 A, rounded down
        // EVSE 2 has no transaction: the default (forecast as if one started now) under the station maximum; an unknown EVSE is Rejected.
        Assert.Equal(7_000m, h.Call<GetCompositeScheduleResponse>(new GetCompositeScheduleRequest { EvseId = 2, Duration = 60 }).Schedule!.ChargingSchedulePeriod.Single().Limit);
        Assert.Equal(GenericStatus.Rejected, h.Call<GetCompositeScheduleResponse>(new GetCompositeScheduleRequest { EvseId = 9, Duration = 60 }).Status);

        // The limit follows the periods on the meter: a 0 W period suspends the EVSE, which the transaction reports.
        h.Run(TimeSpan.FromSeconds(700));
        Assert.Equal(4_000, h.Model.ChargingLimitW(1));
        Assert.Contains(h.Events(transactionId), e => e.TriggerReason == TriggerReason.ChargingRateChanged);
        h.Run(TimeSpan.FromSeconds(600));
        Assert.Equal(0, h.Model.ChargingLimitW(1));
        Assert.Contains(h.Events(transactionId), e => e.TriggerReason == TriggerReason.ChargingStateChanged && e.TransactionInfo.ChargingState == ChargingState.SuspendedEVSE);

        // The TxProfile ends with its transaction; the others stay.
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        h.Sent.Clear();
        Assert.Equal(GetChargingProfileStatus.NoProfiles, h.Call<GetChargingProfilesResponse>(new GetChargingProfilesRequest
        {
            RequestId = 5, ChargingProfile = new ChargingProfileCriterion { ChargingProfilePurpose = ChargingProfilePurpose.TxProfile },
        }).Status);
        Assert.Equal(GetChargingProfileStatus.Accepted, h.Call<GetChargingProfilesResponse>(new GetChargingProfilesRequest { RequestId = 6, ChargingProfile = new ChargingProfileCriterion() }).Status);
        h.Pump();
        Assert.Equal(new[] { 1, 2 }, h.SentOf<ReportChargingProfilesRequest>().SelectMany(r => r.ChargingProfile).Select(p => p.Id).Order());
    }

    [Fact]
    public void SetChargingProfile_rejects_what_the_spec_forbids_with_a_reason()
    {
        var h = Charging();
        var transactionId = h.Model.TransactionIdOf(1)!;
        var now = h.Clock.GetUtcNow();
        void Rejected(int evseId, ChargingProfile profile, string reason)
        {
            var answer = Set(h, evseId, profile);
            Assert.Equal(ChargingProfileStatus.Rejected, answer.Status);
            Assert.Equal(reason, answer.StatusInfo!.ReasonCode);
        }
        Rejected(0, Profile(1, ChargingProfilePurpose.ChargingStationExternalConstraints, 5_000), "InvalidSchedule");
        Rejected(1, Profile(1, ChargingProfilePurpose.ChargingStationMaxProfile, 5_000, kind: ChargingProfileKind.Absolute, start: now), "InvalidSchedule");
        Rejected(0, Profile(1, ChargingProfilePurpose.TxProfile, 5_000, transactionId: transactionId), "InvalidSchedule");
        Rejected(2, Profile(1, ChargingProfilePurpose.TxProfile, 5_000, transactionId: "nope"), "TxNotFound");
        Rejected(1, Profile(1, ChargingProfilePurpose.TxProfile, 5_000, transactionId: "nope"), "TxNotFound");
        Rejected(7, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 5_000), "UnknownEvse");
        Rejected(0, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 5_000, start: now), "InvalidSchedule");                                   // Relative with startSchedule
        Rejected(0, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 5_000, kind: ChargingProfileKind.Absolute), "InvalidSchedule");           // Absolute without it
        Rejected(0, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 5_000, kind: ChargingProfileKind.Recurring, start: now), "InvalidSchedule"); // no recurrencyKind
        Rejected(0, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 5_000, more: [.. Enumerable.Range(1, 24).Select(i => (i * 60, 5_000m))]), "InvalidSchedule"); // 25 > PeriodsPerSchedule
        Rejected(0, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 5_000, stackLevel: 11), "InvalidValue");                                   // ProfileStackLevel 10
        Rejected(0, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 5_000, more: [(0, 4_000)]), "InvalidValue");                               // periods must increase
        Rejected(0, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 5_000) with { ValidTo = now.AddMinutes(-1) }, "InvalidSchedule");

        Assert.Equal(ChargingProfileStatus.Accepted, Set(h, 0, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 5_000, stackLevel: 2)).Status);
        Rejected(0, Profile(2, ChargingProfilePurpose.TxDefaultProfile, 6_000, stackLevel: 2), "InvalidValue");   // K01.FR.39: same purpose, level and EVSE
        Assert.Equal(ChargingProfileStatus.Accepted, Set(h, 0, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 6_000, stackLevel: 2)).Status);   // same id: replaced
        Assert.Equal(6_000, h.Model.ChargingLimitW(1));

        var disabled = new StationHarness(new() { ["SmartChargingCtrlr.Enabled"] = "false" }).Boot();
        Assert.Equal(ChargingProfileStatus.Rejected, Set(disabled, 0, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 5_000)).Status);
    }

    [Fact]
    public void GetChargingProfiles_reports_in_parts_and_ClearChargingProfile_removes_by_id_or_criteria()
    {
        var h = new StationHarness(evses: 2).Boot();
        for (var level = 0; level <= 10; level++)
        {
            Assert.Equal(ChargingProfileStatus.Accepted, Set(h, 1, Profile(100 + level, ChargingProfilePurpose.TxDefaultProfile, 1_000 + (level * 100), stackLevel: level)).Status);
        }
        Assert.Equal(ChargingProfileStatus.Accepted, Set(h, 2, Profile(200, ChargingProfilePurpose.TxDefaultProfile, 4_000)).Status);
        Assert.Equal(2_000, h.Model.ChargingLimitW(1));   // the highest stack level wins
        h.Sent.Clear();
        var answer = h.Call<GetChargingProfilesResponse>(new GetChargingProfilesRequest { RequestId = 42, ChargingProfile = new ChargingProfileCriterion { ChargingLimitSource = [ChargingLimitSource.CSO] } });
        Assert.Equal(GetChargingProfileStatus.Accepted, answer.Status);
        h.Pump();
        var parts = h.SentOf<ReportChargingProfilesRequest>().ToList();
        Assert.Equal(2, parts.Count);
        Assert.All(parts, p => Assert.Equal(42, p.RequestId));
        Assert.Equal([true, null], parts.Select(p => p.Tbc));
        Assert.Equal(11, parts.Single(p => p.EvseId == 1).ChargingProfile.Count);
        Assert.Equal(200, parts.Single(p => p.EvseId == 2).ChargingProfile.Single().Id);
        Assert.Equal(GetChargingProfileStatus.NoProfiles, h.Call<GetChargingProfilesResponse>(new GetChargingProfilesRequest
        {
            RequestId = 43, ChargingProfile = new ChargingProfileCriterion { ChargingLimitSource = [ChargingLimitSource.EMS] },
        }).Status);

        Assert.Equal(ClearChargingProfileStatus.Accepted, h.Call<ClearChargingProfileResponse>(new ClearChargingProfileRequest { ChargingProfileId = 110 }).Status);
        Assert.Equal(1_900, h.Model.ChargingLimitW(1));
        Assert.Equal(ClearChargingProfileStatus.Unknown, h.Call<ClearChargingProfileResponse>(new ClearChargingProfileRequest { ChargingProfileId = 110 }).Status);
        Assert.Equal(ClearChargingProfileStatus.Accepted, h.Call<ClearChargingProfileResponse>(new ClearChargingProfileRequest
        {
            ChargingProfileCriteria = new ClearChargingProfileCriterion { EvseId = 1, StackLevel = 9 },
        }).Status);
        Assert.Equal(1_800, h.Model.ChargingLimitW(1));
        Assert.Equal(ClearChargingProfileStatus.Accepted, h.Call<ClearChargingProfileResponse>(new ClearChargingProfileRequest
        {
            ChargingProfileCriteria = new ClearChargingProfileCriterion { ChargingProfilePurpose = ChargingProfilePurpose.TxDefaultProfile },
        }).Status);
        Assert.Null(h.Model.ChargingLimitW(1));
        Assert.Null(h.Model.ChargingLimitW(2));
        Assert.Equal("0", h.Call<GetVariablesResponse>(new GetVariablesRequest
        {
            GetVariableData = [new GetVariableData { Component = Comp("SmartChargingCtrlr"), Variable = Var("Entries", "ChargingProfiles") }],
        }).GetVariableResult.Single().AttributeValue);
    }

    [Fact]
    public void An_external_limit_caps_the_station_is_notified_to_the_CSMS_and_cannot_be_cleared_by_it()
    {
        var h = Charging();
        Assert.True(h.Model.SetExternalLimit(0, 2_000, ChargingLimitSource.SO, isGridCritical: true));
        h.Pump();
        Assert.Equal(2_000, h.Model.ChargingLimitW(1));
        var notify = Assert.Single(h.SentOf<NotifyChargingLimitRequest>());
        Assert.Equal(ChargingLimitSource.SO, notify.ChargingLimit.ChargingLimitSource);
        Assert.True(notify.ChargingLimit.IsGridCritical);
        Assert.Null(notify.EvseId);
        Assert.Equal(2_000m, notify.ChargingSchedule!.Single().ChargingSchedulePeriod.Single().Limit);
        Assert.Contains(h.Events(), e => e.TriggerReason == TriggerReason.ChargingRateChanged);

        Assert.Equal(ClearChargingProfileStatus.Unknown, h.Call<ClearChargingProfileResponse>(new ClearChargingProfileRequest()).Status);
        Assert.Equal(2_000, h.Model.ChargingLimitW(1));
        h.Sent.Clear();
        Assert.Equal(GetChargingProfileStatus.Accepted, h.Call<GetChargingProfilesResponse>(new GetChargingProfilesRequest
        {
            RequestId = 1, ChargingProfile = new ChargingProfileCriterion { ChargingLimitSource = [ChargingLimitSource.SO] },
        }).Status);
        h.Pump();
        var report = Assert.Single(h.SentOf<ReportChargingProfilesRequest>());
        Assert.Equal(ChargingProfilePurpose.ChargingStationExternalConstraints, report.ChargingProfile.Single().ChargingProfilePurpose);

        Assert.True(h.Model.SetExternalLimit(0, null, ChargingLimitSource.SO));
        h.Pump();
        var cleared = Assert.Single(h.SentOf<ClearedChargingLimitRequest>());
        Assert.Equal(ChargingLimitSource.SO, cleared.ChargingLimitSource);
        Assert.Null(h.Model.ChargingLimitW(1));
        Assert.False(h.Model.SetExternalLimit(5, 1_000));
        Assert.False(h.Model.SetExternalLimit(1, -1));
    }

    [Fact]
    public void RequestStartTransaction_with_a_TxProfile_makes_it_the_transactions_profile()
    {
        var h = new StationHarness().Boot();
        h.Model.PlugIn(1, Ev);
        h.Pump();
        var start = h.Call<RequestStartTransactionResponse>(new RequestStartTransactionRequest
        {
            EvseId = 1,
            RemoteStartId = 77,
            IdToken = new IdToken { Token = "REMOTE", Type = IdTokenKind.Central },
            ChargingProfile = Profile(9, ChargingProfilePurpose.TxProfile, 4_200),
        });
        Assert.Equal(RequestStartStopStatus.Accepted, start.Status);
        h.Pump();
        var transactionId = h.Model.TransactionIdOf(1);
        Assert.NotNull(transactionId);
        Assert.Equal(4_200, h.Model.ChargingLimitW(1));
        h.Sent.Clear();
        h.Call<GetChargingProfilesResponse>(new GetChargingProfilesRequest { RequestId = 3, EvseId = 1, ChargingProfile = new ChargingProfileCriterion { ChargingProfileId = [9] } });
        h.Pump();
        Assert.Equal(transactionId, h.SentOf<ReportChargingProfilesRequest>().Single().ChargingProfile.Single().TransactionId);
    }

    [Fact]
    public void A_daily_recurring_profile_changes_the_limit_at_its_period_boundaries()
    {
        var h = Charging(new() { ["SampledDataCtrlr.TxUpdatedInterval"] = "0" });
        var midnight = new DateTimeOffset(h.Clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        // 10:00 now: 6 kW from 00:00, 3 kW from 10:30, 6 kW again from 11:00, every day.
        var profile = Profile(5, ChargingProfilePurpose.TxDefaultProfile, 6_000, kind: ChargingProfileKind.Recurring, start: midnight, more: [(37_800, 3_000), (39_600, 6_000)])
            with { RecurrencyKind = RecurrencyKind.Daily };
        Assert.Equal(ChargingProfileStatus.Accepted, Set(h, 0, profile).Status);
        Assert.Equal(6_000, h.Model.ChargingLimitW(1));
        h.Run(TimeSpan.FromMinutes(31));
        Assert.Equal(3_000, h.Model.ChargingLimitW(1));
        h.Run(TimeSpan.FromMinutes(30));
        Assert.Equal(6_000, h.Model.ChargingLimitW(1));
        h.Run(TimeSpan.FromHours(23.5));   // the next day, 10:31
        Assert.Equal(3_000, h.Model.ChargingLimitW(1));
        // 11 kW → 6 kW when set, 3 kW at 10:30, 6 kW at 11:00.
        Assert.Equal(3, h.Events().Count(e => e.TriggerReason == TriggerReason.ChargingRateChanged && e.Timestamp < midnight.AddDays(1)));
    }

    [Fact]
    public void A_rate_change_below_LimitChangeSignificance_is_not_reported()
    {
        var h = Charging(new() { ["SmartChargingCtrlr.LimitChangeSignificance"] = "0.5" });
        Assert.True(h.Model.SetExternalLimit(1, 8_000));   // 11 kW → 8 kW: 27 %
        h.Pump();
        Assert.Equal(8_000, h.Model.ChargingLimitW(1));
        Assert.DoesNotContain(h.Events(), e => e.TriggerReason == TriggerReason.ChargingRateChanged);
        Assert.True(h.Model.SetExternalLimit(1, 2_000));   // 8 kW → 2 kW: 75 %
        h.Pump();
        Assert.Single(h.Events(), e => e.TriggerReason == TriggerReason.ChargingRateChanged);
        Assert.Equal(2, h.SentOf<NotifyChargingLimitRequest>().Count(n => n.EvseId == 1));
    }
}
