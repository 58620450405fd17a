using Simulator.Csms;
using Simulator.Fleet.ChargePoints;

namespace Simulator.Fleet.Tests.EndToEnd;

[Collection(EndToEndGroup.Name)]
public sealed class OfflineQueueTests
{
    [Fact]
    public async Task Transaction_messages_survive_repeated_drops_in_order_with_real_ids_and_nothing_is_lost()
    {
        var plan = Plans.OneType("OFFQ-{000}", connectors: 1, behaviour: Plans.OneSession(TimeSpan.FromSeconds(16)),
            reconnect: new Fleet.Plan.ReconnectPlan { Kind = Fleet.Plan.ReconnectKind.Fixed, Interval = TimeSpan.FromSeconds(1.5) });
        await using var h = await FleetHarness.StartAsync(plan, tap: false);
        var id = await h.StartBootedAsync();
        await Await.ConditionAsync(() => h.Csms.Ledger.CountsFor(id).StartsDelivered == 1, "the session's StartTransaction reached the CSMS");

        // The CSMS drops every connection (TCP abort) three times while the charge point keeps sampling every second.
        for (var drop = 1; drop <= 3; drop++)
        {
            await Await.ConditionAsync(() => h.Csms.ConnectedIds.Contains(id), $"connected before drop {drop}");
            await Task.Delay(800);
            Assert.Equal(1, await h.Csms.Faults.DropAllAsync(DropMode.Abort));
        }
        await Await.ConditionAsync(() => h.Csms.Ledger.CountsFor(id).StopsDelivered >= 1, TimeSpan.FromSeconds(30), "the StopTransaction after the EV left");

        var stopped = await h.StopAsync(id);
        Assert.Equal(0, stopped.UndeliveredTransactionMessages);

        // Messages were produced while the socket was down (else the queue was never exercised).
        var journal = h.Journal.Events;
        var offline = journal.Where(e => e.Kind == ConnectionEventKind.Disconnected)
            .Select(d => (From: d.At, To: journal.Where(c => c.Kind == ConnectionEventKind.Connected && c.At > d.At).Select(c => c.At).DefaultIfEmpty(DateTimeOffset.MaxValue).Min()))
            .ToList();
        Assert.True(offline.Count >= 3, $"expected three drops, saw {offline.Count}");
        var producedOffline = stopped.Produced.Count(p => p.Kind == ProducedKind.MeterValues && offline.Any(w => p.Timestamp > w.From && p.Timestamp < w.To));
        Assert.True(producedOffline >= 2, $"only {producedOffline} MeterValues were produced while offline");

        // Every produced message carries the transactionId the CSMS issued for its StartTransaction.
        foreach (var transaction in stopped.Produced.GroupBy(p => p.LocalTransactionRef))
        {
            var start = Assert.Single(transaction, p => p.Kind == ProducedKind.StartTransaction);
            Assert.NotNull(start.TransactionId);
            Assert.All(transaction, p => Assert.Equal(start.TransactionId, p.TransactionId));
        }

        var loss = h.Csms.Ledger.Reconcile(Simulator.Cli.Embedded.ProducedMessages.ForLedger([stopped]));
        Assert.Equal(0, loss.Lost);
        Assert.Equal(0, loss.Unexpected);
        Assert.Equal(loss.Produced, loss.Recorded);
        var counts = h.Csms.Ledger.CountsFor(id);
        Assert.Equal(0, counts.OutOfOrder);
        Assert.Equal(stopped.Produced.Count, counts.Delivered);
    }
}
