using Simulator.Ocpp.V201.Authorization;
using Simulator.Ocpp.V201.MeterValues;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;
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
