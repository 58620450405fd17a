using HdrHistogram;
using HdrHistogram.Utilities;

namespace Simulator.Metrics;

/// <summary>
/// An immutable HdrHistogram of durations in microseconds (1 µs to 1 h, 3 significant digits).
/// Mergeable with <see cref="Merge"/> and serialisable with HdrHistogram's compressed encoding, so cluster nodes can ship it.
/// Its counts are held in the narrowest word that cannot overflow: no bucket holds more than the total count, so a histogram
/// of at most 32,767 values keeps 16-bit counts (47 KB), one of at most 2^31 - 1 values 32-bit counts (94 KB), only a larger
/// one 64-bit counts (188 KB). Precision and range are the same for all three.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Lowest discernible value: 1 µs.</summary>
    public const long LowestMicros = 1;

    /// <summary>Highest trackable value: one hour in µs. Larger values are clamped to it.</summary>
    public const long HighestMicros = 3_600_000_000;

    public const int SignificantDigits = 3;

    public static LatencyHistogram Empty { get; } = new(new ShortHistogram(LowestMicros, HighestMicros, SignificantDigits));

    private readonly HistogramBase _histogram;

    private LatencyHistogram(HistogramBase histogram) => _histogram = histogram;

    /// <summary>Number of recorded values.</summary>
    public long Count => _histogram.TotalCount;

    /// <summary>Largest recorded value in µs (0 when empty).</summary>
    public long MaxMicros => Count == 0 ? 0 : _histogram.GetMaxValue();

    /// <summary>Mean in µs (0 when empty).</summary>
    public double MeanMicros => Count == 0 ? 0 : _histogram.GetMean();

    /// <summary>The value at <paramref name="percentile"/> (0–100) in µs, 0 when empty.</summary>
    public long ValueAtPercentileMicros(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        return Count == 0 ? 0 : _histogram.GetValueAtPercentile(percentile);
    }

    /// <summary>Percentile in milliseconds.</summary>
    public double ValueAtPercentileMs(double percentile) => ValueAtPercentileMicros(percentile) / 1000.0;

    /// <summary>A new histogram holding the values of both.</summary>
    public LatencyHistogram Merge(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return this;
        }

        if (Count == 0)
        {
            return other;
        }

        var sum = NarrowestFor(Count + other.Count);
        sum.Add(_histogram);
        sum.Add(other._histogram);
        return new LatencyHistogram(sum);
    }

    /// <summary>
    /// The values recorded after <paramref name="earlier"/>, when this histogram is a later state of the same recording (the
    /// cumulative histogram of a phase's end minus that of its start); bucket by bucket, so at the histogram's precision.
    /// </summary>
    public LatencyHistogram Minus(LatencyHistogram earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        if (earlier.Count == 0)
        {
            return this;
        }

        var difference = NarrowestFor(Count);
        foreach (var bucket in _histogram.RecordedValues())
        {
            var count = bucket.CountAtValueIteratedTo - earlier._histogram.GetCountAtValue(bucket.ValueIteratedTo);
            if (count > 0)
            {
                difference.RecordValueWithCount(bucket.ValueIteratedTo, count);
            }
        }

        return new LatencyHistogram(difference);
    }

    /// <summary>HdrHistogram's compressed (V2, deflate) encoding.</summary>
    public byte[] ToCompressedBytes()
    {
        var buffer = ByteBuffer.Allocate(_histogram.GetNeededByteBufferCapacity());
        var length = _histogram.EncodeIntoCompressedByteBuffer(buffer);
        var bytes = new byte[length];
        buffer.Position = 0;
        for (var i = 0; i < length; i++)
        {
            bytes[i] = buffer.Get();
        }

        return bytes;
    }

    /// <summary>Decodes what <see cref="ToCompressedBytes"/> produced.</summary>
    public static LatencyHistogram FromCompressedBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var decoded = HistogramEncoding.DecodeFromCompressedByteBuffer(ByteBuffer.Allocate(bytes), HighestMicros);
        return Compact(decoded);
    }

    /// <summary>Builds a histogram from values in µs (for tests, tools and merging foreign data).</summary>
    public static LatencyHistogram FromMicros(IEnumerable<long> micros)
    {
        ArgumentNullException.ThrowIfNull(micros);
        var histogram = NewHistogram();
        foreach (var value in micros)
        {
            histogram.RecordValue(Clamp(value));
        }

        return Compact(histogram);
    }

    /// <summary>An immutable copy of <paramref name="source"/> in the narrowest counts that hold its total.</summary>
    internal static LatencyHistogram Compact(HistogramBase source)
    {
        var copy = NarrowestFor(source.TotalCount);
        copy.Add(source);
        return new LatencyHistogram(copy);
    }

    internal static LongHistogram NewHistogram() => new(LowestMicros, HighestMicros, SignificantDigits);

    /// <summary>An empty histogram whose counts cannot overflow with <paramref name="totalCount"/> values in all.</summary>
    internal static HistogramBase NarrowestFor(long totalCount) =>
        totalCount <= short.MaxValue ? new ShortHistogram(LowestMicros, HighestMicros, SignificantDigits)
        : totalCount <= int.MaxValue ? new IntHistogram(LowestMicros, HighestMicros, SignificantDigits)
        : NewHistogram();

    internal static long Clamp(long micros) => micros < LowestMicros ? 0 : micros > HighestMicros ? HighestMicros : micros;

    internal static long ToMicros(TimeSpan duration) => Clamp(duration.Ticks / (TimeSpan.TicksPerMillisecond / 1000));
}

/// <summary>
/// Thread-safe recording side of a latency histogram: many writers record concurrently (HdrHistogram <see cref="Recorder"/>
/// over a concurrent histogram); a reader harvests intervals into a cumulative histogram for the whole run and, once the live
/// view asks for one, a window histogram. Each is made when first needed (a series nobody records costs nothing, a run
/// without a live view keeps no window). The concurrent interval histogram counts in 32 bits and is harvested before 2^30
/// values; the cumulative and window histograms start with 16-bit counts and widen before their total could overflow them.
/// </summary>
internal sealed class LatencyRecorder
{
    /// <summary>Values recorded between forced harvests: far below 2^31, so a 32-bit bucket of the interval cannot overflow.</summary>
    internal const long HarvestEvery = 1L << 30;

    private readonly object _gate = new();
    private Recorder? _recorder;
    private long _recorded;
    private HistogramBase? _cumulative;
    private HistogramBase? _window;
    private HistogramBase? _recycle;

    public void Record(TimeSpan duration) => RecordMicros(LatencyHistogram.ToMicros(duration));

    public void RecordMicros(long micros)
    {
        (Volatile.Read(ref _recorder) ?? CreateRecorder()).RecordValue(LatencyHistogram.Clamp(micros));
        if (Interlocked.Increment(ref _recorded) % HarvestEvery == 0)
        {
            lock (_gate)
            {
                Harvest();
            }
        }
    }

    /// <summary>Everything recorded since the start of the run.</summary>
    public LatencyHistogram Cumulative()
    {
        lock (_gate)
        {
            Harvest();
            return _cumulative is null ? LatencyHistogram.Empty : LatencyHistogram.Compact(_cumulative);
        }
    }

    /// <summary>Everything recorded since the previous call (the live view's window), then starts a new window.</summary>
    public LatencyHistogram RollWindow()
    {
        lock (_gate)
        {
            Harvest();
            if (_window is null)
            {
                // The first window is everything since the start, which the cumulative histogram holds; from now on harvests fill a window too.
                _window = LatencyHistogram.NarrowestFor(0);
                return _cumulative is null ? LatencyHistogram.Empty : LatencyHistogram.Compact(_cumulative);
            }
            var window = _window.TotalCount == 0 ? LatencyHistogram.Empty : LatencyHistogram.Compact(_window);
            _window.Reset();
            return window;
        }
    }

    private Recorder CreateRecorder()
    {
        var recorder = new Recorder(
            LatencyHistogram.LowestMicros,
            LatencyHistogram.HighestMicros,
            LatencyHistogram.SignificantDigits,
            (id, low, high, digits) => new IntConcurrentHistogram(id, low, high, digits));
        return Interlocked.CompareExchange(ref _recorder, recorder, null) ?? recorder;
    }

    /// <summary><paramref name="current"/>, or a copy in wider counts when <paramref name="adding"/> more values could overflow its counts.</summary>
    private static HistogramBase Widened(HistogramBase? current, long adding)
    {
        var total = (current?.TotalCount ?? 0) + adding;
        var limit = current switch { null => -1, ShortHistogram => short.MaxValue, IntHistogram => int.MaxValue, _ => long.MaxValue };
        if (total <= limit)
        {
            return current!;
        }
        var wider = LatencyHistogram.NarrowestFor(total);
        if (current is not null)
        {
            wider.Add(current);
        }
        return wider;
    }

    private void Harvest()
    {
        if (Volatile.Read(ref _recorder) is not { } recorder)
        {
            return;
        }
        var interval = recorder.GetIntervalHistogram(_recycle);
        if (interval.TotalCount > 0)
        {
            _cumulative = Widened(_cumulative, interval.TotalCount);
            _cumulative.Add(interval);
            if (_window is not null)
            {
                _window = Widened(_window, interval.TotalCount);
                _window.Add(interval);
            }
        }

        // Recycling the interval saves an allocation per harvest but keeps a second interval histogram for good: worth it only
        // when the live view harvests every second.
        _recycle = _window is null ? null : interval;
    }
}
