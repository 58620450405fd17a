using System.Text.Json;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;

namespace Simulator.Csms.Tests.V201;

/// <summary>The ledger's view of TransactionEvents: by transactionId and seqNo, gaps are losses and repeats recognised resends.</summary>
public sealed class LedgerTests201
{
    [Fact]
    public async Task A_gap_in_seqNo_is_a_loss_a_repeat_is_a_resend_and_a_late_event_fills_its_gap()
    {
        await using var csms = await Support.StartAsync();
        await using var station = await Support201.ConnectAsync(csms, "CS-1");
        var token = new IdToken { Token = "TAG-1", Type = IdTokenKind.ISO14443 };
        await station.AskValidAsync(Events.Started("TX-1", token));
        await station.AskValidAsync(Events.Updated("TX-1", 1));
        await station.AskValidAsync(Events.Updated("TX-1", 1));        // the reply was lost: sent again
        await station.AskValidAsync(Events.Updated("TX-1", 4, offline: true));  // 2 and 3 never came (yet)
        var gap = csms.Ledger.Report().Ocpp201;
        Assert.Equal((1L, 2L, 1L, 2L, 1L), (gap.Total.Started, gap.Total.Updated, gap.Total.Resent, gap.Total.Lost, gap.Total.Offline));
        var example = Assert.Single(gap.GapExamples);
        Assert.Equal(("CS-1", "TX-1", 2), (example.ChargeBoxId, example.TransactionId, example.Missing));
        Assert.Equal([2, 3], example.SeqNos);
        Assert.Equal(1, gap.OpenTransactions);

        // 3 arrives late (an offline queue replaying out of order): one hole is filled, and counted out of order.
        await station.AskValidAsync(Events.Updated("TX-1", 3, offline: true));
        await station.AskValidAsync(Events.Ended("TX-1", 5, StopReason.EVDisconnected));
        var report = csms.Ledger.Report().Ocpp201;
        Assert.Equal((1L, 1L, 1L, 2L), (report.Total.Lost, report.Total.OutOfOrder, report.Total.Ended, report.Total.Offline));
        Assert.Equal(new[] { 2 }, Assert.Single(report.GapExamples).SeqNos);
        Assert.Equal((1L, 0L), (report.Transactions, report.OpenTransactions));
        Assert.Equal(1, report.StoppedReasons["EVDisconnected"]);
        Assert.Equal(report.Total, report.PerChargePoint["CS-1"]);
        // The 1.6 counts are untouched by 2.0.1 events.
        Assert.Equal(0, csms.Ledger.Report().Total.Delivered);
    }

    [Fact]
    public async Task A_transaction_whose_first_event_never_came_counts_the_missing_seqNos_and_stations_are_kept_apart()
    {
        await using var csms = await Support.StartAsync();
        await using var first = await Support201.ConnectAsync(csms, "CS-1");
        await using var second = await Support201.ConnectAsync(csms, "CS-2");
        await first.AskValidAsync(Events.Updated("TX-1", 2));
        await second.AskValidAsync(Events.Started("TX-1"));      // the same transaction id at another station is another transaction
        await second.AskValidAsync(Events.Ended("TX-1", 1));
        var report = csms.Ledger.Report().Ocpp201;
        Assert.Equal(2, report.PerChargePoint["CS-1"].Lost);
        Assert.Equal(0, report.PerChargePoint["CS-2"].Lost);
        Assert.Equal(0, report.PerChargePoint["CS-2"].Resent);
        Assert.Equal((2L, 1L), (report.Transactions, report.OpenTransactions));
        Assert.Equal(1, report.StoppedReasons["Local"]);
    }

    [Fact]
    public async Task The_ledger_and_stats_routes_carry_the_201_section_and_reconcile_takes_TransactionEvent_records()
    {
        await using var csms = await Support.StartAsync();
        await using var station = await Support201.ConnectAsync(csms, "CS-1");
        await station.AskValidAsync(Events.Started("TX-7"));
        await station.AskValidAsync(Events.Started("TX-7"));
        await station.AskValidAsync(Events.Updated("TX-7", 2));

        var (status, ledger) = await csms.ControlAsync(HttpMethod.Get, "ledger");
        Assert.Equal(200, status);
        var section = ledger.GetProperty("ocpp201");
        Assert.Equal((1, 1, 1, 1), (section.GetProperty("total").GetProperty("started").GetInt32(), section.GetProperty("total").GetProperty("resent").GetInt32(),
            section.GetProperty("total").GetProperty("lost").GetInt32(), section.GetProperty("total").GetProperty("updated").GetInt32()));
        Assert.Equal(2, section.GetProperty("total").GetProperty("delivered").GetInt32());
        Assert.Equal("TX-7", section.GetProperty("gapExamples")[0].GetProperty("transactionId").GetString());
        Assert.Equal(0, ledger.GetProperty("total").GetProperty("delivered").GetInt32());

        var (statsStatus, stats) = await csms.ControlAsync(HttpMethod.Get, "stats");
        Assert.Equal(200, statsStatus);
        Assert.Equal(1, stats.GetProperty("ledgerOcpp201").GetProperty("lost").GetInt32());
        Assert.Equal(1, stats.GetProperty("connectionsAcceptedByVersion").GetProperty("ocpp201").GetInt32());

        var at = DateTimeOffset.UtcNow.ToString("O");
        var produced = $$"""
            [{"chargeBoxId":"CS-1","kind":"TransactionEvent","connectorId":1,"timestamp":"{{at}}","eventTransactionId":"TX-7","seqNo":0},
             {"chargeBoxId":"CS-1","kind":"TransactionEvent","connectorId":1,"timestamp":"{{at}}","eventTransactionId":"TX-7","seqNo":1},
             {"chargeBoxId":"CS-1","kind":"TransactionEvent","connectorId":1,"timestamp":"{{at}}","eventTransactionId":"TX-7","seqNo":2}]
            """;
        var (reconciled, loss) = await csms.ControlAsync(HttpMethod.Post, "ledger/reconcile", produced);
        Assert.Equal(200, reconciled);
        Assert.Equal((3, 2, 1, 0), (loss.GetProperty("produced").GetInt32(), loss.GetProperty("recorded").GetInt32(), loss.GetProperty("lost").GetInt32(), loss.GetProperty("unexpected").GetInt32()));
        var lost = Assert.Single(loss.GetProperty("lostExamples").EnumerateArray());
        Assert.Equal(("TX-7", 1), (lost.GetProperty("eventTransactionId").GetString(), lost.GetProperty("seqNo").GetInt32()));

        var (noSeq, noSeqBody) = await csms.ControlAsync(HttpMethod.Post, "ledger/reconcile", $$"""[{"chargeBoxId":"CS-1","kind":"TransactionEvent","connectorId":1,"timestamp":"{{at}}","eventTransactionId":"TX-7"}]""");
        Assert.Equal(400, noSeq);
        Assert.Equal("[0].seqNo", noSeqBody.GetProperty("field").GetString());
        var (misplaced, misplacedBody) = await csms.ControlAsync(HttpMethod.Post, "ledger/reconcile", $$"""[{"chargeBoxId":"CS-1","kind":"Start","connectorId":1,"timestamp":"{{at}}","seqNo":3}]""");
        Assert.Equal(400, misplaced);
        Assert.Equal("[0].seqNo", misplacedBody.GetProperty("field").GetString());
    }
}
