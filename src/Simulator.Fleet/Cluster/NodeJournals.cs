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
/// charge points' transaction messages up to the last hand-over (about a second before) are still known.
/// </summary>
public sealed class NodeRecordCopy
{
    private readonly List<JournalEvent> _events = [];
    private readonly Dictionary<(long Second, string Result), long> _attempts = [];
    private readonly List<StreamedMessage> _produced = [];
    private readonly Dictionary<(string ChargeBoxId, long LocalRef), int> _ids = [];
    private long _originUtcTicks;

    public void Add(NodeRecords records)
    {
        ArgumentNullException.ThrowIfNull(records);
        _originUtcTicks = records.JournalOriginUtcTicks;
        _events.AddRange(records.Events);
        foreach (var a in records.Attempts)
        {
            _attempts[(a.Second, a.Result)] = _attempts.GetValueOrDefault((a.Second, a.Result)) + a.Count;
        }
        _produced.AddRange(records.Produced);
        foreach (var id in records.TransactionIds)
        {
            _ids[(id.ChargeBoxId, id.LocalTransactionRef)] = id.TransactionId;
        }
    }

    public NodeJournal Journal => new(_originUtcTicks, [.. _events], [.. _attempts.Select(a => new JournalAttempts(a.Key.Second, a.Key.Result, a.Value))]);

    /// <summary>The transaction messages per charge point, with the transaction ids learnt later filled in.</summary>
    public IReadOnlyList<ChargePointStopped> Produced => [.. _produced
        .GroupBy(p => p.ChargeBoxId, StringComparer.Ordinal)
        .Select(g => new ChargePointStopped(g.Key, [.. g.Select(p => p.Message.TransactionId is null && _ids.TryGetValue((g.Key, p.Message.LocalTransactionRef), out var id)
            ? p.Message with { TransactionId = id }
            : p.Message)], 0))];
}
