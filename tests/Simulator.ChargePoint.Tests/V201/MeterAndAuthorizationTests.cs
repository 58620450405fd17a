using Simulator.Ocpp.V201.Authorization;
using Simulator.Ocpp.V201.MeterValues;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.RemoteControl;
using Simulator.Ocpp.V201.Types;
using static Simulator.ChargePoint.Tests.HarnessBase;
using static Simulator.ChargePoint.Tests.V201.StationHarness;

namespace Simulator.ChargePoint.Tests.V201;

public sealed class MeterAndAuthorizationTests
{
    [Fact]
    public void Clock_aligned_data_goes_as_MeterValues_when_idle_and_as_Updated_MeterValueClock_in_a_transaction()
    {
        var h = new StationHarness(new() { ["AlignedDataCtrlr.Interval"] = "900", ["AlignedDataCtrlr.Measurands"] = "Energy.Active.Import.Register,Voltage", ["TxUpdatedInterval"] = "0" });
        h.Boot();
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "TAG");
        h.Pump();
        h.Run(TimeSpan.FromMinutes(15));   // 10:00 → 10:15, aligned to the quarter hour
        var idle = Assert.Single(h.SentOf<MeterValuesRequest>());
        Assert.Equal(2, idle.EvseId);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 15, 0, TimeSpan.Zero), idle.MeterValue[0].Timestamp);
        Assert.All(idle.MeterValue[0].SampledValue, v => Assert.Equal(ReadingContext.SampleClock, v.Context));
        Assert.Contains(idle.MeterValue[0].SampledValue, v => v.Measurand == Measurand.Voltage && v.Phase == Phase.L1N);
        var clock = Assert.Single(h.Events(), e => e.TriggerReason == TriggerReason.MeterValueClock);
        Assert.Equal(TransactionEventKind.Updated, clock.EventType);
        Assert.Equal(idle.MeterValue[0].Timestamp, clock.Timestamp);
        Assert.InRange(clock.MeterValue![0].SampledValue.First(v => v.Measurand is null or Measurand.EnergyActiveImportRegister).Value, 2700m, 2800m);   // 11 kW × 15 min
    }

    [Fact]
    public void The_cache_authorizes_a_known_token_offline_and_LocalPreAuthorize_skips_Authorize_online()
    {
        var h = new StationHarness(new() { ["LocalPreAuthorize"] = "true" }).Boot();
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "CARD");
        h.Pump();
        Assert.Single(h.SentOf<AuthorizeRequest>());
        h.Model.PresentIdTag(1, "CARD");
        h.Model.Unplug(1);
        h.Pump();
        Assert.Equal(1, h.Model.AuthorizationCacheCount);

        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "CARD");
        h.Pump();
        Assert.Single(h.SentOf<AuthorizeRequest>());   // pre-authorized from the cache
        Assert.NotNull(h.Model.TransactionIdOf(1));

        h.Model.OnDisconnected();
        h.Model.PlugIn(2, Ev);
        h.Model.PresentIdTag(2, "CARD2");   // unknown offline, OfflineTxForUnknownIdEnabled false
        h.DrainSignals();
        Assert.Equal("CARD2", Assert.Single(h.SignalsOf<IdTagRejected>()).IdTag);
        Assert.Null(h.Model.TransactionIdOf(2));
    }

    [Fact]
    public void A_token_the_CSMS_rejects_in_the_Started_answer_ends_the_transaction_Deauthorized()
    {
        var h = new StationHarness(new() { ["AuthCtrlr.Enabled"] = "true" }).Boot();
        h.IdTokenInfoFor = t => new IdTokenInfo { Status = t.Token == "BAD" && h.SentOf<AuthorizeRequest>().Any() && h.Events().Count > 0 ? AuthorizationStatus.Blocked : AuthorizationStatus.Accepted };
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "BAD");
        h.Pump();
        var events = h.Events();
        Assert.Equal([TransactionEventKind.Started, TransactionEventKind.Ended], events.Select(e => e.EventType));
        Assert.Equal((TriggerReason.Deauthorized, StopReason.DeAuthorized), (events[1].TriggerReason, events[1].TransactionInfo.StoppedReason));
        Assert.Equal(ClearCacheStatus.Accepted, h.Call<ClearCacheResponse>(new ClearCacheRequest()).Status);
        Assert.Equal(0, h.Model.AuthorizationCacheCount);
    }
}

public sealed class InvalidIdTests
{
    [Fact]
    public void Without_StopTxOnInvalidId_an_invalidated_token_charges_up_to_MaxEnergyOnInvalidId_then_the_energy_stops()
    {
        var h = new StationHarness(new() { ["StopTxOnInvalidId"] = "false", ["MaxEnergyOnInvalidId"] = "1100", ["TxUpdatedInterval"] = "0" }).Boot();
        h.IdTokenInfoFor = _ => new IdTokenInfo { Status = h.SentOf<AuthorizeRequest>().Any() && h.Events().Count > 0 ? AuthorizationStatus.Invalid : AuthorizationStatus.Accepted };
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "T");
        h.Pump();
        Assert.Single(h.Events());
        h.Run(TimeSpan.FromMinutes(5));
        Assert.Single(h.Events());   // 11 kW: 1100 Wh take 6 minutes
        h.Run(TimeSpan.FromMinutes(2));
        var stopped = h.Events()[^1];
        Assert.Equal((TransactionEventKind.Updated, TriggerReason.ChargingStateChanged, ChargingState.EVConnected),
            (stopped.EventType, stopped.TriggerReason, stopped.TransactionInfo.ChargingState));
        h.Model.Unplug(1);
        h.Pump();
        var ended = h.Events()[^1];
        Assert.Equal(StopReason.DeAuthorized, ended.TransactionInfo.StoppedReason);
        Assert.InRange(ended.MeterValue![^1].SampledValue[0].Value - h.Events()[0].MeterValue![0].SampledValue[0].Value, 1099m, 1101m);
    }
}

public sealed class AvailabilityAndResetTests
{
    [Fact]
    public void An_EVSE_reset_ends_only_its_transaction_without_a_reboot_and_OnIdle_waits()
    {
        var h = new StationHarness().Boot();
        foreach (var evse in new[] { 1, 2 })
        {
            h.Model.PlugIn(evse, Ev);
            h.Model.PresentIdTag(evse, $"T{evse}");
        }
        h.Pump();
        var second = h.Model.TransactionIdOf(2)!;
        Assert.Equal(Simulator.Ocpp.V201.Provisioning.ResetStatus.Accepted,
            h.Call<Simulator.Ocpp.V201.Provisioning.ResetResponse>(new Simulator.Ocpp.V201.Provisioning.ResetRequest { Type = Simulator.Ocpp.V201.Provisioning.ResetKind.Immediate, EvseId = 1 }).Status);
        h.Pump();
        var ended = h.Events()[^1];
        Assert.Equal((TransactionEventKind.Ended, TriggerReason.ResetCommand, StopReason.ImmediateReset), (ended.EventType, ended.TriggerReason, ended.TransactionInfo.StoppedReason));
        Assert.Null(h.Model.TransactionIdOf(1));
        Assert.Equal(second, h.Model.TransactionIdOf(2));
        Assert.Empty(h.SignalsOf<RebootRequested>());
        Assert.Equal(Simulator.Ocpp.V201.Provisioning.ResetStatus.Scheduled,
            h.Call<Simulator.Ocpp.V201.Provisioning.ResetResponse>(new Simulator.Ocpp.V201.Provisioning.ResetRequest { Type = Simulator.Ocpp.V201.Provisioning.ResetKind.OnIdle, EvseId = 2 }).Status);
        Assert.Equal(second, h.Model.TransactionIdOf(2));
        Assert.Empty(h.SignalsOf<RebootRequested>());
    }

    [Fact]
    public void Station_Inoperative_is_Scheduled_while_a_transaction_runs_then_every_connector_is_Unavailable_and_Operative_restores()
    {
        var h = new StationHarness().Boot();
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "T");
        h.Pump();
        Assert.Equal(UnlockStatus.OngoingAuthorizedTransaction,
            h.Call<Simulator.Ocpp.V201.RemoteControl.UnlockConnectorResponse>(new Simulator.Ocpp.V201.RemoteControl.UnlockConnectorRequest { EvseId = 1, ConnectorId = 1 }).Status);
        Assert.Equal(Simulator.Ocpp.V201.Availability.ChangeAvailabilityStatus.Scheduled, h.Call<Simulator.Ocpp.V201.Availability.ChangeAvailabilityResponse>(
            new Simulator.Ocpp.V201.Availability.ChangeAvailabilityRequest { OperationalStatus = Simulator.Ocpp.V201.Availability.OperationalStatus.Inoperative }).Status);
        h.Model.PlugIn(2, Ev);
        h.Model.PresentIdTag(2, "U");   // no new sessions while the station waits to go Inoperative
        h.Pump();
        Assert.Null(h.Model.TransactionIdOf(2));
        h.Model.PresentIdTag(1, "T");
        h.Model.Unplug(1);
        h.Model.Unplug(2);
        h.Pump();
        Assert.Equal(Simulator.Ocpp.V201.Availability.ConnectorStatus.Unavailable, h.Model.StatusOf(1));
        Assert.Equal(Simulator.Ocpp.V201.Availability.ConnectorStatus.Unavailable, h.Model.StatusOf(2));
        h.Call<Simulator.Ocpp.V201.Availability.ChangeAvailabilityResponse>(new Simulator.Ocpp.V201.Availability.ChangeAvailabilityRequest { OperationalStatus = Simulator.Ocpp.V201.Availability.OperationalStatus.Operative });
        h.Pump();
        var last = h.SentOf<Simulator.Ocpp.V201.Availability.StatusNotificationRequest>().GroupBy(s => s.EvseId).Select(g => g.Last().ConnectorStatus);
        Assert.All(last, s => Assert.Equal(Simulator.Ocpp.V201.Availability.ConnectorStatus.Available, s));
        h.Model.SetFaulted(2, true);
        h.Pump();
        Assert.Equal(Simulator.Ocpp.V201.Availability.ConnectorStatus.Faulted, h.SentOf<Simulator.Ocpp.V201.Availability.StatusNotificationRequest>().Last().ConnectorStatus);
    }
}

public sealed class StartPointTests
{
    [Fact]
    public void TxStartPoint_Authorized_starts_at_the_card_and_ends_with_Timeout_when_no_EV_comes()
    {
        var h = new StationHarness(new() { ["TxStartPoint"] = "Authorized", ["EVConnectionTimeOut"] = "45" }).Boot();
        h.Model.PresentIdTag(1, "EARLY");
        h.Pump();
        var started = Assert.Single(h.Events());
        Assert.Equal((TransactionEventKind.Started, TriggerReason.Authorized, ChargingState.Idle), (started.EventType, started.TriggerReason, started.TransactionInfo.ChargingState));
        h.Run(TimeSpan.FromSeconds(44));
        Assert.Single(h.Events());
        h.Run(TimeSpan.FromSeconds(1));
        var ended = h.Events()[^1];
        Assert.Equal((TransactionEventKind.Ended, TriggerReason.EVConnectTimeout, StopReason.Timeout), (ended.EventType, ended.TriggerReason, ended.TransactionInfo.StoppedReason));
        Assert.Equal(1, ended.SeqNo);
    }
}
