using System.Collections.Frozen;

namespace Simulator.Metrics.TimeSeries;

/// <summary>
/// Turns the samples the live view takes about once a second (cumulative statistics and the last window's latencies) into
/// <see cref="TimeSeriesRow"/>s. One sampler feeds both, so the series and the live view show the same measurement.
/// Not thread-safe: call <see cref="Record"/> from the one loop that samples.
/// </summary>
public sealed class TimeSeriesRecorder(DateTimeOffset startedAt)
{
    private readonly List<TimeSeriesRow> _rows = [];
    private StatisticsSnapshot? _previous;
    private DateTimeOffset _previousAt = startedAt;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public IReadOnlyList<TimeSeriesRow> Rows => _rows;

    /// <summary>
    /// Adds the row for the interval since the previous call. <paramref name="stats"/> is cumulative (a node's or the
    /// cluster's merged statistics); <paramref name="window"/> holds the latencies of the calls answered in the interval.
    /// </summary>
    public TimeSeriesRow Record(StatisticsSnapshot stats, WindowStatistics window, DateTimeOffset at) => Add(stats, window, at, always: true)!;

    /// <summary>
    /// The last row, from the final statistics (those the report is built from), so that the rows add up to the report's
    /// totals; left out when nothing changed since the previous row.
    /// </summary>
    public TimeSeriesRow? Complete(StatisticsSnapshot stats, WindowStatistics window, DateTimeOffset at) => Add(stats, window, at, always: false);

    private TimeSeriesRow? Add(StatisticsSnapshot stats, WindowStatistics window, DateTimeOffset at, bool always)
    {
        ArgumentNullException.ThrowIfNull(stats);
        ArgumentNullException.ThrowIfNull(window);
        var previous = _previous;
        var latencies = window.Rows.ToDictionary(r => new CallKey(r.Action, r.Direction, r.OcppVersion));
        var calls = new List<TimeSeriesCall>();
        foreach (var (key, now) in stats.Calls.OrderBy(c => c.Key.Action, StringComparer.Ordinal).ThenBy(c => c.Key.Direction, StringComparer.Ordinal).ThenBy(c => c.Key.OcppVersion, StringComparer.Ordinal))
        {
            var before = previous?.Calls.GetValueOrDefault(key);
            var count = now.Count - (before?.Count ?? 0);
            var errors = now.Errors - (before?.Errors ?? 0);
            var timeouts = now.Timeouts - (before?.Timeouts ?? 0);
            var latency = latencies.GetValueOrDefault(key);
            if (count == 0 && errors == 0 && timeouts == 0 && latency is not { Count: > 0 })
            {
                continue;
            }
            calls.Add(new TimeSeriesCall(key.Action, key.Direction, count, errors, timeouts,
                latency is { Count: > 0 } ? latency.P50Ms : null, latency is { Count: > 0 } ? latency.P99Ms : null) { OcppVersion = key.OcppVersion });
        }

        var attempts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (result, n) in stats.ConnectionAttempts)
        {
            var delta = n - (previous?.ConnectionAttempts.GetValueOrDefault(result) ?? 0);
            if (delta != 0)
            {
                attempts[result] = delta;
            }
        }

        var row = new TimeSeriesRow
        {
            ElapsedSeconds = Math.Round((at - StartedAt).TotalSeconds, 3),
            IntervalSeconds = Math.Round((at - _previousAt).TotalSeconds, 3),
            Time = at,
            Connected = stats.ConnectedNow,
            Booted = stats.BootedNow,
            Charging = stats.SessionsActive,
            MessagesCpToCsms = stats.MessagesSent.Values.Sum() - (previous?.MessagesSent.Values.Sum() ?? 0),
            MessagesCsmsToCp = stats.MessagesReceived.Values.Sum() - (previous?.MessagesReceived.Values.Sum() ?? 0),
            Errors = Made(stats, c => c.Errors) - (previous is null ? 0 : Made(previous, c => c.Errors)),
            Timeouts = Made(stats, c => c.Timeouts) - (previous is null ? 0 : Made(previous, c => c.Timeouts)),
            Reconnects = stats.Reconnects - (previous?.Reconnects ?? 0),
            ConnectionAttempts = attempts.ToFrozenDictionary(StringComparer.Ordinal),
            OfflineQueueDepth = stats.OfflineQueueDepth,
            Calls = calls,
        };
        if (!always && _rows.Count > 0 && Unchanged(row, _rows[^1]))
        {
            return null;
        }
        _rows.Add(row);
        _previous = stats;
        _previousAt = at;
        return row;
    }

    /// <summary>A figure summed over the calls the charge points made, as the report's totals are.</summary>
    private static long Made(StatisticsSnapshot stats, Func<CallStatistics, long> figure) =>
        stats.Calls.Where(c => c.Key.Direction == Directions.CpToCsms).Sum(c => figure(c.Value));

    private static bool Unchanged(TimeSeriesRow row, TimeSeriesRow last) =>
        row.Calls.All(c => c is { Count: 0, Errors: 0, Timeouts: 0 }) && row.ConnectionAttempts.Count == 0
        && row is { MessagesCpToCsms: 0, MessagesCsmsToCp: 0, Errors: 0, Timeouts: 0, Reconnects: 0 }
        && (row.Connected, row.Booted, row.Charging, row.OfflineQueueDepth) == (last.Connected, last.Booted, last.Charging, last.OfflineQueueDepth);
}
