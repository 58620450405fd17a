using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.Tests.Model;

public class OfflineQueueTests
{
    private static Harness OfflineSession(out int produced)
    {
        var h = new Harness(new() { [K.MeterValueSampleInterval] = "60", [K.LocalAuthorizeOffline] = "true", [K.AllowOfflineTxForUnknownId] = "true" }).Boot();
        h.Model.OnDisconnected();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "OFF1");
        h.Run(TimeSpan.FromSeconds(200), pump: false);
        h.Model.PresentIdTag(1, "OFF1");
        h.DrainSignals();
        produced = h.Produced.Count;
        return h;
    }

    [Fact]
    public void A_session_started_offline_is_delivered_in_order_after_reconnect_with_the_real_transactionId()
    {
        var h = OfflineSession(out var produced);
        Assert.Equal(5, produced);   // Start, 3 × MeterValues, Stop
        Assert.Equal(5, h.Model.OfflineQueueDepth);
        Assert.Equal(Harness.Start, h.Model.OldestQueuedAt);

        h.NextTransactionId = 4242;
        h.Model.OnConnected();
        h.Pump();
        var transactionMessages = h.Sent.Where(m => m.IsTransactionMessage).Select(m => m.Request).ToList();
        Assert.IsType<StartTransactionRequest>(transactionMessages[0]);
        Assert.All(transactionMessages.Skip(1).Take(3), r => Assert.Equal(4242, Assert.IsType<MeterValuesRequest>(r).TransactionId));
        Assert.Equal(4242, Assert.IsType<StopTransactionRequest>(transactionMessages[4]).TransactionId);
        Assert.Equal(0, h.Model.OfflineQueueDepth);
        var assigned = h.SignalsOf<TransactionIdAssigned>().Single();
        Assert.Equal(4242, assigned.TransactionId);
        Assert.Equal(h.Produced[0].LocalTransactionRef, assigned.LocalTransactionRef);
        // Original timestamps are kept.
        Assert.Equal(Harness.Start, ((StartTransactionRequest)transactionMessages[0]).Timestamp);
    }

    [Fact]
    public void Transaction_messages_go_one_at_a_time_the_next_only_after_the_previous_was_answered()
    {
        var h = OfflineSession(out _);
        h.Model.OnConnected();   // a reconnect without reboot resumes: no BootNotification
        var batch = h.Take();
        Assert.DoesNotContain(batch, m => m.Request is BootNotificationRequest);
        Assert.Single(batch, m => m.IsTransactionMessage);
        var start = batch.Single(m => m.IsTransactionMessage);
        Assert.IsType<StartTransactionRequest>(start.Request);
        Assert.False(h.Model.TryTakeOutbound(out _));
        h.Model.OnAnswered(start, h.DefaultAnswer(start));
        Assert.True(h.Model.TryTakeOutbound(out var next));
        Assert.IsType<MeterValuesRequest>(next.Request);
    }

    [Fact]
    public void Nothing_is_lost_or_duplicated_across_repeated_disconnects()
    {
        var h = OfflineSession(out var produced);
        var delivered = new List<OutboundMessage>();
        // Each round: connect, deliver one message, have the next one lost with the connection.
        for (var round = 0; round < 20 && h.Model.OfflineQueueDepth > 0; round++)
        {
            h.Model.OnConnected();
            while (h.Model.TryTakeOutbound(out var m))
            {
                if (!m.IsTransactionMessage)
                {
                    h.Model.OnAnswered(m, h.DefaultAnswer(m));
                    continue;
                }
                if (delivered.Count % 2 == round % 2)
                {
                    delivered.Add(m);
                    h.Model.OnAnswered(m, h.DefaultAnswer(m));
                }
                else
                {
                    h.Model.OnFailed(m, OutboundFailure.ConnectionLost.Instance);
                    Assert.Equal(1, m.Attempt);
                    break;
                }
            }
            h.Model.OnDisconnected();
            h.Run(TimeSpan.FromSeconds(5), pump: false);
        }
        Assert.Equal(0, h.Model.OfflineQueueDepth);
        Assert.Equal(produced, delivered.Count);
        Assert.Equal(["StartTransactionRequest", "MeterValuesRequest", "MeterValuesRequest", "MeterValuesRequest", "StopTransactionRequest"],
            delivered.Select(m => m.Request.GetType().Name));
        Assert.Equal(3, delivered.Select(m => m.Request).OfType<MeterValuesRequest>().Select(r => r.MeterValue[0].Timestamp).Distinct().Count());
    }

    [Fact]
    public void Failed_transaction_messages_are_retried_after_interval_times_attempts_then_abandoned()
    {
        var h = new Harness(new() { [K.TransactionMessageAttempts] = "3", [K.TransactionMessageRetryInterval] = "20" }).Boot();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "TAG1");
        var attempts = new List<(int Attempt, double At)>();
        h.Override = m =>
        {
            if (m.Request is StartTransactionRequest)
            {
                attempts.Add((m.Attempt, (h.Clock.GetUtcNow() - Harness.Start).TotalSeconds));
            }
            return null;
        };
        // Fail every StartTransaction with a CALLERROR.
        void FailStarts()
        {
            while (h.Model.TryTakeOutbound(out var m))
            {
                if (m.Request is StartTransactionRequest)
                {
                    attempts.Add((m.Attempt, (h.Clock.GetUtcNow() - Harness.Start).TotalSeconds));
                    h.Model.OnFailed(m, new OutboundFailure.CallError(OcppErrorCode.InternalError));
                }
                else
                {
                    h.Model.OnAnswered(m, h.DefaultAnswer(m));
                }
            }
        }
        FailStarts();
        for (var i = 0; i < 100; i++)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(1));
            h.Model.Advance();
            FailStarts();
        }
        h.DrainSignals();
        Assert.Equal([(1, 0.0), (2, 20.0), (3, 60.0)], attempts);
        var abandoned = h.SignalsOf<TransactionMessageAbandoned>().First();
        Assert.Equal((TransactionMessageKind.StartTransaction, 3), (abandoned.Kind, abandoned.Attempts));
    }

    [Fact]
    public void A_timeout_consumes_an_attempt_and_a_connection_loss_does_not()
    {
        var h = new Harness(new() { [K.TransactionMessageRetryInterval] = "10" }).Boot();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "TAG1");
        var start = TakeTransactionMessage(h);
        h.Model.OnFailed(start, OutboundFailure.Timeout.Instance);
        Assert.DoesNotContain(h.Pump(), m => m.IsTransactionMessage);
        Assert.Equal(Harness.Start.AddSeconds(10), h.Model.NextDueAt);
        h.Clock.Advance(TimeSpan.FromSeconds(10));
        h.Model.Advance();
        Assert.True(h.Model.TryTakeOutbound(out var second));
        Assert.Equal(2, second.Attempt);
        h.Model.OnFailed(second, OutboundFailure.ConnectionLost.Instance);
        Assert.True(h.Model.TryTakeOutbound(out var third));
        Assert.Equal(2, third.Attempt);
        Assert.Equal(start.Request, third.Request);
    }

    /// <summary>Answers non-transaction messages until a transaction message comes out.</summary>
    private static OutboundMessage TakeTransactionMessage(Harness h)
    {
        while (h.Model.TryTakeOutbound(out var m))
        {
            if (m.IsTransactionMessage)
            {
                return m;
            }
            h.Model.OnAnswered(m, h.DefaultAnswer(m));
        }
        throw new InvalidOperationException("no transaction message to take");
    }

    [Fact]
    public void Non_transaction_messages_are_not_queued_offline_and_changed_statuses_are_resent_after_reconnect()
    {
        var h = new Harness(new() { [K.HeartbeatInterval] = "10" }).Boot();
        h.Sent.Clear();
        h.Model.OnDisconnected();
        h.Model.SetFaulted(2, true, ChargePointErrorCode.GroundFailure);
        h.Run(TimeSpan.FromSeconds(100), pump: false);
        h.Model.OnConnected();
        var sent = h.Pump();
        var status = Assert.Single(sent);
        var notification = Assert.IsType<StatusNotificationRequest>(status.Request);
        Assert.Equal((2, ChargePointStatus.Faulted, ChargePointErrorCode.GroundFailure), (notification.ConnectorId, notification.Status, notification.ErrorCode));
    }

    [Fact]
    public void Offline_authorization_follows_LocalAuthorizeOffline_and_AllowOfflineTxForUnknownId()
    {
        var strict = new Harness(new() { [K.AllowOfflineTxForUnknownId] = "false" }).Boot();
        strict.Model.OnDisconnected();
        strict.Model.PlugIn(1, Harness.Ev);
        strict.Model.PresentIdTag(1, "UNKNOWN");
        strict.DrainSignals();
        Assert.Equal(0, strict.Model.OfflineQueueDepth);
        Assert.Equal(AuthorizationStatus.Invalid, strict.SignalsOf<IdTagRejected>().Single().Status);

        // A tag the cache knows as Accepted starts offline when LocalAuthorizeOffline is true.
        var cached = new Harness().Boot();
        cached.Model.PresentIdTag(2, "KNOWN");
        cached.Pump();
        cached.Run(TimeSpan.FromSeconds(61));   // ConnectionTimeOut expires
        cached.Model.OnDisconnected();
        cached.Model.PlugIn(1, Harness.Ev);
        cached.Model.PresentIdTag(1, "KNOWN");
        Assert.Equal(1, cached.Model.OfflineQueueDepth);
    }
}

public class OfflineQueueEdgeTests
{
    [Fact]
    public void An_offline_transaction_whose_idTag_is_rejected_on_delivery_is_stopped_DeAuthorized_with_the_real_id()
    {
        var h = new Harness(new() { [K.AllowOfflineTxForUnknownId] = "true" }).Boot();
        h.Model.OnDisconnected();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "STRANGER");
        h.Run(TimeSpan.FromSeconds(30), pump: false);
        h.IdTagInfoFor = _ => new IdTagInfo { Status = AuthorizationStatus.Invalid };
        h.NextTransactionId = 77;
        h.Model.OnConnected();
        h.Pump();
        var stop = h.SentOf<StopTransactionRequest>().Single();
        Assert.Equal((77, StopReason.DeAuthorized), (stop.TransactionId, stop.Reason!.Value));
        Assert.Equal(ChargePointStatus.Finishing, h.Model.Connectors[1].Status);
    }

    [Fact]
    public void When_a_StartTransaction_is_abandoned_its_later_messages_are_dropped_with_a_signal()
    {
        var h = new Harness(new() { [K.TransactionMessageAttempts] = "1", [K.MeterValueSampleInterval] = "0" }).Boot();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "T");
        OutboundMessage? start = null;
        while (start is null && h.Model.TryTakeOutbound(out var m))
        {
            if (m.IsTransactionMessage)
            {
                start = m;
            }
            else
            {
                h.Model.OnAnswered(m, h.DefaultAnswer(m));
            }
        }
        h.Model.PresentIdTag(1, "T");   // stop queued behind the start
        h.Model.OnFailed(start!, new OutboundFailure.CallError(OcppErrorCode.GenericError));
        h.Pump();
        Assert.Equal(0, h.Model.OfflineQueueDepth);
        Assert.Equal([TransactionMessageKind.StartTransaction, TransactionMessageKind.StopTransaction], h.SignalsOf<TransactionMessageAbandoned>().Select(a => a.Kind));
        Assert.Empty(h.SentOf<StopTransactionRequest>());
    }

    [Fact]
    public void Messages_created_while_the_StartTransaction_is_in_flight_wait_for_its_answer()
    {
        var h = new Harness(new() { [K.MeterValueSampleInterval] = "10" }).Boot();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "T");
        OutboundMessage? start = null;
        while (start is null && h.Model.TryTakeOutbound(out var m))
        {
            if (m.IsTransactionMessage)
            {
                start = m;
            }
            else
            {
                h.Model.OnAnswered(m, h.DefaultAnswer(m));
            }
        }
        h.Clock.Advance(TimeSpan.FromSeconds(10));
        h.Model.Advance();
        Assert.Equal(2, h.Model.OfflineQueueDepth);
        Assert.DoesNotContain(h.Take(), m => m.IsTransactionMessage);
        h.Model.OnAnswered(start!, new StartTransactionResponse { TransactionId = 5, IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Accepted } });
        Assert.True(h.Model.TryTakeOutbound(out var meterValues));
        Assert.Equal(5, Assert.IsType<MeterValuesRequest>(meterValues.Request).TransactionId);
    }
}
