using Simulator.ChargePoint.Station;
using Simulator.Ocpp.V16.Core;
using static Simulator.ChargePoint.Tests.Station.Samples;

namespace Simulator.ChargePoint.Tests.Station;

public class TransactionMessageQueueTests
{
    private static QueuedTransactionMessage Entry(long order, TransactionMessageKind kind = TransactionMessageKind.MeterValues) =>
        new(kind, 1, 7, new HeartbeatRequest(), T0, null) { Order = order };

    [Fact]
    public void The_head_goes_alone_and_an_empty_queue_has_no_list()
    {
        var queue = new TransactionMessageQueue();
        Assert.Empty(queue);
        Assert.Null(queue.Head);
        Assert.Empty(queue);
        Assert.False(queue.TryPeekReady(T0, out _));

        var first = Entry(1);
        queue.Add(first);
        queue.Add(Entry(2));
        Assert.True(queue.TryPeekReady(T0, out var head));
        Assert.Same(first, head);
        head.InFlightSequence = 10;
        Assert.False(queue.TryPeekReady(T0, out _));   // one at a time: the next waits for the answer
        Assert.True(queue.Remove(first));
        Assert.False(queue.Remove(first));
        Assert.Equal(2, queue.Head!.Order);
    }

    [Fact]
    public void Each_failure_spends_an_attempt_and_waits_attempt_times_interval_until_the_attempts_are_spent()
    {
        var queue = new TransactionMessageQueue();
        var entry = Entry(1);
        queue.Add(entry);

        entry.InFlightSequence = 1;
        Assert.False(queue.Failed(entry, 1, spendsAttempt: true, attempts: 3, intervalSeconds: 10, T0));
        Assert.Equal(1, entry.FailedAttempts);
        Assert.Equal(T0.AddSeconds(10), entry.NotBefore);
        Assert.Null(entry.InFlightSequence);
        Assert.False(queue.TryPeekReady(T0.AddSeconds(9), out _));
        Assert.Equal(T0.AddSeconds(10), queue.NextRetryAt(T0.AddSeconds(9)));
        Assert.True(queue.TryPeekReady(T0.AddSeconds(10), out _));
        Assert.Null(queue.NextRetryAt(T0.AddSeconds(10)));

        entry.InFlightSequence = 2;
        Assert.False(queue.Failed(entry, 2, true, 3, 10, T0.AddSeconds(10)));
        Assert.Equal(T0.AddSeconds(30), entry.NotBefore);   // 10 s × 2 failed attempts

        entry.InFlightSequence = 3;
        Assert.True(queue.Failed(entry, 3, true, 3, 10, T0.AddSeconds(30)));   // the third failure: abandoned
        Assert.Equal(3, entry.FailedAttempts);
        Assert.Empty(queue);
    }

    [Fact]
    public void A_lost_connection_spends_no_attempt_and_a_stale_hand_out_changes_nothing()
    {
        var queue = new TransactionMessageQueue();
        var entry = Entry(1);
        queue.Add(entry);
        entry.InFlightSequence = 5;
        Assert.False(queue.Failed(entry, 5, spendsAttempt: false, attempts: 1, intervalSeconds: 10, T0));
        Assert.Equal(0, entry.FailedAttempts);
        Assert.Null(entry.NotBefore);
        Assert.True(queue.TryPeekReady(T0, out _));

        entry.InFlightSequence = 6;
        Assert.False(queue.Failed(entry, 5, true, 1, 10, T0));   // an older hand-out of the same message
        Assert.Equal(6, entry.InFlightSequence);
        Assert.Equal(0, entry.FailedAttempts);

        queue.ConnectionLost();
        Assert.Null(entry.InFlightSequence);
        queue.Remove(entry);
        entry.InFlightSequence = 7;
        Assert.False(queue.Failed(entry, 7, true, 1, 10, T0));   // no longer queued
        Assert.Equal(0, entry.FailedAttempts);
    }

    [Fact]
    public void TakeChanges_reports_what_was_appended_and_what_left_since_the_last_call()
    {
        var queue = new TransactionMessageQueue();
        queue.TakeChanges(out var appended, out var removed, out var startLeft);
        Assert.Null(appended);
        Assert.Null(removed);

        var restored = Entry(1, TransactionMessageKind.StartTransaction);
        queue.AddSaved(restored);   // in memory already
        queue.TakeChanges(out appended, out removed, out _);
        Assert.Null(appended);

        queue.Add(Entry(2));
        queue.Add(Entry(3, TransactionMessageKind.StopTransaction));
        queue.TakeChanges(out appended, out removed, out startLeft);
        Assert.Equal([2, 3], appended!.Select(a => a.Order));
        Assert.Equal(TransactionMessageKind.StopTransaction, appended![1].Kind);
        Assert.Null(removed);
        Assert.False(startLeft);

        queue.TakeChanges(out appended, out removed, out _);
        Assert.Null(appended);
        Assert.Null(removed);

        queue.Remove(restored);
        queue.Remove(queue[^1]);
        queue.Add(Entry(4));
        queue.TakeChanges(out appended, out removed, out startLeft);
        Assert.Equal([4], appended!.Select(a => a.Order));
        Assert.Equal([1, 3], removed!.Order().ToList());
        Assert.True(startLeft);   // a StartTransaction left
    }

    [Fact]
    public void An_entry_keeps_its_instants_absent_or_present_and_gives_them_back_in_UTC()
    {
        var local = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(2));   // the instant T0, at +02:00
        var entry = new QueuedTransactionMessage(TransactionMessageKind.MeterValues, 2, 7, new HeartbeatRequest(), local, null);
        Assert.Equal(T0, entry.CreatedAt);
        Assert.Equal(TimeSpan.Zero, entry.CreatedAt.Offset);
        Assert.Null(entry.ScheduledFor);
        Assert.Null(entry.NotBefore);

        // The earliest instant there is (0 ticks) is an instant, not "none".
        var scheduled = new QueuedTransactionMessage(TransactionMessageKind.MeterValues, 2, 7, new HeartbeatRequest(), T0, DateTimeOffset.MinValue);
        Assert.Equal(DateTimeOffset.MinValue, scheduled.ScheduledFor);
        scheduled.NotBefore = DateTimeOffset.MinValue;
        Assert.Equal(DateTimeOffset.MinValue, scheduled.NotBefore);
        scheduled.NotBefore = T0.AddSeconds(1.5);
        Assert.Equal(T0.AddSeconds(1.5), scheduled.NotBefore);
        scheduled.NotBefore = null;
        Assert.Null(scheduled.NotBefore);
        Assert.Equal(T0, scheduled.ToState().CreatedAt);
    }
}
