using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.Tests.Model;

public class TransactionTests
{
    [Fact]
    public void RemoteStart_authorizes_starts_reports_Preparing_then_Charging_and_samples_with_the_transactionId()
    {
        var h = new Harness(new() { [K.MeterValueSampleInterval] = "60" }).Boot();
        h.Sent.Clear();
        h.Model.PlugIn(1, Harness.Ev);
        h.Pump();
        Assert.Equal(ChargePointStatus.Preparing, h.StatusesOf(1).Single());

        var reply = h.Reply<RemoteStartTransactionResponse>(new RemoteStartTransactionRequest { ConnectorId = 1, IdTag = "TAG1" });
        Assert.Equal(RemoteStartStopStatus.Accepted, reply.Status);
        h.Pump();
        var actions = h.Sent.Select(m => m.Request.GetType().Name).ToList();
        Assert.Equal(["StatusNotificationRequest", "AuthorizeRequest", "StartTransactionRequest", "StatusNotificationRequest"], actions);
        Assert.Equal([ChargePointStatus.Preparing, ChargePointStatus.Charging], h.StatusesOf(1));
        var start = h.SentOf<StartTransactionRequest>().Single();
        Assert.Equal(("TAG1", 1, 0), (start.IdTag, start.ConnectorId, start.MeterStart));
        Assert.Equal(100, h.Model.Connectors[1].TransactionId);

        h.Run(TimeSpan.FromSeconds(180));
        var samples = h.SentOf<MeterValuesRequest>().ToList();
        Assert.Equal(3, samples.Count);
        Assert.All(samples, s => Assert.Equal(100, s.TransactionId));
        Assert.All(samples, s => Assert.All(s.MeterValue.Single().SampledValue, v => Assert.Equal(ReadingContext.SamplePeriodic, v.Context)));
        var registers = samples.Select(s => double.Parse(s.MeterValue[0].SampledValue.First(v => v.Measurand == Measurand.EnergyActiveImportRegister).Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(registers.Order(), registers);
        Assert.True(registers[0] > 0);
        Assert.Equal([60.0, 120.0, 180.0], h.Sent.Where(m => m.Request is MeterValuesRequest).Select(m => (m.ScheduledFor!.Value - h.Sent.First(x => x.Request is StartTransactionRequest).CreatedAt).TotalSeconds));
    }

    [Fact]
    public void RemoteStart_without_AuthorizeRemoteTxRequests_skips_Authorize_and_waits_for_the_plug_within_ConnectionTimeOut()
    {
        var h = new Harness(new() { [K.AuthorizeRemoteTxRequests] = "false", [K.ConnectionTimeOut] = "30" }).Boot();
        h.Sent.Clear();
        Assert.Equal(RemoteStartStopStatus.Accepted, h.Reply<RemoteStartTransactionResponse>(new RemoteStartTransactionRequest { IdTag = "TAG1" }).Status);
        h.Pump();
        Assert.Empty(h.SentOf<AuthorizeRequest>());
        Assert.Equal(ChargePointStatus.Preparing, h.Model.Connectors[1].Status);
        h.Run(TimeSpan.FromSeconds(31));
        Assert.Equal(ChargePointStatus.Available, h.Model.Connectors[1].Status);
        Assert.Equal([ChargePointStatus.Preparing, ChargePointStatus.Available], h.StatusesOf(1));
        h.Model.PlugIn(1, Harness.Ev);
        h.Pump();
        Assert.Empty(h.SentOf<StartTransactionRequest>());
    }

    [Fact]
    public void RemoteStart_is_rejected_on_a_busy_or_missing_connector_and_RemoteStop_on_an_unknown_transaction()
    {
        var h = new Harness().Boot();
        Assert.Equal(RemoteStartStopStatus.Rejected, h.Reply<RemoteStartTransactionResponse>(new RemoteStartTransactionRequest { ConnectorId = 5, IdTag = "T" }).Status);
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "A");
        h.Pump();
        Assert.Equal(RemoteStartStopStatus.Rejected, h.Reply<RemoteStartTransactionResponse>(new RemoteStartTransactionRequest { ConnectorId = 1, IdTag = "T" }).Status);
        Assert.Equal(RemoteStartStopStatus.Rejected, h.Reply<RemoteStopTransactionResponse>(new RemoteStopTransactionRequest { TransactionId = 999 }).Status);
        Assert.Equal(RemoteStartStopStatus.Accepted, h.Reply<RemoteStopTransactionResponse>(new RemoteStopTransactionRequest { TransactionId = 100 }).Status);
        h.Pump();
        Assert.Equal(StopReason.Remote, h.SentOf<StopTransactionRequest>().Single().Reason);
    }

    [Fact]
    public void Local_session_idTag_first_then_plug_in_then_stop_with_the_same_tag()
    {
        var h = new Harness().Boot();
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        Assert.Equal(ChargePointStatus.Preparing, h.Model.Connectors[1].Status);
        h.Run(TimeSpan.FromSeconds(10));
        h.Model.PlugIn(1, Harness.Ev);
        h.Pump();
        Assert.Single(h.SentOf<StartTransactionRequest>());
        h.Run(TimeSpan.FromMinutes(30));
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        var stop = h.SentOf<StopTransactionRequest>().Single();
        Assert.Equal((StopReason.Local, "TAG1", 100), (stop.Reason!.Value, stop.IdTag, stop.TransactionId));
        Assert.Equal(ChargePointStatus.Finishing, h.Model.Connectors[1].Status);
        h.Model.Unplug(1);
        h.Pump();
        Assert.Equal([ChargePointStatus.Available, ChargePointStatus.Preparing, ChargePointStatus.Charging, ChargePointStatus.Finishing, ChargePointStatus.Available], h.StatusesOf(1));
        var ended = h.SignalsOf<SessionEnded>().Single();
        Assert.Equal(stop.MeterStop - h.SentOf<StartTransactionRequest>().Single().MeterStart, ended.EnergyWh, 0.6);
        Assert.True(ended.EnergyWh > 5000);
        Assert.Contains(stop.TransactionData!, v => v.SampledValue.Any(s => s.Context == ReadingContext.TransactionBegin));
        Assert.Contains(stop.TransactionData!, v => v.SampledValue.Any(s => s.Context == ReadingContext.TransactionEnd));
    }

    [Fact]
    public void Unplugging_stops_with_EVDisconnected_unless_StopTransactionOnEVSideDisconnect_is_false()
    {
        var h = new Harness().Boot();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        h.Model.Unplug(1);
        h.Pump();
        Assert.Equal(StopReason.EVDisconnected, h.SentOf<StopTransactionRequest>().Single().Reason);

        var g = new Harness(new() { [K.StopTransactionOnEVSideDisconnect] = "false" }).Boot();
        g.Model.PlugIn(1, Harness.Ev);
        g.Model.PresentIdTag(1, "TAG1");
        g.Pump();
        g.Model.Unplug(1);
        g.Pump();
        Assert.Empty(g.SentOf<StopTransactionRequest>());
        Assert.Equal(ChargePointStatus.SuspendedEV, g.Model.Connectors[1].Status);
    }

    [Fact]
    public void A_transaction_id_is_kept_until_its_StopTransaction_is_answered_not_for_the_whole_run()
    {
        var h = new Harness(new() { [K.MeterValueSampleInterval] = "20" }).Boot();
        for (var session = 0; session < 30; session++)
        {
            h.Model.PlugIn(1, Harness.Ev);
            h.Model.PresentIdTag(1, "TAG1");
            h.Pump();
            h.Run(TimeSpan.FromSeconds(70));
            Assert.Equal(1, h.Model.TransactionIdsKept);
            h.Model.Unplug(1);
            h.Pump();
            h.Run(TimeSpan.FromSeconds(5));
            Assert.Equal(0, h.Model.TransactionIdsKept);
        }
        // Every message still carried its transaction's id.
        Assert.Equal(Enumerable.Range(100, 30), h.SentOf<StopTransactionRequest>().Select(s => s.TransactionId));
        Assert.All(h.SentOf<MeterValuesRequest>(), m => Assert.InRange(m.TransactionId ?? -1, 100, 129));
        Assert.True(h.SentOf<MeterValuesRequest>().Count() >= 60);
    }

    [Fact]
    public void A_tag_with_the_same_parent_may_stop_the_transaction()
    {
        var h = new Harness().Boot();
        h.IdTagInfoFor = tag => new IdTagInfo { Status = AuthorizationStatus.Accepted, ParentIdTag = tag is "A" or "B" ? "FLEET" : null };
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "A");
        h.Pump();
        h.Model.PresentIdTag(1, "C");
        h.Pump();
        Assert.Empty(h.SentOf<StopTransactionRequest>());
        h.Model.PresentIdTag(1, "B");
        h.Pump();
        var stop = h.SentOf<StopTransactionRequest>().Single();
        Assert.Equal(("B", StopReason.Local), (stop.IdTag, stop.Reason!.Value));
    }

    [Fact]
    public void A_rejected_idTag_in_StartTransaction_stops_with_DeAuthorized_or_suspends_per_StopTransactionOnInvalidId()
    {
        var h = new Harness().Boot();
        h.IdTagInfoFor = _ => new IdTagInfo { Status = AuthorizationStatus.Accepted };
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "BAD");
        h.Override = m => m.Request is StartTransactionRequest ? new StartTransactionResponse { TransactionId = 7, IdTagInfo = new() { Status = AuthorizationStatus.Blocked } } : null;
        h.Pump();
        var stop = h.SentOf<StopTransactionRequest>().Single();
        Assert.Equal((StopReason.DeAuthorized, 7), (stop.Reason!.Value, stop.TransactionId));

        var g = new Harness(new() { [K.StopTransactionOnInvalidId] = "false" }).Boot();
        g.Model.PlugIn(1, Harness.Ev);
        g.Model.PresentIdTag(1, "BAD");
        g.Override = h.Override;
        g.Pump();
        Assert.Empty(g.SentOf<StopTransactionRequest>());
        Assert.Equal(ChargePointStatus.SuspendedEVSE, g.Model.Connectors[1].Status);
    }

    [Fact]
    public void An_invalidated_tag_may_still_draw_MaxEnergyOnInvalidId_before_the_EVSE_suspends()
    {
        var h = new Harness(new() { [K.StopTransactionOnInvalidId] = "false", [K.MaxEnergyOnInvalidId] = "500" }).Boot();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "BAD");
        h.Override = m => m.Request is StartTransactionRequest ? new StartTransactionResponse { TransactionId = 7, IdTagInfo = new() { Status = AuthorizationStatus.Invalid } } : null;
        h.Pump();
        Assert.Equal(ChargePointStatus.Charging, h.Model.Connectors[1].Status);
        h.Run(TimeSpan.FromMinutes(10));
        Assert.Equal(ChargePointStatus.SuspendedEVSE, h.Model.Connectors[1].Status);
        Assert.Equal(500, h.Model.Connectors[1].SessionEnergyWh, 0.5);
        Assert.Empty(h.SentOf<StopTransactionRequest>());
    }

    [Theory]
    [InlineData(ResetType.Soft, StopReason.SoftReset, RebootKind.SoftReset)]
    [InlineData(ResetType.Hard, StopReason.HardReset, RebootKind.HardReset)]
    public void Reset_stops_transactions_signals_reboot_and_boots_again_after_reconnect(ResetType type, StopReason reason, RebootKind kind)
    {
        var h = new Harness().Boot();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        Assert.Equal(ResetStatus.Accepted, h.Reply<ResetResponse>(new ResetRequest { Type = type }).Status);
        h.Pump();
        h.DrainSignals();
        Assert.Equal(kind, h.SignalsOf<RebootRequested>().Single().Kind);
        Assert.False(h.Model.IsBooted);
        Assert.False(h.Model.IsConnected);
        h.Model.OnDisconnected();
        h.Model.OnConnected();
        h.Pump();
        Assert.Equal(2, h.SentOf<BootNotificationRequest>().Count());
        var stop = h.SentOf<StopTransactionRequest>().Single();
        Assert.Equal((reason, 100), (stop.Reason!.Value, stop.TransactionId));
        Assert.Equal(0, h.Model.OfflineQueueDepth);
        // After the reboot the EV is still plugged in, the transaction ended: Finishing.
        Assert.Equal(ChargePointStatus.Finishing, h.Model.Connectors[1].Status);
    }

    [Fact]
    public void PowerCycle_ends_transactions_with_PowerLoss_sent_after_the_next_boot()
    {
        var h = new Harness().Boot();
        h.Model.PlugIn(2, Harness.Ev);
        h.Model.PresentIdTag(2, "TAG1");
        h.Pump();
        h.Model.PowerCycle();
        Assert.Empty(h.Take());
        h.Model.OnConnected();
        var sent = h.Pump();
        Assert.IsType<BootNotificationRequest>(sent[0].Request);
        Assert.Equal(StopReason.PowerLoss, h.SentOf<StopTransactionRequest>().Single().Reason);
        Assert.Equal(RebootKind.PowerCycle, h.SignalsOf<RebootRequested>().Single().Kind);
    }

    [Fact]
    public void UnlockConnector_ends_the_transaction_with_UnlockCommand_and_reports_lock_failures()
    {
        var h = new Harness().Boot();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        Assert.Equal(UnlockStatus.Unlocked, h.Reply<UnlockConnectorResponse>(new UnlockConnectorRequest { ConnectorId = 1 }).Status);
        h.Pump();
        Assert.Equal(StopReason.UnlockCommand, h.SentOf<StopTransactionRequest>().Single().Reason);
        h.Model.SetFaulted(2, true, ChargePointErrorCode.ConnectorLockFailure);
        Assert.Equal(UnlockStatus.UnlockFailed, h.Reply<UnlockConnectorResponse>(new UnlockConnectorRequest { ConnectorId = 2 }).Status);
        Assert.Equal(UnlockStatus.NotSupported, h.Reply<UnlockConnectorResponse>(new UnlockConnectorRequest { ConnectorId = 9 }).Status);
    }
}
