using Simulator.Fleet.ChargePoints;

namespace Simulator.Fleet.Cluster;

/// <summary>Moves a node's <see cref="ConnectionJournal"/> across the wire and merges journals on the coordinator.</summary>
public static class NodeJournals
{
    public static NodeJournal ToWire(ConnectionJournal journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return new NodeJournal(
            journal.Origin.UtcTicks,
            [.. journal.Events.Select(e => new JournalEvent(e.ChargePoint, e.Kind, e.At.UtcTicks))],
            [.. journal.AttemptsPerSecond.Select(a => new JournalAttempts(a.Key.Second, a.Key.Result, a.Value))]);
    }

    /// <summary>
    /// Adds a node's journal to <paramref name="fleet"/>: events keep their absolute times (charge points are named by their
    /// fleet-wide arrival index, so they do not collide); attempt seconds are moved from the node's origin to the fleet's.
    /// Assumes the nodes' clocks agree (NTP) to well under a second.
    /// </summary>
    public static void MergeInto(ConnectionJournal fleet, NodeJournal node)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        ArgumentNullException.ThrowIfNull(node);
        foreach (var e in node.Events)
        {
            fleet.Record(e.ChargePoint, e.Kind, new DateTimeOffset(e.AtUtcTicks, TimeSpan.Zero));
        }
        var origin = new DateTimeOffset(node.OriginUtcTicks, TimeSpan.Zero);
        foreach (var a in node.Attempts)
        {
            fleet.AddAttempts(a.Result, origin + TimeSpan.FromSeconds(a.Second + 0.5), a.Count);
        }
    }
}

/// <summary>
/// A node's side of the record hand-over: each call returns what was recorded since the previous one (connection events,
/// attempts added, produced transaction messages, learnt ids). Used by the node's actor only, one call at a time.
/// </summary>
public sealed class NodeRecordCursor
{
    private readonly Dictionary<(long Second, string Result), long> _attemptsSent = [];
    private int _eventsSent;

    public NodeRecords Next(ConnectionJournal journal, ProducedMessageFeed? stream)
    {
        ArgumentNullException.ThrowIfNull(journal);
        var events = journal.EventsRecordedAfter(_eventsSent);
        _eventsSent += events.Count;
        var attempts = new List<JournalAttempts>();
        foreach (var (key, count) in journal.AttemptsPerSecond)
        {
            var sent = _attemptsSent.GetValueOrDefault(key);
            if (count > sent)
            {
                attempts.Add(new JournalAttempts(key.Second, key.Result, count - sent));
                _attemptsSent[key] = count;
            }
        }
        var (produced, ids) = stream?.Drain() ?? ([], []);
        return new NodeRecords(
            journal.Origin.UtcTicks,
            [.. events.Select(e => new JournalEvent(e.ChargePoint, e.Kind, e.At.UtcTicks))],
            attempts,
            [.. produced.Select(p => new StreamedMessage(p.ChargeBoxId, p.Message))],
            [.. ids.Select(i => new StreamedTransactionId(i.ChargeBoxId, i.LocalTransactionRef, i.TransactionId))]);
    }
}

/// <summary>
/// The coordinator's copy of what one node handed over while it ran: if the node dies, its connection journal and its
/// charge points' transaction messages up to the last hand-over (about a second before) are still known. A message the
/// ledger recorded (the node's fold looked it up through the coordinator, <see cref="Fold"/>) is delivered whatever happens to
/// the node: it leaves the copy as a count, so the copy holds what is still undecided, not the whole run.
/// </summary>
public sealed class NodeRecordCopy
{
    private readonly List<JournalEvent> _events = [];
    private readonly Dictionary<(long Second, string Result), long> _attempts = [];
    private readonly Dictionary<MessageIdentity, HeldMessage> _produced = [];
    private readonly Dictionary<(string ChargeBoxId, long LocalRef), int> _ids = [];
    private long _originUtcTicks;

    /// <summary>Transaction messages held.</summary>
    public int Held { get; private set; }

    /// <summary>Messages that left the copy because the ledger recorded them: produced and delivered.</summary>
    public long Folded { get; private set; }

    public void Add(NodeRecords records)
    {
        ArgumentNullException.ThrowIfNull(records);
        _originUtcTicks = records.JournalOriginUtcTicks;
        _events.AddRange(records.Events);
        foreach (var a in records.Attempts)
        {
            _attempts[(a.Second, a.Result)] = _attempts.GetValueOrDefault((a.Second, a.Result)) + a.Count;
        }
        foreach (var p in records.Produced)
        {
            var key = MessageIdentity.Of(p.ChargeBoxId, p.Message);
            _produced[key] = _produced.TryGetValue(key, out var held) ? held with { Copies = held.Copies + 1 } : new HeldMessage(p.Message, 1);
            Held++;
        }
        foreach (var id in records.TransactionIds)
        {
            _ids[(id.ChargeBoxId, id.LocalTransactionRef)] = id.TransactionId;
        }
    }

    /// <summary>
    /// The ledger's verdicts on settled messages of this node (in order): each recorded one leaves the copy, counted once as the
    /// fold counts it (<see cref="LedgerLookup.RecordedAgain"/> leaves uncounted); a transaction id goes once its transaction's
    /// last message (StopTransaction, Ended) has left and nothing of the transaction is held.
    /// </summary>
    public void Fold(IReadOnlyList<ChargePointStopped> settled, IReadOnlyList<LedgerLookup> verdicts)
    {
        ArgumentNullException.ThrowIfNull(settled);
        ArgumentNullException.ThrowIfNull(verdicts);
        var i = 0;
        HashSet<(string ChargeBoxId, long LocalRef)>? ended = null;
        foreach (var perChargePoint in settled)
        {
            foreach (var message in perChargePoint.Produced)
            {
                var verdict = verdicts[i++];
                var key = MessageIdentity.Of(perChargePoint.ChargeBoxId, message);
                if (verdict == LedgerLookup.NotRecorded || !_produced.TryGetValue(key, out var held))
                {
                    continue;
                }
                if (held.Copies == 1)
                {
                    _produced.Remove(key);
                }
                else
                {
                    _produced[key] = held with { Copies = held.Copies - 1 };
                }
                Held--;
                if (verdict == LedgerLookup.Recorded)
                {
                    Folded++;
                }
                if (message.Kind == ProducedKind.StopTransaction)
                {
                    (ended ??= []).Add((perChargePoint.ChargeBoxId, message.LocalTransactionRef));
                }
            }
        }
        if (ended is null)
        {
            return;
        }
        foreach (var key in _produced.Keys)
        {
            ended.Remove((key.ChargeBoxId, key.LocalTransactionRef));
        }
        foreach (var transaction in ended)
        {
            _ids.Remove(transaction);
        }
    }

    public NodeJournal Journal => new(_originUtcTicks, [.. _events], [.. _attempts.Select(a => new JournalAttempts(a.Key.Second, a.Key.Result, a.Value))]);

    /// <summary>The transaction messages held per charge point, with the transaction ids learnt later filled in.</summary>
    public IReadOnlyList<ChargePointStopped> Produced => [.. _produced
        .SelectMany(p => Enumerable.Repeat((p.Key.ChargeBoxId, p.Value.Message), p.Value.Copies))
        .GroupBy(p => p.ChargeBoxId, StringComparer.Ordinal)
        .Select(g => new ChargePointStopped(g.Key, [.. g.Select(p => p.Message.TransactionId is null && _ids.TryGetValue((g.Key, p.Message.LocalTransactionRef), out var id)
            ? p.Message with { TransactionId = id }
            : p.Message)], 0))];

    private readonly record struct HeldMessage(ProducedTransactionMessage Message, int Copies);

    /// <summary>
    /// One produced message, by what does not change once it is produced (its transaction id may be learnt later): the same
    /// message as the node's feed handed it over and as its fold looked it up.
    /// </summary>
    private readonly record struct MessageIdentity(string ChargeBoxId, long LocalTransactionRef, ProducedKind Kind, int ConnectorId, long UtcTicks, int? SeqNo)
    {
        public static MessageIdentity Of(string chargeBoxId, ProducedTransactionMessage message)
            => new(chargeBoxId, message.LocalTransactionRef, message.Kind, message.ConnectorId, message.Timestamp.UtcTicks, message.SeqNo);
    }
}
