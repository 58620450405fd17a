using System.Collections.Concurrent;
using Simulator.Fleet.Coordination;
using Simulator.Fleet.Plan;

namespace Simulator.Fleet.Running;

/// <summary>One timeline event as it happened.</summary>
public sealed record FiredEvent(TimelineEvent Event, DateTimeOffset FiredAt, int ChargePointsStarted)
{
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Failure { get; set; }
}

/// <summary>The coordinator's notes of the run: when it started, which events fired when, when and why it stopped.</summary>
public sealed class RunJournal : IRunJournal
{
    private readonly ConcurrentQueue<FiredEvent> _events = new();

    public DateTimeOffset StartedAt { get; private set; }
    public DateTimeOffset? StopRequestedAt { get; private set; }
    public string? AbortReason { get; private set; }
    public IReadOnlyList<FiredEvent> Events => [.. _events];

    /// <summary>Called (on the coordinator) when the stop begins, before any charge point is told: where the drain phase starts.</summary>
    public Action<DateTimeOffset>? OnStopRequested { get; init; }

    public void RunStarted(DateTimeOffset at) => StartedAt = at;

    public void EventFired(TimelineEvent timelineEvent, DateTimeOffset at, int chargePointsStarted)
        => _events.Enqueue(new FiredEvent(timelineEvent, at, chargePointsStarted));

    public void EventFinished(TimelineEvent timelineEvent, DateTimeOffset at, string? failure)
    {
        var fired = _events.LastOrDefault(e => e.Event == timelineEvent && e.FinishedAt is null);
        if (fired is not null)
        {
            fired.FinishedAt = at;
            fired.Failure = failure;
        }
    }

    public void StopRequested(DateTimeOffset at, string? abortReason)
    {
        StopRequestedAt = at;
        AbortReason = abortReason;
        OnStopRequested?.Invoke(at);
    }
}
