using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Cluster;

namespace Simulator.Cluster.Tests;

/// <summary>The hand-over of a node's records to the coordinator: each record once, and the copy a dead node leaves behind.</summary>
public sealed class NodeRecordsTests
{
    private static readonly DateTimeOffset Origin = new(2026, 11, 24, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_record_is_handed_over_once_and_attempts_go_as_increments()
    {
        var journal = new ConnectionJournal(Origin);
        var feed = new ProducedMessageFeed();
        var cursor = new NodeRecordCursor();
        journal.Record(1, ConnectionEventKind.Connected, Origin.AddSeconds(0.5));
        journal.RecordAttempt("ok", Origin.AddSeconds(0.5));
        journal.RecordAttempt("refused", Origin.AddSeconds(0.7));
        feed.Add("CP-1", Start(1, Origin.AddSeconds(1)));

        var first = cursor.Next(journal, feed);
        Assert.Single(first.Events);
        Assert.Equal([("ok", 1L), ("refused", 1L)], first.Attempts.Select(a => (a.Result, a.Count)).OrderBy(a => a.Result));
        Assert.Single(first.Produced);

        journal.RecordAttempt("refused", Origin.AddSeconds(0.9));
        journal.Record(1, ConnectionEventKind.Booted, Origin.AddSeconds(1.2));
        feed.AddTransactionId("CP-1", 1, 77);
        var second = cursor.Next(journal, feed);
        Assert.Equal(ConnectionEventKind.Booted, Assert.Single(second.Events).Kind);
        var attempt = Assert.Single(second.Attempts);
        Assert.Equal(("refused", 0L, 1L), (attempt.Result, attempt.Second, attempt.Count));
        Assert.Empty(second.Produced);
        Assert.Equal(77, Assert.Single(second.TransactionIds).TransactionId);

        var third = cursor.Next(journal, feed);
        Assert.Empty(third.Events);
        Assert.Empty(third.Attempts);
        Assert.Empty(third.TransactionIds);
    }

    [Fact]
    public void The_copy_of_a_dead_node_rebuilds_its_journal_and_fills_in_transaction_ids_learnt_later()
    {
        var journal = new ConnectionJournal(Origin);
        var feed = new ProducedMessageFeed();
        var cursor = new NodeRecordCursor();
        var copy = new NodeRecordCopy();

        journal.RecordAttempt("refused", Origin.AddSeconds(2.1));
        journal.Record(4, ConnectionEventKind.Connected, Origin.AddSeconds(2.2));
        feed.Add("CP-4", Start(3, Origin.AddSeconds(3)));
        feed.Add("CP-4", new ProducedTransactionMessage(ProducedKind.MeterValues, 1, null, Origin.AddSeconds(4), null, null, 3));
        copy.Add(cursor.Next(journal, feed));
        journal.RecordAttempt("refused", Origin.AddSeconds(2.6));
        journal.RecordAttempt("ok", Origin.AddSeconds(2.9));
        feed.AddTransactionId("CP-4", 3, 1234);
        feed.Add("CP-5", Start(1, Origin.AddSeconds(5)));
        copy.Add(cursor.Next(journal, feed));

        var fleet = new ConnectionJournal(Origin.AddSeconds(-10));
        NodeJournals.MergeInto(fleet, copy.Journal);
        Assert.Equal(4, Assert.Single(fleet.Events).ChargePoint);
        Assert.Equal(2, fleet.AttemptsPerSecond[(12, "refused")]);
        Assert.Equal(1, fleet.AttemptsPerSecond[(12, "ok")]);

        var produced = copy.Produced.ToDictionary(p => p.ChargeBoxId);
        Assert.Equal([1234, 1234], produced["CP-4"].Produced.Select(p => p.TransactionId));
        Assert.Null(Assert.Single(produced["CP-5"].Produced).TransactionId);
    }

    [Fact]
    public void Recorded_messages_leave_the_copy_as_a_count_and_the_rest_stay_whole()
    {
        var feed = new ProducedMessageFeed();
        var cursor = new NodeRecordCursor();
        var copy = new NodeRecordCopy();
        var journal = new ConnectionJournal(Origin);
        feed.Add("CP-1", Start(1, Origin.AddSeconds(1)));
        feed.AddTransactionId("CP-1", 1, 500);
        for (var i = 0; i < 4; i++)
        {
            feed.Add("CP-1", Meter(1, null, Origin.AddSeconds(2 + i)));
        }
        feed.Add("CP-1", new ProducedTransactionMessage(ProducedKind.StopTransaction, 1, "TAG", Origin.AddSeconds(9), null, 500, 1));
        feed.Add("CP-2", Start(1, Origin.AddSeconds(1)));
        copy.Add(cursor.Next(journal, feed));
        Assert.Equal(7, copy.Held);

        // As the node's fold hands them over: settled, the learnt transaction id filled in.
        var settled = new ChargePointStopped("CP-1",
        [
            Start(1, Origin.AddSeconds(1)) with { Fate = ProducedFate.Acknowledged },
            Meter(1, 500, Origin.AddSeconds(2)) with { Fate = ProducedFate.Acknowledged },
            Meter(1, 500, Origin.AddSeconds(3)) with { Fate = ProducedFate.GivenUp },
            Meter(1, 500, Origin.AddSeconds(4)) with { Fate = ProducedFate.Acknowledged },
        ], 0);
        copy.Fold([settled], [LedgerLookup.Recorded, LedgerLookup.Recorded, LedgerLookup.NotRecorded, LedgerLookup.RecordedAgain]);

        Assert.Equal(2, copy.Folded);
        Assert.Equal(4, copy.Held);
        var held = copy.Produced.ToDictionary(p => p.ChargeBoxId);
        Assert.Equal([Origin.AddSeconds(3), Origin.AddSeconds(5), Origin.AddSeconds(9)], held["CP-1"].Produced.Select(p => p.Timestamp).Order());
        Assert.All(held["CP-1"].Produced, p => Assert.Equal(500, p.TransactionId));
        Assert.Single(held["CP-2"].Produced);

        // The Stop and the rest leave: the transaction's id goes with them; the other charge point's Start stays.
        copy.Fold([new ChargePointStopped("CP-1",
        [
            Meter(1, 500, Origin.AddSeconds(3)) with { Fate = ProducedFate.GivenUp },
            Meter(1, 500, Origin.AddSeconds(5)) with { Fate = ProducedFate.Acknowledged },
            new ProducedTransactionMessage(ProducedKind.StopTransaction, 1, "TAG", Origin.AddSeconds(9), null, 500, 1, ProducedFate.Acknowledged),
        ], 0)], [LedgerLookup.Recorded, LedgerLookup.Recorded, LedgerLookup.Recorded]);
        Assert.Equal(5, copy.Folded);
        Assert.Equal(1, copy.Held);
        Assert.Equal("CP-2", Assert.Single(copy.Produced).ChargeBoxId);
        feed.Add("CP-1", Meter(1, null, Origin.AddSeconds(20)));
        copy.Add(cursor.Next(journal, feed));
        Assert.Null(copy.Produced.Single(p => p.ChargeBoxId == "CP-1").Produced.Single().TransactionId);
    }

    private static ProducedTransactionMessage Meter(long localRef, int? transactionId, DateTimeOffset at) => new(ProducedKind.MeterValues, 1, null, at, null, transactionId, localRef);

    private static ProducedTransactionMessage Start(long localRef, DateTimeOffset at) => new(ProducedKind.StartTransaction, 1, "TAG", at, 0, null, localRef);
}
