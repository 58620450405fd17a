using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Simulator.Csms;

/// <summary>
/// Writes when each charge-point CALL arrived and when its answer was handed to the socket, one CSV line each, for a
/// latency attribution (tests/benchmarks/lib/attribution.py joins them with FleetSim's call trace):
/// <c>in|out,&lt;chargeBoxId&gt;,&lt;unique id&gt;,&lt;ns&gt;</c>, the time in nanoseconds of the <see cref="Stopwatch"/> clock
/// (CLOCK_MONOTONIC on Linux, the clock FleetSim's call trace and Node's <c>process.hrtime</c> use). The format of
/// tests/benchmarks/lib/counting-csms.js --stamps. Stamps are collected in memory and written every 100 ms off the
/// connections' paths; the rest on <see cref="Dispose"/>. Thread-safe.
/// The CSMS's own pauses go in the same file, so a late answer can be set against them: one line per time the runtime
/// stopped every thread (a garbage collection, or another suspension, which stops the hold thread too),
/// <c>gc,&lt;index&gt;,&lt;generation&gt;,&lt;paused ns&gt;,&lt;resumed ns&gt;,&lt;promoted bytes&gt;</c> (index 0, generation -1: a
/// suspension that was no collection), and once a second the totals,
/// <c>gc_total,&lt;gen0&gt;,&lt;gen1&gt;,&lt;gen2&gt;,&lt;pause ns&gt;,&lt;ns&gt;,&lt;allocated bytes&gt;</c> (the columns of FleetSim's call trace),
/// and the runtime's allocation ticks, <c>gc_alloc,&lt;type&gt;,&lt;0 small|1 large|2 pinned&gt;,&lt;bytes&gt;,&lt;ns&gt;</c> (one per ~100 KB allocated).
/// </summary>
internal sealed class CallStamps : IDisposable
{
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    private readonly Lock _lock = new();
    private readonly Lock _writeLock = new();
    private readonly StreamWriter _writer;
    private readonly Timer _timer;
    private List<(bool Inbound, string ChargeBoxId, string UniqueId, long At)> _pending = new(1024);
    private List<(bool Inbound, string ChargeBoxId, string UniqueId, long At)> _spare = new(1024);
    private bool _disposed;
    private int _flushes;
    private readonly PauseListener _pauses;

    /// <summary>Creates (or empties) the file.</summary>
    /// <exception cref="IOException">The file cannot be created (no such directory, a directory of that name, ...).</exception>
    /// <exception cref="UnauthorizedAccessException">Not allowed to write it.</exception>
    public CallStamps(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _writer = new StreamWriter(new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.Read), new UTF8Encoding(false), 1 << 16);
        _pauses = new PauseListener(this);
        _timer = new Timer(_ => Flush(totals: Interlocked.Increment(ref _flushes) % 10 == 0), null, FlushInterval, FlushInterval);
    }

    public string Path { get; }

    /// <summary>A CALL arrived (whole message read) at <paramref name="at"/>, a <see cref="Stopwatch"/> timestamp.</summary>
    public void In(string chargeBoxId, string uniqueId, long at) => Add(true, chargeBoxId, uniqueId, at);

    /// <summary>The answer to a CALL is handed to the socket now.</summary>
    public void Out(string chargeBoxId, string uniqueId) => Add(false, chargeBoxId, uniqueId, Stopwatch.GetTimestamp());

    private void Add(bool inbound, string chargeBoxId, string uniqueId, long at)
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _pending.Add((inbound, chargeBoxId, uniqueId, at));
            }
        }
    }

    /// <summary>Writes what has been collected so far, and the GC totals.</summary>
    public void Flush() => Flush(totals: true);

    private void Flush(bool totals)
    {
        lock (_writeLock)
        {
            List<(bool Inbound, string ChargeBoxId, string UniqueId, long At)> batch;
            lock (_lock)
            {
                batch = _pending;
                _pending = _spare;
                _spare = batch;
            }
            if (batch.Count == 0 && !totals)
            {
                return;
            }
            try
            {
                foreach (var (inbound, chargeBoxId, uniqueId, at) in batch)
                {
                    _writer.Write(inbound ? "in," : "out,");
                    _writer.Write(chargeBoxId);   // letters, digits and -._~*=:+|@ only (the CSMS's path rule): no CSV quoting needed
                    _writer.Write(',');
                    WriteField(uniqueId);
                    _writer.Write(',');
                    WriteNumber(Nanoseconds(at));
                    _writer.Write('\n');
                }
                if (totals)
                {
                    _writer.Write(string.Create(CultureInfo.InvariantCulture,
                        $"gc_total,{GC.CollectionCount(0)},{GC.CollectionCount(1)},{GC.CollectionCount(2)},{GC.GetTotalPauseDuration().Ticks * 100},{Nanoseconds(Stopwatch.GetTimestamp())},{GC.GetTotalAllocatedBytes()}\n"));
                }
                _writer.Flush();
            }
            catch (ObjectDisposedException)
            {
                // Disposed between the swap and the write: the last flush has written what there was.
            }
            batch.Clear();
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }
        _timer.Dispose();
        _pauses.Dispose();
        Flush();
        lock (_writeLock)
        {
            _writer.Dispose();
        }
    }

    private void WriteNumber(long value)
    {
        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
        _writer.Write(digits[..length]);
    }

    /// <summary>A unique id is any string of up to 36 characters: quoted as CSV when it holds a comma, quote or line break.</summary>
    private void WriteField(string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            _writer.Write(value);
            return;
        }
        _writer.Write('"');
        _writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        _writer.Write('"');
    }

    private void Paused(long index, int generation, long pausedNs, long resumedNs, long promoted)
    {
        lock (_writeLock)
        {
            try
            {
                _writer.Write(string.Create(CultureInfo.InvariantCulture, $"gc,{index},{generation},{pausedNs},{resumedNs},{promoted}\n"));
            }
            catch (ObjectDisposedException)
            {
                // An event delivered after the file closed.
            }
        }
    }

    private void Allocated(string type, int kind, long bytes, long atNs)
    {
        lock (_writeLock)
        {
            try
            {
                _writer.Write(string.Create(CultureInfo.InvariantCulture, $"gc_alloc,{type.Replace(',', ';')},{kind},{bytes},{atNs}\n"));
            }
            catch (ObjectDisposedException)
            {
                // An event delivered after the file closed.
            }
        }
    }

    private static long Nanoseconds(long timestamp)
        => Stopwatch.Frequency == 1_000_000_000 ? timestamp : (long)((Int128)timestamp * 1_000_000_000 / Stopwatch.Frequency);

    /// <summary>
    /// The runtime's GC events (informational: a handful per collection): from the suspension's begin to the restart's end is
    /// the time every managed thread stood still. The events arrive in batches on the listener's thread, each with the time it
    /// happened; that time is a wall-clock one, turned into the stamps' monotonic clock by one pair of readings taken at start.
    /// </summary>
    private sealed class PauseListener : System.Diagnostics.Tracing.EventListener
    {
        private readonly CallStamps? _stamps;
        private readonly long _monotonicMinusWallNs;
        private long _pausedNs;
        private long _index;
        private int _generation = -1;
        private long _promoted;

        public PauseListener(CallStamps stamps)
        {
            _monotonicMinusWallNs = Nanoseconds(Stopwatch.GetTimestamp()) - DateTime.UtcNow.Ticks * 100;
            _stamps = stamps;
        }

        protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                // GC, verbose for the allocation ticks (one per ~100 KB allocated: a sampled profile of what the CSMS allocates).
                EnableEvents(eventSource, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);
            }
        }

        protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs eventData)
        {
            // The base constructor already reports event sources, before this one's fields are set.
            if (_stamps is null || eventData.EventName is not { } name || eventData.PayloadNames is not { } names || eventData.Payload is not { } payload)
            {
                return;
            }
            var at = eventData.TimeStamp.ToUniversalTime().Ticks * 100 + _monotonicMinusWallNs;
            if (name.StartsWith("GCSuspendEEBegin", StringComparison.Ordinal))
            {
                (_pausedNs, _index, _generation, _promoted) = (at, 0, -1, 0);
            }
            else if (name.StartsWith("GCStart", StringComparison.Ordinal))
            {
                _index = Number(names, payload, "Count");
                _generation = (int)Number(names, payload, "Depth");
            }
            else if (name.StartsWith("GCHeapStats", StringComparison.Ordinal))
            {
                _promoted = Number(names, payload, "TotalPromotedSize0") + Number(names, payload, "TotalPromotedSize1") + Number(names, payload, "TotalPromotedSize2")
                    + Number(names, payload, "TotalPromotedSize3") + Number(names, payload, "TotalPromotedSize4");
            }
            else if (name.StartsWith("GCAllocationTick", StringComparison.Ordinal))
            {
                var type = names.IndexOf("TypeName");
                _stamps.Allocated(type >= 0 ? payload[type] as string ?? "?" : "?", (int)Number(names, payload, "AllocationKind"), Number(names, payload, "AllocationAmount64"), at);
            }
            else if (name.StartsWith("GCRestartEEEnd", StringComparison.Ordinal) && _pausedNs != 0)
            {
                _stamps.Paused(_index, _generation, _pausedNs, at, _promoted);
                _pausedNs = 0;
            }
        }

        private static long Number(System.Collections.ObjectModel.ReadOnlyCollection<string> names, System.Collections.ObjectModel.ReadOnlyCollection<object?> payload, string name)
            => names.IndexOf(name) is var i and >= 0 ? Convert.ToInt64(payload[i], CultureInfo.InvariantCulture) : 0;
    }
}
