namespace Simulator.Metrics;

/// <summary>The keys of <see cref="StormEventResult.Figures"/>, camelCase like every field of the report (REPORT.md).</summary>
public static class StormFigures
{
    /// <summary>The name of the storm that is the fleet's arrival, not a timeline event.</summary>
    public const string Arrival = "arrival";

    /// <summary>Arrival only: charge points that ever connected.</summary>
    public const string ChargePoints = "chargePoints";
    public const string Affected = "affected";
    public const string Reconnected = "reconnected";
    public const string NeverReconnected = "neverReconnected";
    public const string ReconnectTimeP50Seconds = "reconnectTimeP50Seconds";
    public const string ReconnectTimeP90Seconds = "reconnectTimeP90Seconds";
    public const string ReconnectTimeP99Seconds = "reconnectTimeP99Seconds";
    public const string ReconnectTimeMaxSeconds = "reconnectTimeMaxSeconds";
    public const string AttemptsTotal = "attemptsTotal";
    public const string AttemptsPeakPerSecond = "attemptsPeakPerSecond";
    public const string OfflineQueuePeak = "offlineQueuePeak";
    public const string OfflineQueueDrainedAfterSeconds = "offlineQueueDrainedAfterSeconds";

    /// <summary>Seconds from the event until <paramref name="percent"/> (50, 99, 100) % of the affected charge points were <paramref name="what"/> ("connected" or "booted"), e.g. <c>secondsTo99PctConnected</c>.</summary>
    public static string SecondsTo(int percent, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(what);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"secondsTo{percent}Pct{char.ToUpperInvariant(what[0])}{what[1..]}");
    }
}
