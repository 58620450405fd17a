using HdrHistogram;
using HdrHistogram.Utilities;

namespace Simulator.Metrics;

/// <summary>
/// An immutable HdrHistogram of durations in microseconds (1 µs to 1 h, 3 significant digits).
/// Mergeable with <see cref="Merge"/> and serialisable with HdrHistogram's compressed encoding, so cluster nodes can ship it.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Lowest discernible value: 1 µs.</summary>
    public const long LowestMicros = 1;

    /// <summary>Highest trackable value: one hour in µs. Larger values are clamped to it.</summary>
    public const long HighestMicros = 3_600_000_000;

    public const int SignificantDigits = 3;

    public static LatencyHistogram Empty { get; } = new(NewHistogram());

    private readonly LongHistogram _histogram;

    private LatencyHistogram(LongHistogram histogram) => _histogram = histogram;

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

        var sum = (LongHistogram)_histogram.Copy();
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

        var difference = NewHistogram();
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
        var histogram = NewHistogram();
        histogram.Add(decoded);
        return new LatencyHistogram(histogram);
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

        return new LatencyHistogram(histogram);
    }

    internal static LatencyHistogram Wrap(LongHistogram copy) => new(copy);

    internal static LongHistogram NewHistogram() => new(LowestMicros, HighestMicros, SignificantDigits);

    internal static long Clamp(long micros) => micros < LowestMicros ? 0 : micros > HighestMicros ? HighestMicros : micros;

    internal static long ToMicros(TimeSpan duration) => Clamp(duration.Ticks / (TimeSpan.TicksPerMillisecond / 1000));
}

/// <summary>
/// Thread-safe recording side of a latency histogram: many writers record concurrently (HdrHistogram <see cref="Recorder"/>
/// over a concurrent histogram); a reader harvests intervals into a cumulative histogram for the whole run and a
/// window histogram for the live view.
/// </summary>
internal sealed class LatencyRecorder
{
    private readonly Recorder _recorder = new(
        LatencyHistogram.LowestMicros,
        LatencyHistogram.HighestMicros,
        LatencyHistogram.SignificantDigits,
        (id, low, high, digits) => new LongConcurrentHistogram(id, low, high, digits));

    private readonly object _gate = new();
    private readonly LongHistogram _cumulative = LatencyHistogram.NewHistogram();
    private readonly LongHistogram _window = LatencyHistogram.NewHistogram();
    private HistogramBase? _recycle;

    public void Record(TimeSpan duration) => _recorder.RecordValue(LatencyHistogram.ToMicros(duration));

    public void RecordMicros(long micros) => _recorder.RecordValue(LatencyHistogram.Clamp(micros));

    /// <summary>Everything recorded since the start of the run.</summary>
    public LatencyHistogram Cumulative()
    {
        lock (_gate)
        {
            Harvest();
            return LatencyHistogram.Wrap((LongHistogram)_cumulative.Copy());
        }
    }

    /// <summary>Everything recorded since the previous call (the live view's window), then starts a new window.</summary>
    public LatencyHistogram RollWindow()
    {
        lock (_gate)
        {
            Harvest();
            var window = LatencyHistogram.Wrap((LongHistogram)_window.Copy());
            _window.Reset();
            return window;
        }
    }

    private void Harvest()
    {
        var interval = _recorder.GetIntervalHistogram(_recycle);
        if (interval.TotalCount > 0)
        {
            _cumulative.Add(interval);
            _window.Add(interval);
        }

        _recycle = interval;
    }
}
