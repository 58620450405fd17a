using Simulator.ChargePoint;
using Simulator.Fleet.ChargePoints;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.V201.Transactions;

namespace Simulator.Fleet.Tests.ChargePoints;

public sealed class ProducedMessageFatesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.FromHours(1));
    private static readonly IReadOnlyDictionary<long, int> NoIds = new Dictionary<long, int>();

    [Fact]
    public void Answers_out_of_order_mark_exactly_the_messages_they_name()
    {
        var fates = new ProducedMessageFates();
        fates.Produced(Start(connector: 1, localRef: 1, T0, meterStart: 100));
        fates.Produced(Meter(connector: 1, localRef: 1, T0.AddSeconds(10)));
        fates.Produced(Meter(connector: 2, localRef: 2, T0.AddSeconds(10)));
        fates.Produced(Meter(connector: 1, localRef: 1, T0.AddSeconds(20)));
        fates.Produced(Stop(connector: 1, localRef: 1, T0.AddSeconds(30), meterStop: 900, transactionId: 7));

        fates.Answered(MeterAnswer(connector: 1, T0.AddSeconds(20)));
        fates.Answered(StopAnswer(T0.AddSeconds(30), meterStop: 900));
        fates.Answered(StartAnswer(connector: 1, T0, meterStart: 100));
        fates.Answered(StartAnswer(connector: 1, T0, meterStart: 101));   // names nothing produced
        fates.Answered(MeterAnswer(connector: 2, T0.AddSeconds(10)));

        var atStop = fates.AtStop(NoIds);
        Assert.Equal(
            [ProducedFate.Acknowledged, ProducedFate.StillQueued, ProducedFate.Acknowledged, ProducedFate.Acknowledged, ProducedFate.Acknowledged],
            atStop.Select(m => m.Fate));
        Assert.Equal(5, fates.Count);
    }

    [Fact]
    public void A_given_up_message_is_the_oldest_open_one_of_its_kind_connector_and_transaction()
    {
        var fates = new ProducedMessageFates();
        fates.Produced(Meter(connector: 1, localRef: 1, T0));
        fates.Produced(Meter(connector: 1, localRef: 2, T0.AddSeconds(1)));
        fates.Produced(Meter(connector: 1, localRef: 2, T0.AddSeconds(2)));
        fates.Produced(Meter(connector: 1, localRef: 2, T0.AddSeconds(3)));
        fates.Answered(MeterAnswer(connector: 1, T0.AddSeconds(1)));

        fates.GivenUp(TransactionMessageKind.MeterValues, 1, 2);
        fates.GivenUp(TransactionMessageKind.StartTransaction, 1, 2);   // none produced: no effect
        fates.GivenUp(TransactionMessageKind.SecurityEventNotification, 1, 2);

        Assert.Equal(
            [ProducedFate.StillQueued, ProducedFate.Acknowledged, ProducedFate.GivenUp, ProducedFate.StillQueued],
            fates.AtStop(NoIds).Select(m => m.Fate));
    }

    [Fact]
    public void At_the_stop_every_message_keeps_its_identity_and_gets_a_transaction_id_learnt_later()
    {
        var fates = new ProducedMessageFates();
        fates.Produced(Start(connector: 2, localRef: 5, T0, meterStart: 1200));
        fates.Produced(Meter(connector: 2, localRef: 5, T0.AddTicks(12_345)));
        fates.Produced(Stop(connector: 2, localRef: 5, T0.AddMinutes(1), meterStop: 2400, transactionId: null, idTag: "OTHER"));
        fates.Produced(Meter(connector: 1, localRef: 6, T0, transactionId: 99));

        var atStop = fates.AtStop(new Dictionary<long, int> { [5] = 42, [6] = 43 });

        Assert.Equal(new ProducedTransactionMessage(ProducedKind.StartTransaction, 2, "TAG-5", T0, 1200, 42, 5, ProducedFate.StillQueued), atStop[0]);
        Assert.Equal(new ProducedTransactionMessage(ProducedKind.MeterValues, 2, null, T0.AddTicks(12_345), null, 42, 5, ProducedFate.StillQueued), atStop[1]);
        Assert.Equal(new ProducedTransactionMessage(ProducedKind.StopTransaction, 2, "OTHER", T0.AddMinutes(1), null, 42, 5, ProducedFate.StillQueued), atStop[2]);
        Assert.Equal(new ProducedTransactionMessage(ProducedKind.MeterValues, 1, null, T0, null, 99, 6, ProducedFate.StillQueued), atStop[3]);
        Assert.Equal(T0.Offset, atStop[0].Timestamp.Offset);
    }

    [Fact]
    public void A_transaction_event_is_matched_by_its_transaction_id_and_seqNo()
    {
        var fates = new ProducedMessageFates();
        fates.Produced(Event("tx-a", seqNo: 0, ProducedKind.StartTransaction));
        fates.Produced(Event("tx-b", seqNo: 0, ProducedKind.StartTransaction));
        fates.Produced(Event("tx-a", seqNo: 1, ProducedKind.MeterValues));

        fates.Answered(EventAnswer("tx-b", seqNo: 0));
        fates.Answered(EventAnswer("tx-a", seqNo: 1));
        fates.Answered(EventAnswer("tx-c", seqNo: 0));

        var atStop = fates.AtStop(NoIds);
        Assert.Equal([ProducedFate.StillQueued, ProducedFate.Acknowledged, ProducedFate.Acknowledged], atStop.Select(m => m.Fate));
        Assert.Equal(["tx-a", "tx-b", "tx-a"], atStop.Select(m => m.EventTransactionId));
        Assert.Equal([0, 0, 1], atStop.Select(m => m.SeqNo));
    }

    [Fact]
    public void A_long_run_keeps_every_message_in_order()
    {
        var fates = new ProducedMessageFates();
        const int Messages = 1_000;
        for (var i = 0; i < Messages; i++)
        {
            fates.Produced(Meter(connector: 1, localRef: 1, T0.AddSeconds(i)));
        }

        for (var i = 0; i < Messages; i += 2)
        {
            fates.Answered(MeterAnswer(connector: 1, T0.AddSeconds(i)));
        }

        var atStop = fates.AtStop(NoIds);
        Assert.Equal(Messages, atStop.Count);
        for (var i = 0; i < Messages; i++)
        {
            Assert.Equal(T0.AddSeconds(i), atStop[i].Timestamp);
            Assert.Equal(i % 2 == 0 ? ProducedFate.Acknowledged : ProducedFate.StillQueued, atStop[i].Fate);
        }
    }

    private static TransactionMessageProduced Start(int connector, long localRef, DateTimeOffset at, int meterStart) =>
        new(TransactionMessageKind.StartTransaction, connector, localRef, $"TAG-{localRef}", at, meterStart, null);

    private static TransactionMessageProduced Stop(int connector, long localRef, DateTimeOffset at, int meterStop, int? transactionId, string? idTag = null) =>
        new(TransactionMessageKind.StopTransaction, connector, localRef, idTag, at, meterStop, transactionId);

    private static TransactionMessageProduced Meter(int connector, long localRef, DateTimeOffset at, int? transactionId = null) =>
        new(TransactionMessageKind.MeterValues, connector, localRef, null, at, null, transactionId);

    private static TransactionMessageProduced Event(string transactionId, int seqNo, ProducedKind kind) =>
        new(kind switch
        {
            ProducedKind.StartTransaction => TransactionMessageKind.StartTransaction,
            ProducedKind.StopTransaction => TransactionMessageKind.StopTransaction,
            _ => TransactionMessageKind.MeterValues,
        }, 1, 1, null, T0.AddSeconds(seqNo), null, null)
        { TransactionKey = transactionId, SeqNo = seqNo };

    private static StartTransactionRequest StartAnswer(int connector, DateTimeOffset at, int meterStart) =>
        new() { ConnectorId = connector, IdTag = "ANY", MeterStart = meterStart, Timestamp = at };

    private static StopTransactionRequest StopAnswer(DateTimeOffset at, int meterStop) =>
        new() { MeterStop = meterStop, Timestamp = at, TransactionId = 1 };

    private static MeterValuesRequest MeterAnswer(int connector, DateTimeOffset at) =>
        new() { ConnectorId = connector, MeterValue = [new MeterValue { Timestamp = at.ToUniversalTime(), SampledValue = [new SampledValue { Value = "1" }] }] };

    private static TransactionEventRequest EventAnswer(string transactionId, int seqNo) => new()
    {
        EventType = TransactionEventKind.Updated,
        Timestamp = T0,
        TriggerReason = TriggerReason.MeterValuePeriodic,
        SeqNo = seqNo,
        TransactionInfo = new Transaction { TransactionId = transactionId },
    };
}
