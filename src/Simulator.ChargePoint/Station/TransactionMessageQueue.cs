using Simulator.Ocpp.Messages;

namespace Simulator.ChargePoint.Station;

/// <summary>
/// The offline queue of transaction messages (1.6 StartTransaction/StopTransaction/transaction MeterValues, 2.0.1 TransactionEvent):
/// they go in order, one at a time, the next only after the previous was answered. A CALLERROR, timeout or invalid answer spends an
/// attempt and the message waits attempt × interval before it goes again, until the attempts are spent; a lost connection spends
/// none. The storage is made with the first message (many stations are idle).
/// </summary>
internal sealed class TransactionMessageQueue : IReadOnlyList<QueuedTransactionMessage>
{
    // An array of its own rather than a List: one object fewer per station; iterating the queue itself allocates nothing.
    private QueuedTransactionMessage[]? entries;
    private int count;

    /// <summary>The queue as last handed out for non-volatile memory (<see cref="TakeChanges"/>): order → kind.</summary>
    private Dictionary<long, TransactionMessageKind>? saved;
    private long savedLastOrder;

    public int Count => count;

    /// <summary>The oldest message, or null.</summary>
    public QueuedTransactionMessage? Head => count > 0 ? entries![0] : null;

    public QueuedTransactionMessage this[int index] => (uint)index < (uint)count ? entries![index] : throw new ArgumentOutOfRangeException(nameof(index));

    public void Add(QueuedTransactionMessage entry)
    {
        if (entries is null || count == entries.Length)
        {
            Array.Resize(ref entries, Math.Max(4, count * 2));
        }
        entries[count++] = entry;
    }

    /// <summary>Adds a message that is in non-volatile memory already (restored after a power cut).</summary>
    public void AddSaved(QueuedTransactionMessage entry)
    {
        Add(entry);
        (saved ??= []).Add(entry.Order, entry.Kind);
        savedLastOrder = entry.Order;
    }

    /// <summary>
    /// What changed since the last call (the first call: everything): the messages appended and the orders of those that left, and
    /// whether a StartTransaction left. Messages are appended with increasing orders, so an unchanged count and last order mean no change.
    /// </summary>
    public void TakeChanges(out List<QueuedMessageState>? appended, out List<long>? removed, out bool startLeft)
    {
        appended = null;
        removed = null;
        startLeft = false;
        var lastOrder = count > 0 ? entries![count - 1].Order : 0;
        if (count == (saved?.Count ?? 0) && (count == 0 || lastOrder == savedLastOrder))
        {
            return;
        }
        var present = new Dictionary<long, TransactionMessageKind>(count);
        foreach (var entry in this)
        {
            present.Add(entry.Order, entry.Kind);
            if (saved?.ContainsKey(entry.Order) != true)
            {
                (appended ??= []).Add(entry.ToState());
            }
        }
        foreach (var (order, kind) in saved ?? [])
        {
            if (!present.ContainsKey(order))
            {
                (removed ??= []).Add(order);
                startLeft |= kind == TransactionMessageKind.StartTransaction;
            }
        }
        saved = present;
        savedLastOrder = lastOrder;
    }

    /// <summary>The head may go now: not in flight, and its retry time (if any) has come.</summary>
    public bool TryPeekReady(DateTimeOffset now, out QueuedTransactionMessage head)
    {
        head = Head!;
        return head is { InFlightSequence: null } && (head.NotBefore is not { } notBefore || notBefore <= now);
    }

    /// <summary>When the head waits for its retry time: that time.</summary>
    public DateTimeOffset? NextRetryAt(DateTimeOffset now) =>
        Head is { InFlightSequence: null, NotBefore: { } retry } && retry > now ? retry : null;

    public bool Contains(QueuedTransactionMessage entry) => IndexOf(entry) >= 0;

    /// <summary>The message in flight as hand-out <paramref name="sequence"/>, or null (answered, failed or lost since).</summary>
    public QueuedTransactionMessage? InFlight(long sequence)
    {
        for (var i = 0; i < count; i++)
        {
            if (entries![i].InFlightSequence == sequence)
            {
                return entries[i];
            }
        }
        return null;
    }

    /// <summary>Takes the message out (answered, or dropped); false when it is no longer queued.</summary>
    public bool Remove(QueuedTransactionMessage entry)
    {
        var index = IndexOf(entry);
        if (index < 0)
        {
            return false;
        }
        count--;
        Array.Copy(entries!, index + 1, entries!, index, count - index);
        entries![count] = null!;
        return true;
    }

    /// <summary>The connection dropped: nothing is in flight any more, and no attempt was spent.</summary>
    public void ConnectionLost()
    {
        foreach (var entry in this)
        {
            entry.InFlightSequence = null;
        }
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<QueuedTransactionMessage> IEnumerable<QueuedTransactionMessage>.GetEnumerator() => GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(QueuedTransactionMessage entry)
    {
        for (var i = 0; i < count; i++)
        {
            if (ReferenceEquals(entries![i], entry))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>Iterates the queue in order without allocating (the queue must not change meanwhile).</summary>
    public struct Enumerator(TransactionMessageQueue queue) : IEnumerator<QueuedTransactionMessage>
    {
        private int index = -1;

        public readonly QueuedTransactionMessage Current => queue.entries![index];

        readonly object System.Collections.IEnumerator.Current => Current;

        public bool MoveNext() => ++index < queue.count;

        public void Reset() => index = -1;

        public readonly void Dispose()
        {
        }
    }

    /// <summary>
    /// The hand-out <paramref name="sequence"/> of <paramref name="entry"/> failed. Unless <paramref name="spendsAttempt"/> is false
    /// (connection lost) an attempt is spent: after <paramref name="attempts"/> the message is dropped (true: abandoned), else it waits
    /// <paramref name="intervalSeconds"/> × the failed attempts. A stale hand-out (the entry is gone or went again) changes nothing.
    /// </summary>
    public bool Failed(QueuedTransactionMessage entry, long sequence, bool spendsAttempt, int attempts, int intervalSeconds, DateTimeOffset now)
    {
        if (entry.InFlightSequence != sequence || !Contains(entry))
        {
            return false;
        }
        entry.InFlightSequence = null;
        if (!spendsAttempt)
        {
            return false;
        }
        entry.FailedAttempts++;
        if (entry.FailedAttempts >= attempts)
        {
            Remove(entry);
            return true;
        }
        entry.NotBefore = now + TimeSpan.FromSeconds((double)intervalSeconds * entry.FailedAttempts);
        return false;
    }
}

/// <summary>
/// A transaction message waiting in the offline queue (or in flight at its head). One is made per transaction message, so its
/// instants are kept as UTC ticks (the injected clock's instants are UTC; an instant with another offset comes back as the same
/// instant in UTC) and its optional ones and hand-out without a <see cref="Nullable{T}"/> each: 88 bytes an object instead of 136.
/// </summary>
internal sealed class QueuedTransactionMessage(TransactionMessageKind kind, int connectorId, long localRef, IOcppRequest request, DateTimeOffset createdAt, DateTimeOffset? scheduledFor)
{
    /// <summary>An optional instant that is not there (no instant has negative ticks).</summary>
    private const long None = -1;

    private readonly long _createdAt = createdAt.UtcTicks;
    private readonly long _scheduledFor = scheduledFor?.UtcTicks ?? None;
    private long _notBefore = None;
    /// <summary>0: not in flight (hand-outs count from 1).</summary>
    private long _inFlightSequence;

    public TransactionMessageKind Kind { get; } = kind;

    /// <summary>The connector (1.6) or EVSE (2.0.1); 0 for a station-wide message.</summary>
    public int ConnectorId { get; } = connectorId;

    public long LocalRef { get; } = localRef;

    /// <summary>As queued; a version may complete it when it goes (1.6 fills in the CSMS's transactionId).</summary>
    public IOcppRequest Request { get; } = request;

    public DateTimeOffset CreatedAt => new(_createdAt, TimeSpan.Zero);

    public DateTimeOffset? ScheduledFor => Instant(_scheduledFor);

    /// <summary>Attempts that failed with a CALLERROR, timeout or invalid response.</summary>
    public int FailedAttempts { get; set; }

    public DateTimeOffset? NotBefore
    {
        get => Instant(_notBefore);
        set => _notBefore = value?.UtcTicks ?? None;
    }

    public long? InFlightSequence
    {
        get => _inFlightSequence == 0 ? null : _inFlightSequence;
        set => _inFlightSequence = value is not { } sequence ? 0 : sequence > 0 ? sequence : throw new ArgumentOutOfRangeException(nameof(value), "hand-outs count from 1");
    }

    /// <summary>Creation order across the outbox and the queue, so a ready transaction message is not overtaken by later messages.</summary>
    public long Order { get; init; }

    public QueuedMessageState ToState() => new(Order, Kind, ConnectorId, LocalRef, Request, CreatedAt, FailedAttempts);

    private static DateTimeOffset? Instant(long utcTicks) => utcTicks == None ? null : new DateTimeOffset(utcTicks, TimeSpan.Zero);
}
