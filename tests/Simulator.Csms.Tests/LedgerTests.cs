using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Csms.Tests;

public sealed class LedgerTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 8, 0, 0, TimeSpan.Zero);

    private static StartTransactionRequest Start(int connector = 1, string tag = "TAG", int meter = 1000, DateTimeOffset? at = null)
        => new() { ConnectorId = connector, IdTag = tag, MeterStart = meter, Timestamp = at ?? T0 };

    private static MeterValuesRequest Meter(int transactionId, params DateTimeOffset[] at) => new()
    {
        ConnectorId = 1,
        TransactionId = transactionId,
        MeterValue = [.. at.Select(t => new MeterValue { Timestamp = t, SampledValue = [new SampledValue { Value = "1" }] })],
    };

    private static StopTransactionRequest Stop(int transactionId, DateTimeOffset at) => new() { TransactionId = transactionId, MeterStop = 2000, Timestamp = at };

    [Fact]
    public async Task A_resent_StartTransaction_gets_the_same_transaction_id_and_counts_as_a_resend()
    {
        await using var csms = await Support.StartAsync();
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        var first = await cp.AskDecodedAsync(Start());
        var resent = await cp.AskDecodedAsync(Start());
        var other = await cp.AskDecodedAsync(Start(meter: 1001));
        Assert.Equal(first.TransactionId, resent.TransactionId);
        Assert.NotEqual(first.TransactionId, other.TransactionId);
        var counts = csms.Ledger.CountsFor("CP-1");
        Assert.Equal(2, counts.StartsDelivered);
        Assert.Equal(1, counts.Resent);
        Assert.Equal(2, csms.Registry.Find("CP-1")!.Snapshot().ActiveTransactions.Count);
    }

    [Fact]
    public async Task Resent_Stop_and_resent_MeterValues_count_as_resends()
    {
        await using var csms = await Support.StartAsync();
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        var tx = (await cp.AskDecodedAsync(Start())).TransactionId;
        await cp.AskDecodedAsync(Meter(tx, T0.AddMinutes(1), T0.AddMinutes(2)));
        await cp.AskDecodedAsync(Meter(tx, T0.AddMinutes(1), T0.AddMinutes(2)));
        await cp.AskDecodedAsync(Stop(tx, T0.AddMinutes(3)));
        await cp.AskDecodedAsync(Stop(tx, T0.AddMinutes(3)));
        var counts = csms.Ledger.CountsFor("CP-1");
        Assert.Equal((1L, 2L, 1L), (counts.StartsDelivered, counts.MeterValuesDelivered, counts.StopsDelivered));
        Assert.Equal(3, counts.Resent);
        Assert.Equal(0, counts.OutOfOrder);
    }

    [Fact]
    public void Messages_with_timestamps_going_backwards_and_a_Stop_before_its_Start_are_out_of_order()
    {
        var ledger = new TransactionLedger();
        var tx = ledger.RecordStart("CP-1", Start(at: T0)).TransactionId;
        ledger.RecordMeterValues("CP-1", Meter(tx, T0.AddMinutes(5)));
        Assert.Equal(0, ledger.CountsFor("CP-1").OutOfOrder);
        ledger.RecordMeterValues("CP-1", Meter(tx, T0.AddMinutes(4)));
        Assert.Equal(1, ledger.CountsFor("CP-1").OutOfOrder);
        ledger.RecordStop("CP-1", Stop(tx, T0.AddMinutes(10)));
        Assert.Equal(1, ledger.CountsFor("CP-1").OutOfOrder);
        ledger.RecordStop("CP-2", Stop(999, T0));
        Assert.Equal(1, ledger.CountsFor("CP-2").OutOfOrder);
        // A later transaction on the same connector that started before the previous one ended.
        ledger.RecordStart("CP-1", Start(at: T0.AddMinutes(9), meter: 5));
        Assert.Equal(2, ledger.CountsFor("CP-1").OutOfOrder);
        Assert.Equal(3, ledger.Report().Total.OutOfOrder);
    }

    [Fact]
    public void Loss_accounting_finds_the_one_missing_message_and_does_not_flag_a_legitimate_resend()
    {
        var ledger = new TransactionLedger();
        var tx = ledger.RecordStart("CP-1", Start()).TransactionId;
        ledger.RecordStart("CP-1", Start()); // resent after a lost reply
        ledger.RecordMeterValues("CP-1", Meter(tx, T0.AddMinutes(1)));
        ledger.RecordMeterValues("CP-1", Meter(tx, T0.AddMinutes(1))); // resent
        ledger.RecordStop("CP-1", Stop(tx, T0.AddMinutes(3)));
        List<ProducedTransactionMessage> produced =
        [
            new("CP-1", TransactionMessageKind.Start, 1, "TAG", T0, MeterStart: 1000),
            new("CP-1", TransactionMessageKind.MeterValues, 1, null, T0.AddMinutes(1), TransactionId: tx),
            new("CP-1", TransactionMessageKind.Stop, 1, "TAG", T0.AddMinutes(3), TransactionId: tx),
        ];
        var complete = ledger.Reconcile(produced);
        Assert.Equal((0, 0), (complete.Lost, complete.Unexpected));

        var missing = new ProducedTransactionMessage("CP-1", TransactionMessageKind.MeterValues, 1, null, T0.AddMinutes(2), TransactionId: tx);
        var report = ledger.Reconcile([.. produced, missing]);
        Assert.Equal(1, report.Lost);
        Assert.Equal(missing, Assert.Single(report.LostExamples));
        Assert.Equal(0, report.Unexpected);
    }

    [Fact]
    public void A_recorded_message_nobody_produced_is_unexpected()
    {
        var ledger = new TransactionLedger();
        ledger.RecordStart("CP-1", Start());
        ledger.RecordStart("CP-9", Start(tag: "GHOST"));
        var report = ledger.Reconcile([new ProducedTransactionMessage("CP-1", TransactionMessageKind.Start, 1, "TAG", T0, MeterStart: 1000)]);
        Assert.Equal(0, report.Lost);
        Assert.Equal(1, report.Unexpected);
        Assert.Equal("CP-9", Assert.Single(report.UnexpectedExamples).ChargeBoxId);
    }

    [Fact]
    public async Task The_control_api_reconciles_a_produced_list()
    {
        await using var csms = await Support.StartAsync();
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        var tx = (await cp.AskDecodedAsync(Start())).TransactionId;
        var (status, body) = await csms.ControlAsync(HttpMethod.Post, "ledger/reconcile", $$"""
            [{"chargeBoxId":"CP-1","kind":"Start","connectorId":1,"idTag":"TAG","timestamp":"2025-03-01T08:00:00Z","meterStart":1000},
             {"chargeBoxId":"CP-1","kind":"Stop","connectorId":1,"timestamp":"2025-03-01T09:00:00Z","transactionId":{{tx}}}]
            """);
        Assert.Equal(200, status);
        Assert.Equal(1, body.GetProperty("lost").GetInt32());
        Assert.Equal("Stop", body.GetProperty("lostExamples")[0].GetProperty("kind").GetString());
        var (_, ledger) = await csms.ControlAsync(HttpMethod.Get, "ledger");
        Assert.Equal(1, ledger.GetProperty("total").GetProperty("startsDelivered").GetInt64());
    }

    [Fact]
    public async Task The_control_api_looks_up_which_produced_messages_are_recorded()
    {
        await using var csms = await Support.StartAsync();
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        var tx = (await cp.AskDecodedAsync(Start())).TransactionId;
        var (status, body) = await csms.ControlAsync(HttpMethod.Post, "ledger/lookup", $$"""
            [{"chargeBoxId":"CP-1","kind":"Stop","connectorId":1,"timestamp":"2025-03-01T09:00:00Z","transactionId":{{tx}}},
             {"chargeBoxId":"CP-1","kind":"Start","connectorId":1,"idTag":"TAG","timestamp":"2025-03-01T08:00:00Z","meterStart":1000},
             {"chargeBoxId":"CP-1","kind":"Start","connectorId":1,"idTag":"TAG","timestamp":"2025-03-01T08:00:00Z","meterStart":1000},
             {"chargeBoxId":"CP-2","kind":"Start","connectorId":1,"idTag":"TAG","timestamp":"2025-03-01T08:00:00Z","meterStart":1000}]
            """);
        Assert.Equal(200, status);
        Assert.Equal([0, 3], body.GetProperty("notRecorded").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([2], body.GetProperty("recordedAgain").EnumerateArray().Select(e => e.GetInt32()));

        var (badStatus, bad) = await csms.ControlAsync(HttpMethod.Post, "ledger/lookup", """[{"chargeBoxId":"CP-1","kind":"Sometimes","connectorId":1,"timestamp":"2025-03-01T08:00:00Z"}]""");
        Assert.Equal(400, badStatus);
        Assert.Contains("kind", bad.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_ledger_of_many_messages_recognises_every_resend_and_gives_back_each_message_whole()
    {
        // Far more messages than one page of the ledger's table holds, so it has split many times.
        var ledger = new TransactionLedger();
        List<ProducedTransactionMessage> produced = [];
        var offset = TimeSpan.FromHours(2);
        for (var cp = 0; cp < 20; cp++)
        {
            var id = $"CP-{cp}";
            var start = Start(connector: 1 + cp % 2, tag: $"TAG-{cp % 3}", meter: cp, at: T0.AddMinutes(cp));
            var tx = ledger.RecordStart(id, start).TransactionId;
            produced.Add(new(id, TransactionMessageKind.Start, start.ConnectorId, start.IdTag, start.Timestamp, MeterStart: start.MeterStart));
            // Sub-millisecond ticks and an offset: the ledger compares at the wire's millisecond but keeps the time as given.
            var samples = Enumerable.Range(1, 1000).Select(i => T0.AddSeconds(i).AddTicks(1234).ToOffset(offset)).ToArray();
            Assert.Equal(1000, ledger.RecordMeterValues(id, Meter(tx, samples)));
            produced.AddRange(samples.Select(t => new ProducedTransactionMessage(id, TransactionMessageKind.MeterValues, 1, null, t, TransactionId: tx)));
            var stop = Stop(tx, T0.AddHours(1)) with { IdTag = $"TAG-{cp % 3}" };
            Assert.True(ledger.RecordStop(id, stop));
            produced.Add(new(id, TransactionMessageKind.Stop, start.ConnectorId, stop.IdTag, stop.Timestamp, TransactionId: tx));
        }
        Assert.Equal(20 * 1002, ledger.Reconcile(produced).Recorded);
        Assert.Equal((0, 0), (ledger.Reconcile(produced).Lost, ledger.Reconcile(produced).Unexpected));

        // Every message again, as resends after lost replies: none is new, and a resent Start gets its first id.
        foreach (var group in produced.GroupBy(m => m.ChargeBoxId))
        {
            var start = group.Single(m => m.Kind == TransactionMessageKind.Start);
            var again = ledger.RecordStart(group.Key, Start(connector: start.ConnectorId, tag: start.IdTag!, meter: start.MeterStart!.Value, at: start.Timestamp));
            Assert.True(again.Resent);
            var tx = group.Single(m => m.Kind == TransactionMessageKind.Stop).TransactionId!.Value;
            Assert.Equal(tx, again.TransactionId);
            Assert.Equal(0, ledger.RecordMeterValues(group.Key, Meter(tx, [.. group.Where(m => m.Kind == TransactionMessageKind.MeterValues).Select(m => m.Timestamp)])));
            Assert.False(ledger.RecordStop(group.Key, Stop(tx, T0.AddHours(1))));
        }
        var counts = ledger.Report().Total;
        Assert.Equal((20L, 20_000L, 20L, 20L * 1002), (counts.StartsDelivered, counts.MeterValuesDelivered, counts.StopsDelivered, counts.Resent));

        // What the ledger holds comes back whole: with nothing produced, every recorded message is unexpected.
        var all = ledger.Reconcile([], maxExamples: int.MaxValue);
        Assert.Equal(produced.Count, all.Unexpected);
        Assert.Equal(produced.Count, all.UnexpectedExamples.Count);
        var byIdentity = all.UnexpectedExamples.ToLookup(m => (m.ChargeBoxId, m.Kind, m.Timestamp.UtcTicks));
        foreach (var message in produced)
        {
            var back = Assert.Single(byIdentity[(message.ChargeBoxId, message.Kind, message.Timestamp.UtcTicks)]);
            var expected = message.Kind == TransactionMessageKind.Start ? message with { TransactionId = back.TransactionId } : message;
            Assert.Equal(expected, back);
            Assert.Equal(message.Timestamp.Offset, back.Timestamp.Offset);
        }

        // Lost and looked up after all those splits.
        var missing = new ProducedTransactionMessage("CP-7", TransactionMessageKind.MeterValues, 1, null, T0.AddDays(1), TransactionId: 8);
        var unknown = new ProducedTransactionMessage("CP-NEVER", TransactionMessageKind.MeterValues, 1, null, T0, TransactionId: 8);
        var loss = ledger.Reconcile([.. produced, missing, unknown]);
        Assert.Equal((2, 0), (loss.Lost, loss.Unexpected));
        Assert.Equal([missing, unknown], loss.LostExamples);
        Assert.Equal([LedgerRecord.Recorded, LedgerRecord.NotRecorded, LedgerRecord.RecordedAgain, LedgerRecord.NotRecorded],
            ledger.Lookup([produced[500], missing, produced[500], unknown]));
    }
}
