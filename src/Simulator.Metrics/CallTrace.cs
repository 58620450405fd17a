using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Simulator.Metrics;

/// <summary>
/// The stamps of one answered charge-point CALL, as <see cref="Stopwatch"/> timestamps (the <see cref="TimeProvider.System"/>
/// clock; on Linux CLOCK_MONOTONIC, the clock a CSMS on the same machine can stamp with too). 0 = not known.
/// </summary>
/// <param name="Due">When the charge point's due-time timer was due, when a timer turn sent the call.</param>
/// <param name="Fired">When the node's due-time thread told the actor.</param>
/// <param name="Turn">When the actor began handling that timer message.</param>
/// <param name="Enqueued">When the model's message was handed to the RPC endpoint.</param>
/// <param name="Sent">When the CALL was encoded and went in flight: the latency clock's start.</param>
/// <param name="Written">When the connection's send pump finished writing the frame to the socket.</param>
/// <param name="Received">When the connection had read the whole answer and handed it to the actor's mailbox: the latency clock's stop.</param>
/// <param name="Dispatched">When the actor began handling the answer.</param>
/// <param name="Answered">When the actor had matched the answer to its call (after the latency clock's stop).</param>
public readonly record struct CallStamps(
    string ChargePoint, string UniqueId, string Action,
    long Due, long Fired, long Turn, long Enqueued, long Sent, long Written, long Received, long Dispatched, long Answered);

/// <summary>
/// Benchmark-only and off unless the environment variable <see cref="EnvironmentVariable"/> names a file: one CSV line per
/// answered charge-point CALL with the stamps of <see cref="CallStamps"/> in nanoseconds, plus one line per sampled garbage
/// collection (its pause), the runtime's GC phase events and allocation ticks, so a benchmark can split each round trip into the simulator's and the CSMS's shares
/// (tests/benchmarks/lib/attribution.py). Recording only queues the stamps; a background thread formats and writes them.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "One per process, lives until the process ends; flushed at exit.")]
public sealed class CallTrace
{
    public const string EnvironmentVariable = "FLEETSIM_CALL_TRACE";

    /// <summary>The process's trace, or null (the default) when <see cref="EnvironmentVariable"/> is not set.</summary>
    public static CallTrace? Current { get; } = string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable))
        ? null
        : Create(Environment.GetEnvironmentVariable(EnvironmentVariable)!);

    private static readonly double NanosPerTick = 1e9 / Stopwatch.Frequency;

    private readonly ConcurrentQueue<CallStamps> _pending = new();
    private readonly StreamWriter _writer;
    private readonly object _writeLock = new();
    private readonly AllocationSampler _allocations;
    private long _lastGcIndex = -1;
    private int _rounds;

    private CallTrace(string path)
    {
        _writer = new StreamWriter(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read), new UTF8Encoding(false), 1 << 16);
        _writer.WriteLine("kind,cp,id,action,due_ns,fired_ns,turn_ns,enqueued_ns,sent_ns,written_ns,received_ns,dispatched_ns,answered_ns");
        _allocations = new AllocationSampler(this);
        var thread = new Thread(Run) { IsBackground = true, Name = "fleetsim-call-trace" };
        thread.Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Flush();
    }

    /// <summary>A trace writing to <paramref name="path"/> (replaced) until the process ends; <see cref="Current"/> is the process's.</summary>
    public static CallTrace Create(string path) => new(path);

    public void Record(in CallStamps stamps) => _pending.Enqueue(stamps);

    private void Run()
    {
        while (true)
        {
            // Often enough to see most gen0 collections one by one (the runtime keeps the last one's pauses only).
            Thread.Sleep(20);
            SampleGc();
            Flush(totals: ++_rounds % 50 == 0);
        }
    }

    private void SampleGc()
    {
        var info = GC.GetGCMemoryInfo(GCKind.Any);
        if (info.Index == _lastGcIndex || info.Index == 0)
        {
            return;
        }
        _lastGcIndex = info.Index;
        var pause = TimeSpan.Zero;
        foreach (var p in info.PauseDurations)
        {
            pause += p;
        }
        lock (_writeLock)
        {
            // gc,INDEX,GENERATION,PROMOTED_BYTES,PAUSE_NS,SAMPLED_AT_NS,GEN0_BYTES_BEFORE: the last GC only, so one between two
            // samples is missed (gc_total counts all).
            _writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"gc,{info.Index},{info.Generation},{info.PromotedBytes},{(long)(pause.TotalMilliseconds * 1e6)},{Ns(Stopwatch.GetTimestamp())},{info.GenerationInfo[0].SizeBeforeBytes},,,,,,"));
        }
    }

    /// <summary>Writes what is queued (the background thread does every 20 ms, with the GC totals once a second; also at process exit).</summary>
    public void Flush() => Flush(totals: true);

    private void Flush(bool totals)
    {
        lock (_writeLock)
        {
            var line = new StringBuilder(160);
            while (_pending.TryDequeue(out var s))
            {
                line.Clear();
                line.Append("call,").Append(s.ChargePoint).Append(',').Append(s.UniqueId).Append(',').Append(s.Action);
                foreach (var t in (ReadOnlySpan<long>)[s.Due, s.Fired, s.Turn, s.Enqueued, s.Sent, s.Written, s.Received, s.Dispatched, s.Answered])
                {
                    line.Append(',');
                    if (t != 0)
                    {
                        line.Append(Ns(t));
                    }
                }
                _writer.WriteLine(line);
            }
            if (totals)
            {
                // gc_total,GEN0_COUNT,GEN1_COUNT,GEN2_COUNT,TOTAL_PAUSE_NS,AT_NS,ALLOCATED_BYTES
                _writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"gc_total,{GC.CollectionCount(0)},{GC.CollectionCount(1)},{GC.CollectionCount(2)},{(long)(GC.GetTotalPauseDuration().TotalMilliseconds * 1e6)},{Ns(Stopwatch.GetTimestamp())},{GC.GetTotalAllocatedBytes()},,,,,,"));
            }
            _writer.Flush();
        }
    }

    private static long Ns(long timestamp) => (long)(timestamp * NanosPerTick);

    private void Allocated(string type, long bytes)
    {
        lock (_writeLock)
        {
            // alloc,TYPE,,,BYTES,AT_NS: the runtime's allocation tick (about every 100 KB allocated, the type that crossed it)
            _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"alloc,{type.Replace(',', ';')},,,{bytes},{Ns(Stopwatch.GetTimestamp())},,,,,,,"));
        }
    }

    private void Phase(string name, long kind, long bytes, long atNs)
    {
        lock (_writeLock)
        {
            _writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"gcphase,{name},{kind},,{bytes},{atNs},,,,,,,"));
        }
    }

    /// <summary>The runtime's GC allocation ticks (a sampling allocation profile: which types the allocations are).</summary>
    private sealed class AllocationSampler(CallTrace trace) : System.Diagnostics.Tracing.EventListener
    {
        protected override void OnEventSourceCreated(System.Diagnostics.Tracing.EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, System.Diagnostics.Tracing.EventLevel.Verbose, (System.Diagnostics.Tracing.EventKeywords)0x1);   // GC
            }
        }

        protected override void OnEventWritten(System.Diagnostics.Tracing.EventWrittenEventArgs eventData)
        {
            if (eventData.PayloadNames is not { } names || eventData.Payload is not { } payload)
            {
                return;
            }
            if (eventData.EventName is { } name && (name.StartsWith("GCStart", StringComparison.Ordinal) || name.StartsWith("GCMarkWithType", StringComparison.Ordinal)
                || name.StartsWith("GCEnd", StringComparison.Ordinal) || name.StartsWith("GCSuspendEEEnd", StringComparison.Ordinal) || name.StartsWith("GCRestartEEBegin", StringComparison.Ordinal)))
            {
                // gcphase,EVENT,MARK_TYPE (0 stack, 1 finalizer queue, 2 handles, 3 older generations' cards, ...),,BYTES,AT (UTC ticks x 100 ns: for differences only)
                var kind = names.IndexOf("Type");
                var bytes = names.IndexOf("Bytes");
                trace?.Phase(name, kind >= 0 ? Convert.ToInt64(payload[kind], CultureInfo.InvariantCulture) : -1,
                    bytes >= 0 ? Convert.ToInt64(payload[bytes], CultureInfo.InvariantCulture) : 0, eventData.TimeStamp.Ticks * 100);
                return;
            }
            if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) != true)
            {
                return;
            }
            var type = names.IndexOf("TypeName");
            var amount = names.IndexOf("AllocationAmount64");
            if (type >= 0 && amount >= 0)
            {
                // The primary constructor's trace is null while the base constructor already reports event sources.
                trace?.Allocated(payload[type] as string ?? "?", Convert.ToInt64(payload[amount], CultureInfo.InvariantCulture));
            }
        }
    }
}
