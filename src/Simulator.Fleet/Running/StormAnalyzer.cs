using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Plan;
using Simulator.Metrics;

namespace Simulator.Fleet.Running;

/// <summary>
/// Turns the journals of a run into one storm report per timeline event: how fast the affected charge points came back,
/// how hard they knocked (attempts per second and their results), and how long the offline queues took to drain.
/// </summary>
public static class StormAnalyzer
{
    public static IReadOnlyList<StormEventResult> Analyze(RunJournal timeline, ConnectionJournal connections, DateTimeOffset runEnd)
    {
        var fired = timeline.Events.OrderBy(e => e.FiredAt).ToList();
        var events = connections.Events;
        var attempts = connections.AttemptsPerSecond;
        var depths = connections.QueueDepthSamples;
        var results = new List<StormEventResult>(fired.Count + 1) { AnalyzeArrival(events, connections.Origin) };
        // The last event's window ends when the run starts stopping: the disconnects of the stop are not the storm's doing.
        var stormOver = timeline.StopRequestedAt is { } stopRequested && stopRequested < runEnd ? stopRequested : runEnd;
        for (var i = 0; i < fired.Count; i++)
        {
            var start = fired[i].FiredAt;
            var end = i + 1 < fired.Count ? fired[i + 1].FiredAt : stormOver;
            results.Add(AnalyzeOne(fired[i], start, end, runEnd, events, attempts, depths, connections.Origin));
        }
        return results;
    }

    /// <summary>The fleet coming up: how long until half, 99 % and all of the charge points that ever connected were connected and booted.</summary>
    private static StormEventResult AnalyzeArrival(IReadOnlyList<ConnectionEvent> events, DateTimeOffset origin)
    {
        var firstConnected = FirstPerChargePoint(events, ConnectionEventKind.Connected, origin);
        var firstBooted = FirstPerChargePoint(events, ConnectionEventKind.Booted, origin);
        var figures = new Dictionary<string, double>(StringComparer.Ordinal) { [StormFigures.ChargePoints] = firstConnected.Count };
        AddTimeToShare(figures, "connected", firstConnected, firstConnected.Count);
        AddTimeToShare(figures, "booted", firstBooted, firstConnected.Count);
        return new StormEventResult(StormFigures.Arrival, origin, figures);
    }

    private static List<double> FirstPerChargePoint(IReadOnlyList<ConnectionEvent> events, ConnectionEventKind kind, DateTimeOffset origin)
    {
        var times = events.Where(e => e.Kind == kind).GroupBy(e => e.ChargePoint).Select(g => (g.Min(e => e.At) - origin).TotalSeconds).ToList();
        times.Sort();
        return times;
    }

    private static StormEventResult AnalyzeOne(
        FiredEvent fired,
        DateTimeOffset start,
        DateTimeOffset end,
        DateTimeOffset runEnd,
        IReadOnlyList<ConnectionEvent> events,
        IReadOnlyDictionary<(long Second, string Result), long> attempts,
        IReadOnlyList<(DateTimeOffset At, int Depth)> depths,
        DateTimeOffset origin)
    {
        // A charge point is affected when it dropped inside the event's window; it is back when it reconnected at any time
        // before the run ended, even if that was after the next event fired or the stop began (a slow storm is still over).
        var reconnectSeconds = new List<double>();
        var rebootSeconds = new List<double>();
        var affected = 0;
        foreach (var perChargePoint in events.Where(e => e.At >= start && e.At <= runEnd).GroupBy(e => e.ChargePoint))
        {
            var firstDrop = perChargePoint.FirstOrDefault(e => e.Kind == ConnectionEventKind.Disconnected);
            if (firstDrop.Kind != ConnectionEventKind.Disconnected || firstDrop.At >= end)
            {
                continue;
            }
            affected++;
            var back = perChargePoint.FirstOrDefault(e => e.Kind == ConnectionEventKind.Connected && e.At > firstDrop.At);
            if (back.Kind == ConnectionEventKind.Connected && back.At > firstDrop.At)
            {
                reconnectSeconds.Add((back.At - start).TotalSeconds);
            }
            var booted = perChargePoint.FirstOrDefault(e => e.Kind == ConnectionEventKind.Booted && e.At > firstDrop.At);
            if (booted.Kind == ConnectionEventKind.Booted && booted.At > firstDrop.At)
            {
                rebootSeconds.Add((booted.At - start).TotalSeconds);
            }
        }
        reconnectSeconds.Sort();
        rebootSeconds.Sort();

        var figures = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [StormFigures.Affected] = affected,
            [StormFigures.Reconnected] = reconnectSeconds.Count,
            [StormFigures.NeverReconnected] = affected - reconnectSeconds.Count,
        };
        AddTimeToShare(figures, "connected", reconnectSeconds, affected);
        AddTimeToShare(figures, "booted", rebootSeconds, affected);
        if (reconnectSeconds.Count > 0)
        {
            figures[StormFigures.ReconnectTimeP50Seconds] = Percentile(reconnectSeconds, 0.50);
            figures[StormFigures.ReconnectTimeP90Seconds] = Percentile(reconnectSeconds, 0.90);
            figures[StormFigures.ReconnectTimeP99Seconds] = Percentile(reconnectSeconds, 0.99);
            figures[StormFigures.ReconnectTimeMaxSeconds] = reconnectSeconds[^1];
        }

        var firstSecond = (long)Math.Floor((start - origin).TotalSeconds);
        var lastSecond = (long)Math.Floor((end - origin).TotalSeconds);
        var inWindow = attempts.Where(a => a.Key.Second >= firstSecond && a.Key.Second <= lastSecond).ToList();
        figures[StormFigures.AttemptsTotal] = inWindow.Sum(a => a.Value);
        figures[StormFigures.AttemptsPeakPerSecond] = inWindow.GroupBy(a => a.Key.Second).Select(g => g.Sum(a => a.Value)).DefaultIfEmpty(0).Max();
        var failedByResult = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var byResult in inWindow.Where(a => a.Key.Result != ConnectResults.Ok).GroupBy(a => a.Key.Result))
        {
            failedByResult[byResult.Key] = byResult.Sum(a => a.Value);
        }

        var depthWindow = depths.Where(d => d.At >= start && d.At < end).ToList();
        if (depthWindow.Count > 0)
        {
            var peak = depthWindow.MaxBy(d => d.Depth);
            figures[StormFigures.OfflineQueuePeak] = peak.Depth;
            var drained = depthWindow.FirstOrDefault(d => d.At >= peak.At && d.Depth == 0);
            if (peak.Depth > 0 && drained.At != default)
            {
                figures[StormFigures.OfflineQueueDrainedAfterSeconds] = (drained.At - start).TotalSeconds;
            }
        }
        return new StormEventResult(EventName(fired.Event.Kind), start, figures) { FailedAttemptsByResult = failedByResult, Failure = fired.Failure };
    }

    private static void AddTimeToShare(Dictionary<string, double> figures, string what, List<double> sortedSeconds, int affected)
    {
        if (affected == 0)
        {
            return;
        }
        foreach (var percent in new[] { 50, 99, 100 })
        {
            var needed = (int)Math.Ceiling(percent / 100.0 * affected);
            if (needed <= sortedSeconds.Count && needed > 0)
            {
                figures[StormFigures.SecondsTo(percent, what)] = sortedSeconds[needed - 1];
            }
        }
    }

    private static double Percentile(List<double> sorted, double quantile) => sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static string EventName(TimelineEventKind kind) => kind switch
    {
        TimelineEventKind.CsmsRestart => "csms-restart",
        TimelineEventKind.CsmsBlackhole => "csms-blackhole",
        TimelineEventKind.CsmsSlow => "csms-slow",
        TimelineEventKind.NetworkDrop => "network-drop",
        _ => "reboot-all",
    };
}
