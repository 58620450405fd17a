namespace Simulator.Metrics.TimeSeries;

/// <summary>
/// One second (or the last, shorter stretch) of a run: gauges as they stood at its end, counts of what happened in it, and
/// the latency percentiles of the calls answered in it. Counts are differences of the cumulative run statistics, so the
/// rows of a run add up to the report's totals.
/// </summary>
public sealed record TimeSeriesRow
{
    /// <summary>Seconds since the run started, at the end of this row's interval.</summary>
    public required double ElapsedSeconds { get; init; }
    /// <summary>Length of this row's interval in seconds (about 1; the last row may be shorter).</summary>
    public required double IntervalSeconds { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required long Connected { get; init; }
    public required long Booted { get; init; }
    /// <summary>Connectors with a charging session in progress.</summary>
    public required long Charging { get; init; }
    /// <summary>OCPP messages the charge points wrote in this interval (their CALLs and their answers to the CSMS's).</summary>
    public required long MessagesCpToCsms { get; init; }
    /// <summary>OCPP messages the charge points read in this interval (the CSMS's answers and CALLs).</summary>
    public required long MessagesCsmsToCp { get; init; }
    public required long Errors { get; init; }
    public required long Timeouts { get; init; }
    public required long Reconnects { get; init; }
    public required IReadOnlyDictionary<string, long> ConnectionAttempts { get; init; }
    public required long OfflineQueueDepth { get; init; }
    public required IReadOnlyList<TimeSeriesCall> Calls { get; init; }
}

/// <summary>
/// One action in one direction within a row: calls completed, of which errors and timeouts; p50/p99 of the round trips
/// answered in the interval (null when none were, or the interval's latencies were not seen, as in a cluster run's last row).
/// </summary>
public sealed record TimeSeriesCall(string Action, string Direction, long Count, long Errors, long Timeouts, double? P50Ms, double? P99Ms)
{
    /// <summary>The OCPP version of the charge points that made or answered the calls; "" when not known.</summary>
    public string OcppVersion { get; init; } = "";
}
