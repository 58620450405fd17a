using Akka.Event;
using MelLogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Simulator.Fleet.Logging;

/// <summary>
/// <see cref="RateLimitedLog"/> in front of an Akka logging adapter:
/// <c>if (limiter.Admit(_log, kind)) _log.Warning(...)</c>. A disabled level costs nothing and is not counted.
/// </summary>
public static class AkkaRateLimitedLog
{
    /// <summary>True: write the event at <paramref name="level"/>. A summary owed for the kind is written here first.</summary>
    public static bool Admit(this RateLimitedLog limiter, ILoggingAdapter log, string kind, MelLogLevel level = MelLogLevel.Warning)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        ArgumentNullException.ThrowIfNull(log);
        var akkaLevel = ToAkka(level);
        if (!log.IsEnabled(akkaLevel))
        {
            return false;
        }
        var write = limiter.Admit(kind, level, out var summary);
        if (summary is not null)
        {
            Write(log, level, summary);
        }
        return write;
    }

    /// <summary>Writes the summaries owed (see <see cref="RateLimitedLog.TakeSummaries"/>) at each kind's level.</summary>
    public static void WriteSummaries(this RateLimitedLog limiter, ILoggingAdapter log, bool all)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        ArgumentNullException.ThrowIfNull(log);
        foreach (var summary in limiter.TakeSummaries(all))
        {
            Write(log, summary.Level, summary);
        }
    }

    private static void Write(ILoggingAdapter log, MelLogLevel level, RateLimitedSummary summary)
    {
        switch (level)
        {
            case MelLogLevel.Trace or MelLogLevel.Debug:
                log.Debug("{0}", summary);
                break;
            case MelLogLevel.Information:
                log.Info("{0}", summary);
                break;
            case MelLogLevel.Warning:
                log.Warning("{0}", summary);
                break;
            default:
                log.Error("{0}", summary);
                break;
        }
    }

    private static LogLevel ToAkka(MelLogLevel level) => level switch
    {
        MelLogLevel.Trace or MelLogLevel.Debug => LogLevel.DebugLevel,
        MelLogLevel.Information => LogLevel.InfoLevel,
        MelLogLevel.Warning => LogLevel.WarningLevel,
        _ => LogLevel.ErrorLevel,
    };
}
