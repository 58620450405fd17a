using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.Tests.Model;

/// <summary>Random sessions, disconnects, CALLERRORs and timeouts: every transaction message produced is delivered exactly once, in order per transaction, with its real id.</summary>
public class OfflineQueuePropertyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Every_produced_transaction_message_is_delivered_exactly_once(int seed)
    {
        var rng = new Random(seed);
        var h = new Harness(new()
        {
            [K.MeterValueSampleInterval] = "45",
            [K.ClockAlignedDataInterval] = "300",
            [K.TransactionMessageAttempts] = "1000",
            [K.TransactionMessageRetryInterval] = "5",
            [K.AllowOfflineTxForUnknownId] = "true",
        }, connectors: 3).Boot();
        var delivered = new List<OutboundMessage>();
        var inFlight = new List<OutboundMessage>();
        var tags = new[] { "A", "B", "C", "D" };
        var lostInFlight = 0;

        // Answers what is in flight; while the run is on, answers may stay outstanding across steps (and be lost with the connection).
        void Exchange(bool all = false)
        {
            while (h.Model.TryTakeOutbound(out var m))
            {
                inFlight.Add(m);
            }
            while (inFlight.Count > 0 && (all || rng.NextDouble() > 0.25))
            {
                var m = inFlight[0];
                inFlight.RemoveAt(0);
                var roll = rng.NextDouble();
                if (m.IsTransactionMessage && roll < 0.1)
                {
                    h.Model.OnFailed(m, new OutboundFailure.CallError(OcppErrorCode.InternalError));
                }
                else if (m.IsTransactionMessage && roll < 0.15)
                {
                    h.Model.OnFailed(m, OutboundFailure.Timeout.Instance);
                }
                else
                {
                    if (m.IsTransactionMessage)
                    {
                        delivered.Add(m);
                    }
                    h.Model.OnAnswered(m, h.DefaultAnswer(m));
                }
                while (h.Model.TryTakeOutbound(out var next))
                {
                    inFlight.Add(next);
                }
            }
            h.DrainSignals();
        }

        for (var step = 0; step < 1500; step++)
        {
            var connector = rng.Next(1, 4);
            switch (rng.Next(10))
            {
                case 0:
                    h.Model.PlugIn(connector, Harness.Ev);
                    break;
                case 1:
                    h.Model.Unplug(connector);
                    break;
                case 2:
                case 3:
                    h.Model.PresentIdTag(connector, tags[rng.Next(tags.Length)]);
                    break;
                case 4 when h.Model.IsConnected:
                    // The connection drops: whatever is in flight is lost with it.
                    foreach (var m in inFlight)
                    {
                        lostInFlight += m.IsTransactionMessage ? 1 : 0;
                        h.Model.OnFailed(m, OutboundFailure.ConnectionLost.Instance);
                    }
                    inFlight.Clear();
                    h.Model.OnDisconnected();
                    break;
                case 4:
                    h.Model.OnConnected();
                    break;
                case 5 when rng.Next(20) == 0:
                    h.Model.PowerCycle();
                    inFlight.Clear();
                    break;
                default:
                    h.Run(TimeSpan.FromSeconds(rng.Next(1, 120)), pump: false);
                    break;
            }
            if (h.Model.IsConnected)
            {
                Exchange();
            }
            h.DrainSignals();
        }
        // Settle: online for long enough to flush everything.
        if (!h.Model.IsConnected)
        {
            h.Model.OnConnected();
        }
        for (var i = 0; i < 5000 && h.Model.OfflineQueueDepth > 0; i++)
        {
            Exchange(all: true);
            h.Run(TimeSpan.FromSeconds(5), pump: false);
        }
        Exchange(all: true);
        Assert.True(h.Model.OfflineQueueDepth == 0, $"connected {h.Model.IsConnected} booted {h.Model.IsBooted} reg {h.Model.Registration} inflight {inFlight.Count} next {h.Model.NextDueAt} now {h.Clock.GetUtcNow()} depth {h.Model.OfflineQueueDepth}");

        var ids = h.SignalsOf<TransactionIdAssigned>().ToDictionary(a => a.LocalTransactionRef, a => a.TransactionId);
        var produced = h.Produced.ToList();
        Assert.True(produced.Count > 50, $"only {produced.Count} transaction messages were produced");
        Assert.Empty(h.SignalsOf<TransactionMessageAbandoned>());
        Assert.True(lostInFlight > 10, $"only {lostInFlight} messages were lost in flight");
        Assert.Equal(produced.Count, delivered.Count);
        Assert.Equal(produced.Count(p => p.Kind == TransactionMessageKind.StartTransaction), ids.Count);
        var deliveredIndexOf = new int[produced.Count];
        for (var i = 0; i < produced.Count; i++)
        {
            var p = produced[i];
            var matches = delivered.Select((m, index) => (m, index)).Where(x => x.m.Request switch
            {
                StartTransactionRequest s => p.Kind == TransactionMessageKind.StartTransaction && s.ConnectorId == p.ConnectorId && s.Timestamp == p.Timestamp && s.MeterStart == p.MeterWh && s.IdTag == p.IdTag,
                MeterValuesRequest v => p.Kind == TransactionMessageKind.MeterValues && v.ConnectorId == p.ConnectorId && v.MeterValue[0].Timestamp == p.Timestamp && v.MeterValue[0].SampledValue[0].Context == p.Context && v.TransactionId == ids[p.LocalTransactionRef],
                StopTransactionRequest s => p.Kind == TransactionMessageKind.StopTransaction && s.Timestamp == p.Timestamp && s.MeterStop == p.MeterWh && s.TransactionId == ids[p.LocalTransactionRef],
                _ => false,
            }).ToList();
            // Two transactions started on one connector in the same instant share their StartTransaction content; they still each need one.
            Assert.True(matches.Count >= 1, $"produced #{i} {p} was never delivered");
            Assert.True(matches.Count == 1 || p.Kind == TransactionMessageKind.StartTransaction, $"produced #{i} {p} was delivered {matches.Count} times");
            deliveredIndexOf[i] = matches[0].index;
        }
        // Within a transaction, delivery follows production: Start, MeterValues…, Stop.
        foreach (var group in produced.Select((p, i) => (p, i)).Where(x => x.p.Kind != TransactionMessageKind.StartTransaction).GroupBy(x => x.p.LocalTransactionRef))
        {
            var order = group.Select(x => deliveredIndexOf[x.i]).ToList();
            Assert.Equal(order.Order(), order);
        }
    }
}
