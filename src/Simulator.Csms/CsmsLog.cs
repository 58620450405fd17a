using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Simulator.Csms;

/// <summary>
/// The CSMS's log, rate-limited per kind of event: the first few of a kind are written one by one, the rest only counted
/// and summed up every <see cref="Window"/>, so a hostile peer sending a million bad frames writes a dozen lines, not a
/// million. Text that came from a peer goes through <see cref="Quote"/> (bounded, no control characters).
/// </summary>
internal sealed partial class CsmsLog(ILogger logger, TimeProvider time)
{
    /// <summary>How many events of one kind are written one by one in each window.</summary>
    public const int FirstPerWindow = 5;

    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private const int MaxQuoted = 64;

    private readonly ConcurrentDictionary<string, KindCounter> _kinds = new(StringComparer.Ordinal);

    public bool Enabled(LogLevel level) => logger.IsEnabled(level);

    /// <summary>Writes the event unless this kind already wrote <see cref="FirstPerWindow"/> in the current window; then counts it.</summary>
    public void Report(LogLevel level, string kind, string detail, Exception? exception = null)
    {
        if (!logger.IsEnabled(level))
        {
            return;
        }
        var counter = _kinds.GetOrAdd(kind, static (_, now) => new KindCounter(now), time.GetTimestamp());
        string? summary = null;
        bool write;
        lock (counter)
        {
            summary = counter.RollIfDue(time, kind);
            write = ++counter.InWindow <= FirstPerWindow;
            if (!write)
            {
                counter.Suppressed++;
            }
        }
        if (summary is not null)
        {
            Summary(logger, level, summary);
        }
        if (write)
        {
            Event(logger, level, kind, detail, exception);
        }
    }

    /// <summary>Writes the counts of suppressed events whose window is over (called by the server's periodic sweep).</summary>
    public void Flush()
    {
        foreach (var (kind, counter) in _kinds)
        {
            string? summary;
            lock (counter)
            {
                summary = counter.RollIfDue(time, kind);
            }
            if (summary is not null)
            {
                Summary(logger, LogLevel.Warning, summary);
            }
        }
    }

    /// <summary>Text a peer sent, safe to log: at most 64 characters, control and non-ASCII characters escaped.</summary>
    public static string Quote(string? text)
    {
        if (text is null)
        {
            return "(none)";
        }
        var builder = new StringBuilder(Math.Min(text.Length, MaxQuoted) + 2).Append('\'');
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, MaxQuoted)))
        {
            if (c is >= ' ' and < (char)0x7F and not '\'' and not '\\')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }
        builder.Append('\'');
        if (text.Length > MaxQuoted)
        {
            builder.Append(System.Globalization.CultureInfo.InvariantCulture, $"… ({text.Length} characters)");
        }
        return builder.ToString();
    }

    [LoggerMessage(EventId = 1, Message = "{Kind}: {Detail}")]
    private static partial void Event(ILogger logger, LogLevel level, string kind, string detail, Exception? exception);

    [LoggerMessage(EventId = 2, Message = "{Summary}")]
    private static partial void Summary(ILogger logger, LogLevel level, string summary);

    private sealed class KindCounter(long start)
    {
        public long WindowStart = start;
        public int InWindow;
        public long Suppressed;

        public string? RollIfDue(TimeProvider time, string kind)
        {
            if (time.GetElapsedTime(WindowStart) < Window)
            {
                return null;
            }
            var suppressed = Suppressed;
            WindowStart = time.GetTimestamp();
            InWindow = 0;
            Suppressed = 0;
            return suppressed == 0 ? null : $"{kind}: {suppressed} more in the last {Window.TotalSeconds:0} s (not logged one by one)";
        }
    }
}
