using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Simulator.Fleet.Logging;

/// <summary>
/// Rate limit for log lines a peer can cause at will (a CSMS sending garbage, flooding, closing), shared by a whole node:
/// of each kind the first <see cref="FirstPerKind"/> events are written one by one, the rest are only counted, and the
/// count is written as one summary line per kind at most every <see cref="Window"/> (and once more at the end). Ten
/// thousand charge points each writing "a few" would still be a flood, so the limit is per kind, never per charge point.
/// The hot path is a dictionary read and one interlocked increment; a suppressed event adds a clock read. Knows no
/// logging framework: the caller writes what <see cref="Admit"/> lets through (see <see cref="AkkaRateLimitedLog"/>).
/// </summary>
public sealed class RateLimitedLog
{
    public const int DefaultFirstPerKind = 5;

    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, KindState> _kinds = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly long _windowTicks;

    public RateLimitedLog(TimeProvider time, int firstPerKind = DefaultFirstPerKind, TimeSpan? window = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegative(firstPerKind);
        _time = time;
        FirstPerKind = firstPerKind;
        Window = window ?? DefaultWindow;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Window, TimeSpan.Zero, nameof(window));
        _windowTicks = (long)(Window.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>How many events of each kind are written one by one.</summary>
    public int FirstPerKind { get; }

    /// <summary>The shortest time between two summaries of one kind.</summary>
    public TimeSpan Window { get; }

    /// <summary>
    /// Counts one event of <paramref name="kind"/> (a constant: the kinds are a small fixed set). True: write this event.
    /// <paramref name="summary"/>: a line to write as well, because this kind's window is over and events were suppressed.
    /// </summary>
    public bool Admit(string kind, LogLevel level, out RateLimitedSummary? summary)
    {
        var state = _kinds.TryGetValue(kind, out var known) ? known : _kinds.GetOrAdd(kind, static (k, args) => new KindState(k, args.level, args.now, args.window), (level, now: _time.GetTimestamp(), window: _windowTicks));
        var index = Interlocked.Increment(ref state.Count);
        if (index <= FirstPerKind)
        {
            summary = null;
            return true;
        }
        var now = _time.GetTimestamp();
        var due = Volatile.Read(ref state.NextSummaryAt);
        summary = now >= due && Interlocked.CompareExchange(ref state.NextSummaryAt, now + _windowTicks, due) == due
            ? Summarize(state, index, now)
            : null;
        return false;
    }

    /// <summary>
    /// The summaries owed: of every kind whose window is over (<paramref name="all"/> false: call it about once a second, so a
    /// count is written even after the events stopped), or of every kind with an unreported count (true: at the end of a run).
    /// </summary>
    public IReadOnlyList<RateLimitedSummary> TakeSummaries(bool all)
    {
        List<RateLimitedSummary>? summaries = null;
        var now = _time.GetTimestamp();
        foreach (var state in _kinds.Values)
        {
            var due = Volatile.Read(ref state.NextSummaryAt);
            if (!all && now < due)
            {
                continue;
            }
            if (Volatile.Read(ref state.Count) <= Math.Max(FirstPerKind, Volatile.Read(ref state.ReportedUpTo)))
            {
                continue;   // nothing suppressed since the last summary: the window stays where it is
            }
            if (Interlocked.CompareExchange(ref state.NextSummaryAt, now + _windowTicks, due) != due && !all)
            {
                continue;   // an event of this kind is writing the summary right now
            }
            if (Summarize(state, Volatile.Read(ref state.Count), now) is { } summary)
            {
                (summaries ??= []).Add(summary);
            }
        }
        return summaries ?? (IReadOnlyList<RateLimitedSummary>)[];
    }

    /// <summary>Events not written one by one so far (only counted), per kind.</summary>
    public IReadOnlyDictionary<string, long> Suppressed =>
        _kinds.Values.Where(s => Volatile.Read(ref s.Count) > FirstPerKind)
            .ToDictionary(s => s.Kind, s => Volatile.Read(ref s.Count) - FirstPerKind, StringComparer.Ordinal);

    private RateLimitedSummary? Summarize(KindState state, long upTo, long now)
    {
        // Rare (once per window per kind): a lock keeps two summaries of one kind from counting the same events.
        lock (state)
        {
            var from = Math.Max(state.ReportedUpTo, FirstPerKind);
            if (upTo <= from)
            {
                return null;
            }
            var over = _time.GetElapsedTime(state.LastSummaryAt, now);
            state.ReportedUpTo = upTo;
            state.LastSummaryAt = now;
            return new RateLimitedSummary(state.Kind, state.Level, upTo - from, over, upTo);
        }
    }

    private sealed class KindState(string kind, LogLevel level, long created, long windowTicks)
    {
        public readonly string Kind = kind;
        public readonly LogLevel Level = level;
        public long Count;
        public long NextSummaryAt = created + windowTicks;
        public long ReportedUpTo;
        public long LastSummaryAt = created;
    }
}

/// <summary>Events of one kind that were counted, not written: how many, over how long, and how many of the kind in all.</summary>
public sealed record RateLimitedSummary(string Kind, LogLevel Level, long Suppressed, TimeSpan Over, long Total)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Kind}: {Suppressed} more in the last {Math.Max(1, Math.Round(Over.TotalSeconds)):0} s, not logged one by one ({Total} since the start)");
}
