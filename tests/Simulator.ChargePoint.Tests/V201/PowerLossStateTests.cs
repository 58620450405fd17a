using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.Security;
using Simulator.Ocpp.V201.SmartCharging;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;
using static Simulator.ChargePoint.Tests.HarnessBase;
using static Simulator.ChargePoint.Tests.V201.StationHarness;

namespace Simulator.ChargePoint.Tests.V201;

/// <summary>What a 2.0.1 station keeps over a power cut besides its queue: charging profiles (K01) and undelivered critical security events (A04).</summary>
public sealed class PowerLossStateTests
{
    private static ChargingProfile Profile(int id, ChargingProfilePurpose purpose, decimal limitW, DateTimeOffset? start = null, string? transactionId = null) => new()
    {
        Id = id,
        StackLevel = 0,
        ChargingProfilePurpose = purpose,
        ChargingProfileKind = start is null ? ChargingProfileKind.Relative : ChargingProfileKind.Absolute,
        TransactionId = transactionId,
        ChargingSchedule =
        [
            new ChargingSchedule
            {
                Id = 1,
                StartSchedule = start,
                ChargingRateUnit = ChargingRateUnit.W,
                ChargingSchedulePeriod = [new ChargingSchedulePeriod { StartPeriod = 0, Limit = limitW }],
            },
        ],
    };

    private static ChargingProfileStatus Set(StationHarness h, int evseId, ChargingProfile profile) =>
        h.Call<SetChargingProfileResponse>(new SetChargingProfileRequest { EvseId = evseId, ChargingProfile = profile }).Status;

    [Fact]
    public void Station_max_default_and_external_constraint_profiles_survive_a_power_cut_and_cap_the_meters_while_the_TxProfile_ends_with_its_transaction()
    {
        var h = new StationHarness().Boot();
        Assert.Equal(ChargingProfileStatus.Accepted, Set(h, 0, Profile(1, ChargingProfilePurpose.ChargingStationMaxProfile, 9_000, start: h.Model.CsmsNow)));
        Assert.Equal(ChargingProfileStatus.Accepted, Set(h, 0, Profile(2, ChargingProfilePurpose.TxDefaultProfile, 3_700)));
        Assert.True(h.Model.SetExternalLimit(2, 2_000, ChargingLimitSource.SO));
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        var transactionId = h.Model.TransactionIdOf(1)!;
        Assert.Equal(ChargingProfileStatus.Accepted, Set(h, 1, Profile(3, ChargingProfilePurpose.TxProfile, 2_500, transactionId: transactionId)));
        Assert.Equal(2_500, h.Model.ChargingLimitW(1));
        h.Run(TimeSpan.FromSeconds(30));
        var changes = h.Model.TakeStateChanges()!;
        var state = new ChargePointPersistentState(changes.Memory!, changes.Appended);
        var saved = state.Memory.ChargingProfiles!;
        Assert.Equal([1, 2, -3], saved.Select(p => ((SetChargingProfileRequest)p.Request).ChargingProfile.Id));
        Assert.Equal(["CSO", "CSO", "SO"], saved.Select(p => p.Source));

        var after = new StationHarness();
        after.Clock.SetUtcNow(h.Clock.GetUtcNow() + TimeSpan.FromMinutes(5));
        after.Model.RestoreAfterPowerLoss(state);
        after.Boot();
        Assert.Equal(StopReason.PowerLoss, after.Events(transactionId)[^1].TransactionInfo.StoppedReason);
        Assert.Equal(2_000, after.Model.ChargingLimitW(2));   // the external constraint on EVSE 2 (under the default's 3,700)
        Assert.Equal(ClearChargingProfileStatus.Unknown, after.Call<ClearChargingProfileResponse>(new ClearChargingProfileRequest { ChargingProfileId = 3 }).Status);
        after.Model.PlugIn(1, Ev);
        after.Model.PresentIdTag(1, "TAG2");
        after.Pump();
        after.Run(TimeSpan.FromMinutes(2));
        Assert.Equal(3_700, after.Model.ChargingLimitW(1));
        var samples = after.Events(after.Model.TransactionIdOf(1)).Where(e => e.TriggerReason == TriggerReason.MeterValuePeriodic).ToList();
        Assert.NotEmpty(samples);
        Assert.All(samples, e => Assert.InRange(e.MeterValue![0].SampledValue.Single(v => v.Measurand == Measurand.PowerActiveImport).Value, 3_600m, 3_700m));

        // The station's own constraint is still the station's: reported with its source, not clearable by the CSMS.
        after.Sent.Clear();
        Assert.Equal(GetChargingProfileStatus.Accepted, after.Call<GetChargingProfilesResponse>(new GetChargingProfilesRequest
        {
            RequestId = 7, ChargingProfile = new ChargingProfileCriterion { ChargingLimitSource = [ChargingLimitSource.SO] },
        }).Status);
        after.Pump();
        Assert.Equal(2, Assert.Single(after.SentOf<ReportChargingProfilesRequest>()).EvseId);
        Assert.Equal(3, after.Model.CaptureState().Memory.ChargingProfiles!.Count);
    }

    [Fact]
    public void After_a_power_cut_the_station_tells_the_CSMS_again_of_each_external_limit_it_restored_once_registered()
    {
        var h = new StationHarness().Boot();
        Assert.True(h.Model.SetExternalLimit(2, 2_000, ChargingLimitSource.SO));
        Assert.True(h.Model.SetExternalLimit(0, 9_000, ChargingLimitSource.EMS));
        Assert.Equal(ChargingProfileStatus.Accepted, Set(h, 0, Profile(1, ChargingProfilePurpose.TxDefaultProfile, 3_700)));
        h.Pump();
        Assert.Equal(2, h.SentOf<NotifyChargingLimitRequest>().Count());
        var changes = h.Model.TakeStateChanges()!;
        var state = new ChargePointPersistentState(changes.Memory!, changes.Appended);

        var after = new StationHarness();
        after.Clock.SetUtcNow(h.Clock.GetUtcNow() + TimeSpan.FromMinutes(5));
        after.Model.RestoreAfterPowerLoss(state);
        after.Model.OnConnected();
        var beforeAccepted = after.Take();
        Assert.Equal([nameof(BootNotificationRequest)], beforeAccepted.Select(m => m.Request.GetType().Name));   // nothing before the registration
        after.Model.OnAnswered(beforeAccepted[0], after.DefaultAnswer(beforeAccepted[0]));
        after.Pump();

        // K12: the limits are in force again after the power-up, so the CSMS hears of each, station-wide first (the CSMS's own TxDefault is not announced).
        var notified = after.SentOf<NotifyChargingLimitRequest>().ToList();
        Assert.Equal([(null, ChargingLimitSource.EMS, 9_000m), (2, ChargingLimitSource.SO, 2_000m)],
            notified.Select(n => (n.EvseId, n.ChargingLimit.ChargingLimitSource, n.ChargingSchedule!.Single().ChargingSchedulePeriod.Single().Limit)));
        Assert.Equal(2_000, after.Model.ChargingLimitW(2));

        // Once only: a reconnect of the same power cycle announces nothing again.
        after.Model.OnDisconnected();
        after.Boot();
        after.Run(TimeSpan.FromMinutes(1));
        Assert.Equal(2, after.SentOf<NotifyChargingLimitRequest>().Count());

        // A reboot of the running station (the limits stay installed) announces them again too.
        after.Model.PowerCycle();
        after.Boot();
        Assert.Equal(4, after.SentOf<NotifyChargingLimitRequest>().Count());
    }

    [Fact]
    public void A_critical_security_event_not_yet_answered_survives_a_power_cut_and_is_sent_after_the_reconnect_before_the_new_ones()
    {
        var h = new StationHarness().Boot();
        Assert.Equal(ResetStatus.Accepted, h.Call<ResetResponse>(new ResetRequest { Type = ResetKind.Immediate }).Status);
        h.Pump();   // the station reboots: its ResetOrReboot event waits for the next connection
        Assert.Equal(1, h.Model.PendingCriticalSecurityEvents);
        var changes = h.Model.TakeStateChanges()!;
        var state = new ChargePointPersistentState(changes.Memory!, changes.Appended);
        var reset = Assert.IsType<SecurityEventNotificationRequest>(Assert.Single(state.Memory.SecurityEvents!));
        Assert.Equal("ResetOrReboot", reset.Type);

        var after = new StationHarness();
        after.Model.RestoreAfterPowerLoss(state);
        Assert.Equal(2, after.Model.PendingCriticalSecurityEvents);   // the saved one and this power-up's
        after.Boot();
        Assert.Equal([reset, ..after.SentOf<SecurityEventNotificationRequest>().Skip(1)], after.SentOf<SecurityEventNotificationRequest>());
        Assert.Equal(["ResetOrReboot", "StartupOfTheDevice"], after.SentOf<SecurityEventNotificationRequest>().Select(e => e.Type));
        Assert.Equal(0, after.Model.PendingCriticalSecurityEvents);
        Assert.Null(after.Model.TakeStateChanges()!.Memory!.SecurityEvents);

        // Without a restore the event would be gone: a fresh station only has its own.
        Assert.Equal(1, new StationHarness().Model.PendingCriticalSecurityEvents);
    }
}
