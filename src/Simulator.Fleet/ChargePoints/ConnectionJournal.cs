using System.Collections.Concurrent;

namespace Simulator.Fleet.ChargePoints;

public enum ConnectionEventKind
{
    Connected,
    Disconnected,
    Booted,
}

/// <summary>One change of a charge point's connection state, by its arrival index.</summary>
public readonly record struct ConnectionEvent(int ChargePoint, ConnectionEventKind Kind, DateTimeOffset At);

/// <summary>
/// A node's record of connection state changes and of connection attempts per second by result: what a storm report is
/// computed from. Thread-safe and cheap: attempts are counted per second, not stored one by one, so a policy that retries
/// in a tight loop cannot exhaust memory.
/// </summary>
public sealed class ConnectionJournal(DateTimeOffset origin)
{
    private readonly ConcurrentQueue<ConnectionEvent> _events = new();
    private readonly ConcurrentDictionary<(long Second, string Result), long> _attempts = new();
    private readonly ConcurrentQueue<(DateTimeOffset At, int Depth)> _queueDepthSamples = new();

    public DateTimeOffset Origin { get; } = origin;

    public void Record(int chargePoint, ConnectionEventKind kind, DateTimeOffset at) => _events.Enqueue(new ConnectionEvent(chargePoint, kind, at));

    public void RecordAttempt(string result, DateTimeOffset at)
        => _attempts.AddOrUpdate(((long)Math.Floor((at - Origin).TotalSeconds), result), 1, (_, count) => count + 1);

    /// <summary>The node-wide offline-queue depth, sampled once a second by the node's observer.</summary>
    public void RecordQueueDepth(DateTimeOffset at, int depth) => _queueDepthSamples.Enqueue((at, depth));

    /// <summary>Adds connection attempts counted elsewhere (another node's journal) in the second that starts at <paramref name="secondStart"/>.</summary>
    public void AddAttempts(string result, DateTimeOffset secondStart, long count)
        => _attempts.AddOrUpdate(((long)Math.Floor((secondStart - Origin).TotalSeconds), result), count, (_, sum) => sum + count);

    public IReadOnlyList<ConnectionEvent> Events => [.. _events.OrderBy(e => e.At)];

    /// <summary>The events from the <paramref name="skip"/>th recorded on, in the order they were recorded.</summary>
    public IReadOnlyList<ConnectionEvent> EventsRecordedAfter(int skip) => [.. _events.Skip(skip)];

    /// <summary>Connection attempts per second since <see cref="Origin"/>, by result.</summary>
    public IReadOnlyDictionary<(long Second, string Result), long> AttemptsPerSecond => new Dictionary<(long, string), long>(_attempts);

    public IReadOnlyList<(DateTimeOffset At, int Depth)> QueueDepthSamples => [.. _queueDepthSamples];
}
