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

    /// <summary>Creates (or empties) the file.</summary>
    /// <exception cref="IOException">The file cannot be created (no such directory, a directory of that name, ...).</exception>
    /// <exception cref="UnauthorizedAccessException">Not allowed to write it.</exception>
    public CallStamps(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _writer = new StreamWriter(new FileStream(Path, FileMode.Create, FileAccess.Write, FileShare.Read), new UTF8Encoding(false), 1 << 16);
        _timer = new Timer(_ => Flush(), null, FlushInterval, FlushInterval);
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

    /// <summary>Writes what has been collected so far.</summary>
    public void Flush()
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
            if (batch.Count == 0)
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
                    _writer.Write(Nanoseconds(at).ToString(CultureInfo.InvariantCulture));
                    _writer.Write('\n');
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
        Flush();
        lock (_writeLock)
        {
            _writer.Dispose();
        }
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

    private static long Nanoseconds(long timestamp)
        => Stopwatch.Frequency == 1_000_000_000 ? timestamp : (long)((Int128)timestamp * 1_000_000_000 / Stopwatch.Frequency);
}
