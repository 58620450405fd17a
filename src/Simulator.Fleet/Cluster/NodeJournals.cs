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
