using Simulator.ChargePoint.V16;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.SmartCharging;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.Tests.Model;

/// <summary>The non-volatile state: what <see cref="ChargePointModel.TakeStateChanges"/> hands out, and a restore after a power cut.</summary>
public class PowerLossStateTests
{
    private static Dictionary<string, string> Config() => new()
    {
        [K.MeterValueSampleInterval] = "10",
        [K.AllowOfflineTxForUnknownId] = "true",
        [K.LocalAuthorizeOffline] = "true",
    };

    /// <summary>A store as the fleet keeps it: changes applied one after the other.</summary>
    private sealed class AppliedChanges
    {
        private readonly SortedDictionary<long, QueuedMessageState> _queue = [];
        private ChargePointMemory? _memory;

        public int Saves { get; private set; }

        public void Save(ChargePointModel model)
        {
            if (model.TakeStateChanges() is not { } changes)
            {
                return;
            }
            Saves++;
            foreach (var order in changes.Removed)
            {
                Assert.True(_queue.Remove(order), $"removed {order}, which was never saved");
            }
            foreach (var entry in changes.Appended)
            {
                Assert.True(_queue.TryAdd(entry.Order, entry), $"appended {entry.Order} twice");
            }
            _memory = changes.Memory ?? _memory;
        }

        public ChargePointPersistentState State => new(_memory!, [.. _queue.Values]);
    }

    [Fact]
    public void Delivered_messages_leave_the_saved_state_and_an_idle_turn_saves_nothing()
    {
        var h = new Harness(Config()).Boot();
        var saved = new AppliedChanges();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "A");
        h.Take();   // Authorize goes out, unanswered
        saved.Save(h.Model);
        h.Model.OnDisconnected();   // the Authorize fails, the offline rules start the transaction: its Start is queued
        saved.Save(h.Model);
        Assert.Single(saved.State.Queue);
        Assert.Single(saved.State.Memory.Transactions);

        h.Model.OnConnected();
        h.Pump();
        saved.Save(h.Model);
        Assert.Empty(saved.State.Queue);
        Assert.Equal(100, Assert.Single(saved.State.Memory.Transactions).TransactionId);
        var saves = saved.Saves;
        saved.Save(h.Model);
        Assert.Equal(saves, saved.Saves);
    }

    [Fact]
    public void After_a_power_cut_the_saved_queue_goes_out_first_in_order_and_open_transactions_end_with_PowerLoss_at_the_saved_register()
    {
        var h = new Harness(Config()).Boot();
        var saved = new AppliedChanges();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "ONLINE");
        h.Pump();
        h.Run(TimeSpan.FromSeconds(25));
        saved.Save(h.Model);
        h.Model.OnDisconnected();
        h.Run(TimeSpan.FromSeconds(30), pump: false);
        saved.Save(h.Model);
        h.Model.PlugIn(2, Harness.Ev);
        h.Model.PresentIdTag(2, "OFFLINE");
        h.Run(TimeSpan.FromSeconds(21), pump: false);
        saved.Save(h.Model);

        var state = saved.State;
        var captured = h.Model.CaptureState();
        Assert.Equal(captured.Queue.Select(q => q.Order), state.Queue.Select(q => q.Order));
        Assert.Equal(captured.Memory.RegistersWh, state.Memory.RegistersWh);
        Assert.Equal(2, state.Memory.Transactions.Count);
        Assert.Equal(8, state.Queue.Count);   // connector 1: 5 × MeterValues in 51 s offline; connector 2: Start, 2 × MeterValues
        Assert.Contains(new KnownTransactionId(1, 100), state.Memory.TransactionIds);
        Assert.True(state.Memory.RegistersWh.All(r => r > 0));

        // The process dies; a new one starts the charge point from what was saved.
        var after = new Harness(Config()) { NextTransactionId = 500 };
        after.Model.RestoreAfterPowerLoss(state);
        after.DrainSignals();
        Assert.Equal(10, after.Produced.Count);
        Assert.Equal(10, after.Model.OfflineQueueDepth);
        after.Model.OnConnected();
        after.Pump();

        var sent = after.Sent.Where(m => m.Request is not BootNotificationRequest).ToList();
        var transactionMessages = sent.TakeWhile(m => m.IsTransactionMessage).Select(m => m.Request).ToList();
        Assert.Equal(10, transactionMessages.Count);   // before any StatusNotification of the new boot
        Assert.Equal(state.Queue.Select(q => q.Request.GetType()), transactionMessages.Take(8).Select(r => r.GetType()));
        Assert.All(transactionMessages.Take(8).OfType<MeterValuesRequest>().Where(m => m.ConnectorId == 1), m => Assert.Equal(100, m.TransactionId));
        Assert.All(transactionMessages.Take(8).OfType<MeterValuesRequest>().Where(m => m.ConnectorId == 2), m => Assert.Equal(500, m.TransactionId));
        Assert.Equal(((StartTransactionRequest)state.Queue.Single(q => q.Request is StartTransactionRequest).Request).Timestamp,
            transactionMessages.OfType<StartTransactionRequest>().Single().Timestamp);
        var stops = transactionMessages.Skip(8).Cast<StopTransactionRequest>().ToList();
        Assert.Equal([100, 500], stops.Select(s => s.TransactionId));
        Assert.All(stops, s => Assert.Equal(StopReason.PowerLoss, s.Reason));
        Assert.All(stops, s => Assert.Equal(state.Memory.SavedAt, s.Timestamp));
        Assert.Equal([(int)Math.Round(state.Memory.RegistersWh[0]), (int)Math.Round(state.Memory.RegistersWh[1])], stops.Select(s => s.MeterStop));
        Assert.Equal(0, after.Model.OfflineQueueDepth);

        // The register carries on from the saved value.
        after.Model.PlugIn(1, Harness.Ev);
        after.Model.PresentIdTag(1, "NEXT");
        after.Pump();
        Assert.Equal((int)Math.Round(state.Memory.RegistersWh[0]), after.SentOf<StartTransactionRequest>().Last().MeterStart);
    }

    private static ChargingProfile Profile(int id, ChargingProfilePurpose purpose, DateTimeOffset start, decimal limitW) => new()
    {
        ChargingProfileId = id,
        StackLevel = 1,
        ChargingProfilePurpose = purpose,
        ChargingProfileKind = ChargingProfileKind.Absolute,
        ChargingSchedule = new ChargingSchedule
        {
            StartSchedule = start,
            ChargingRateUnit = ChargingRateUnit.W,
            ChargingSchedulePeriod = [new ChargingSchedulePeriod { StartPeriod = 0, Limit = limitW }],
        },
    };

    [Fact]
    public void Installed_max_and_default_profiles_survive_a_power_cut_and_cap_the_next_transaction_while_the_TxProfile_ends_with_its_transaction()
    {
        var h = new Harness(Config()).Boot();
        var saved = new AppliedChanges();
        var start = h.CsmsNow;
        Assert.Equal(ChargingProfileStatus.Accepted, h.Reply<SetChargingProfileResponse>(new SetChargingProfileRequest { ConnectorId = 0, CsChargingProfiles = Profile(3, ChargingProfilePurpose.ChargePointMaxProfile, start, 7000) }).Status);
        Assert.Equal(ChargingProfileStatus.Accepted, h.Reply<SetChargingProfileResponse>(new SetChargingProfileRequest { ConnectorId = 2, CsChargingProfiles = Profile(5, ChargingProfilePurpose.TxDefaultProfile, start, 4000) }).Status);
        saved.Save(h.Model);
        Assert.Equal([3, 5], saved.State.Memory.ChargingProfiles!.Select(p => ((SetChargingProfileRequest)p.Request).CsChargingProfiles.ChargingProfileId));
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "A");
        h.Pump();
        Assert.Equal(ChargingProfileStatus.Accepted, h.Reply<SetChargingProfileResponse>(new SetChargingProfileRequest { ConnectorId = 1, CsChargingProfiles = Profile(6, ChargingProfilePurpose.TxProfile, start, 2000) }).Status);
        Assert.Equal(2000, h.Model.Connectors[1].LimitW);
        h.Run(TimeSpan.FromSeconds(20));
        saved.Save(h.Model);
        var state = saved.State;
        Assert.Equal([3, 5], state.Memory.ChargingProfiles!.Select(p => ((SetChargingProfileRequest)p.Request).CsChargingProfiles.ChargingProfileId));

        var after = new Harness(Config());
        after.Clock.SetUtcNow(h.Clock.GetUtcNow() + TimeSpan.FromMinutes(5));
        after.Model.RestoreAfterPowerLoss(state);
        after.Boot();
        Assert.Equal((StopReason.PowerLoss, 100), after.SentOf<StopTransactionRequest>().Select(s => (s.Reason, s.TransactionId)).Single());   // (this stop was dropped before: its id was not restored)
        Assert.Equal(7000, after.Model.Connectors[1].LimitW);   // the max profile; the TxProfile ended with its transaction
        Assert.Equal(ClearChargingProfileStatus.Unknown, after.Reply<ClearChargingProfileResponse>(new ClearChargingProfileRequest { Id = 6 }).Status);
        after.Model.PlugIn(2, Harness.Ev);
        after.Model.PresentIdTag(2, "B");
        after.Pump();
        after.Run(TimeSpan.FromSeconds(30));
        Assert.Equal(4000, after.Model.Connectors[2].LimitW);
        Assert.Equal(4000, after.Model.Connectors[2].PowerW, 1);
        var composite = after.Reply<GetCompositeScheduleResponse>(new GetCompositeScheduleRequest { ConnectorId = 2, Duration = 600, ChargingRateUnit = ChargingRateUnit.W });
        Assert.Equal(4000m, composite.ChargingSchedule!.ChargingSchedulePeriod[0].Limit);
        // The restored profiles are saved again with the new charge point's state, and a cleared one leaves it.
        Assert.Equal(2, after.Model.CaptureState().Memory.ChargingProfiles!.Count);
        Assert.Equal(ClearChargingProfileStatus.Accepted, after.Reply<ClearChargingProfileResponse>(new ClearChargingProfileRequest { Id = 5 }).Status);
        Assert.Equal(3, ((SetChargingProfileRequest)Assert.Single(after.Model.TakeStateChanges()!.Memory!.ChargingProfiles!).Request).CsChargingProfiles.ChargingProfileId);
    }

    [Fact]
    public void A_saved_profile_of_another_OCPP_version_is_refused_before_anything_is_restored()
    {
        var profile201 = new Simulator.Ocpp.V201.SmartCharging.SetChargingProfileRequest
        {
            EvseId = 0,
            ChargingProfile = new Simulator.Ocpp.V201.Types.ChargingProfile
            {
                Id = 1,
                StackLevel = 0,
                ChargingProfilePurpose = Simulator.Ocpp.V201.Types.ChargingProfilePurpose.TxDefaultProfile,
                ChargingProfileKind = Simulator.Ocpp.V201.Types.ChargingProfileKind.Relative,
                ChargingSchedule = [new Simulator.Ocpp.V201.Types.ChargingSchedule { Id = 1, ChargingRateUnit = Simulator.Ocpp.V201.Types.ChargingRateUnit.W, ChargingSchedulePeriod = [new() { StartPeriod = 0, Limit = 1000 }] }],
            },
        };
        var h = new Harness(Config());
        var state = new ChargePointPersistentState(new ChargePointMemory(1, 1, h.CsmsNow, [500, 0], [], []) { ChargingProfiles = [new SavedChargingProfile(profile201, "CSO")] }, []);
        var error = Assert.Throws<ArgumentException>(() => h.Model.RestoreAfterPowerLoss(state));
        Assert.Contains("V201", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, h.Model.CaptureState().Memory.RegistersWh[0]);
    }

    [Fact]
    public void A_state_naming_connectors_the_charge_point_lacks_is_refused()
    {
        var h = new Harness(Config(), connectors: 2).Boot();
        h.Model.PlugIn(2, Harness.Ev);
        h.Model.PresentIdTag(2, "A");
        h.Pump();
        var state = h.Model.CaptureState();

        var smaller = new Harness(Config(), connectors: 1);
        Assert.Throws<ArgumentException>(() => smaller.Model.RestoreAfterPowerLoss(state));
    }
}
