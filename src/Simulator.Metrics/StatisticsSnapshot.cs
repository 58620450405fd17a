using System.Collections.Frozen;
using System.Text;

namespace Simulator.Metrics;

/// <summary>Identifies one row of statistics: an OCPP action in one direction.</summary>
/// <summary>An action in a direction, of an OCPP version ("" when the caller named none): rows of the same action name from two versions stay apart.</summary>
public readonly record struct CallKey(string Action, string Direction, string OcppVersion = "");

/// <summary>Counts and latency histograms of one action in one direction. Immutable.</summary>
public sealed class CallStatistics
{
    public CallStatistics(
        long count,
        long ok,
        long timeouts,
        IReadOnlyDictionary<string, long> errorsByCode,
        LatencyHistogram roundTrip,
        LatencyHistogram queueWait,
        LatencyHistogram fromIntended,
        IReadOnlyDictionary<string, long>? resultsByStatus = null)
    {
        Count = count;
        Ok = ok;
        Timeouts = timeouts;
        ErrorsByCode = errorsByCode;
        RoundTrip = roundTrip;
        QueueWait = queueWait;
        FromIntended = fromIntended;
        ResultsByStatus = resultsByStatus ?? FrozenDictionary<string, long>.Empty;
    }

    public long Count { get; }
    public long Ok { get; }
    public long Timeouts { get; }
    public IReadOnlyDictionary<string, long> ErrorsByCode { get; }
    public long Errors => ErrorsByCode.Values.Sum();
    /// <summary>Round trip from the actual send to the answer (or to the timeout).</summary>
    public LatencyHistogram RoundTrip { get; }
    /// <summary>Time a CALL waited in the dispatcher queue before it was sent.</summary>
    public LatencyHistogram QueueWait { get; }
    /// <summary>Latency from the intended (scheduled) send time; empty when callers did not supply it.</summary>
    public LatencyHistogram FromIntended { get; }
    /// <summary>CALLRESULTs by the <c>status</c> of their payload (those that carry one).</summary>
    public IReadOnlyDictionary<string, long> ResultsByStatus { get; }

    public CallStatistics Merge(CallStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new CallStatistics(
            Count + other.Count,
            Ok + other.Ok,
            Timeouts + other.Timeouts,
            StatisticsSnapshot.Sum(ErrorsByCode, other.ErrorsByCode),
            RoundTrip.Merge(other.RoundTrip),
            QueueWait.Merge(other.QueueWait),
            FromIntended.Merge(other.FromIntended),
            StatisticsSnapshot.Sum(ResultsByStatus, other.ResultsByStatus));
    }
}

/// <summary>Result of the message ledger check (set after the run).</summary>
public sealed record LedgerCounts(long Produced, long Delivered, long Lost, long DuplicatesRecognised)
{
    public LedgerCounts Merge(LedgerCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new LedgerCounts(
            Produced + other.Produced,
            Delivered + other.Delivered,
            Lost + other.Lost,
            DuplicatesRecognised + other.DuplicatesRecognised);
    }
}

/// <summary>
/// An immutable copy of one node's (or several merged nodes') run statistics: histograms and counters.
/// <see cref="Merge"/> adds histograms and sums counters; <see cref="ToBytes"/>/<see cref="FromBytes"/> ship it between nodes.
/// Gauges (connected, booted, …) are summed too; their peaks are summed per node, which is an upper bound of the fleet's
/// true simultaneous peak.
/// </summary>
public sealed class StatisticsSnapshot
{
    private const uint Magic = 0x54535346; // "FSST"
    private const int FormatVersion = 4;

    public required IReadOnlyList<string> Nodes { get; init; }
    public required DateTimeOffset CapturedAt { get; init; }
    public required IReadOnlyDictionary<CallKey, CallStatistics> Calls { get; init; }
    public required IReadOnlyDictionary<string, long> MessagesSent { get; init; }
    public required IReadOnlyDictionary<string, long> MessagesReceived { get; init; }
    public required IReadOnlyDictionary<string, long> ConnectionAttempts { get; init; }
    public required IReadOnlyDictionary<string, long> SecurityEvents { get; init; }
    /// <summary>File transfers by "direction/outcome" (upload/ok, download/login, ...).</summary>
    public IReadOnlyDictionary<string, long> FileTransfers { get; init; } = FrozenDictionary<string, long>.Empty;
    public required LatencyHistogram ConnectTime { get; init; }
    public required LatencyHistogram TlsHandshake { get; init; }
    public required LatencyHistogram UpgradeTime { get; init; }
    public required LatencyHistogram SchedulerLag { get; init; }
    public long Reconnects { get; init; }
    public long ConnectedNow { get; init; }
    public long ConnectedPeak { get; init; }
    public long BootedNow { get; init; }
    public long BootedPeak { get; init; }
    public long SessionsStarted { get; init; }
    public long SessionsCompleted { get; init; }
    public long SessionsActive { get; init; }
    /// <summary>Most connectors charging at once (merged: summed per node, an upper bound).</summary>
    public long SessionsActivePeak { get; init; }
    public long OfflineQueueDepth { get; init; }
    public double EnergyWh { get; init; }
    public LedgerCounts? Ledger { get; init; }

    /// <summary>CSMS protocol violations by kind and action.</summary>
    public IReadOnlyDictionary<CsmsViolationKey, long> CsmsViolations { get; init; } = FrozenDictionary<CsmsViolationKey, long>.Empty;

    /// <summary>The first few violations of each kind (see <see cref="CsmsViolationKinds.ExamplesPerKind"/>), oldest first.</summary>
    public IReadOnlyList<CsmsViolationExample> CsmsViolationExamples { get; init; } = [];

    public static StatisticsSnapshot Empty(string node, DateTimeOffset at) => new()
    {
        Nodes = [node],
        CapturedAt = at,
        Calls = FrozenDictionary<CallKey, CallStatistics>.Empty,
        MessagesSent = FrozenDictionary<string, long>.Empty,
        MessagesReceived = FrozenDictionary<string, long>.Empty,
        ConnectionAttempts = FrozenDictionary<string, long>.Empty,
        SecurityEvents = FrozenDictionary<string, long>.Empty,
        ConnectTime = LatencyHistogram.Empty,
        TlsHandshake = LatencyHistogram.Empty,
        UpgradeTime = LatencyHistogram.Empty,
        SchedulerLag = LatencyHistogram.Empty,
    };

    /// <summary>All calls of all actions and directions in one histogram.</summary>
    public LatencyHistogram AllRoundTrips() =>
        Calls.Values.Aggregate(LatencyHistogram.Empty, (sum, c) => sum.Merge(c.RoundTrip));

    public StatisticsSnapshot Merge(StatisticsSnapshot other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var calls = new Dictionary<CallKey, CallStatistics>(Calls);
        foreach (var (key, stats) in other.Calls)
        {
            calls[key] = calls.TryGetValue(key, out var mine) ? mine.Merge(stats) : stats;
        }

        return new StatisticsSnapshot
        {
            Nodes = Nodes.Concat(other.Nodes).Distinct(StringComparer.Ordinal).ToArray(),
            CapturedAt = CapturedAt > other.CapturedAt ? CapturedAt : other.CapturedAt,
            Calls = calls,
            MessagesSent = Sum(MessagesSent, other.MessagesSent),
            MessagesReceived = Sum(MessagesReceived, other.MessagesReceived),
            ConnectionAttempts = Sum(ConnectionAttempts, other.ConnectionAttempts),
            SecurityEvents = Sum(SecurityEvents, other.SecurityEvents),
            FileTransfers = Sum(FileTransfers, other.FileTransfers),
            ConnectTime = ConnectTime.Merge(other.ConnectTime),
            TlsHandshake = TlsHandshake.Merge(other.TlsHandshake),
            UpgradeTime = UpgradeTime.Merge(other.UpgradeTime),
            SchedulerLag = SchedulerLag.Merge(other.SchedulerLag),
            Reconnects = Reconnects + other.Reconnects,
            ConnectedNow = ConnectedNow + other.ConnectedNow,
            ConnectedPeak = ConnectedPeak + other.ConnectedPeak,
            BootedNow = BootedNow + other.BootedNow,
            BootedPeak = BootedPeak + other.BootedPeak,
            SessionsStarted = SessionsStarted + other.SessionsStarted,
            SessionsCompleted = SessionsCompleted + other.SessionsCompleted,
            SessionsActive = SessionsActive + other.SessionsActive,
            SessionsActivePeak = SessionsActivePeak + other.SessionsActivePeak,
            OfflineQueueDepth = OfflineQueueDepth + other.OfflineQueueDepth,
            EnergyWh = EnergyWh + other.EnergyWh,
            Ledger = (Ledger, other.Ledger) switch
            {
                (null, var b) => b,
                (var a, null) => a,
                var (a, b) => a.Merge(b),
            },
            CsmsViolations = SumViolations(CsmsViolations, other.CsmsViolations),
            CsmsViolationExamples = MergeExamples(CsmsViolationExamples, other.CsmsViolationExamples),
        };
    }

    private static Dictionary<CsmsViolationKey, long> SumViolations(IReadOnlyDictionary<CsmsViolationKey, long> a, IReadOnlyDictionary<CsmsViolationKey, long> b)
    {
        var sum = new Dictionary<CsmsViolationKey, long>(a);
        foreach (var (key, value) in b)
        {
            sum[key] = sum.GetValueOrDefault(key) + value;
        }

        return sum;
    }

    /// <summary>The earliest examples of each kind from both sides, at most <see cref="CsmsViolationKinds.ExamplesPerKind"/> per kind.</summary>
    private static CsmsViolationExample[] MergeExamples(IReadOnlyList<CsmsViolationExample> a, IReadOnlyList<CsmsViolationExample> b) =>
        [.. a.Concat(b)
            .GroupBy(e => e.Kind, StringComparer.Ordinal)
            .SelectMany(g => g.OrderBy(e => e.At).Take(CsmsViolationKinds.ExamplesPerKind))
            .OrderBy(e => e.At)];

    /// <summary>
    /// The same counts and histograms with the "now" gauges (connected, booted, active sessions, queued) at zero: the last
    /// word of a node that died, whose charge points are no longer where it said.
    /// </summary>
    public StatisticsSnapshot WithoutLiveGauges() => new()
    {
        Nodes = Nodes,
        CapturedAt = CapturedAt,
        Calls = Calls,
        MessagesSent = MessagesSent,
        MessagesReceived = MessagesReceived,
        ConnectionAttempts = ConnectionAttempts,
        SecurityEvents = SecurityEvents,
        FileTransfers = FileTransfers,
        ConnectTime = ConnectTime,
        TlsHandshake = TlsHandshake,
        UpgradeTime = UpgradeTime,
        SchedulerLag = SchedulerLag,
        Reconnects = Reconnects,
        ConnectedPeak = ConnectedPeak,
        BootedPeak = BootedPeak,
        SessionsStarted = SessionsStarted,
        SessionsCompleted = SessionsCompleted,
        SessionsActivePeak = SessionsActivePeak,
        EnergyWh = EnergyWh,
        Ledger = Ledger,
        CsmsViolations = CsmsViolations,
        CsmsViolationExamples = CsmsViolationExamples,
    };

    /// <summary>A compact binary form; histograms use HdrHistogram's compressed encoding.</summary>
    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(FormatVersion);
            w.Write(Nodes.Count);
            foreach (var node in Nodes)
            {
                w.Write(node);
            }

            w.Write(CapturedAt.UtcTicks);
            w.Write(Calls.Count);
            foreach (var (key, c) in Calls)
            {
                w.Write(key.Action);
                w.Write(key.Direction);
                w.Write(key.OcppVersion);
                w.Write(c.Count);
                w.Write(c.Ok);
                w.Write(c.Timeouts);
                WriteCounts(w, c.ErrorsByCode);
                WriteHistogram(w, c.RoundTrip);
                WriteHistogram(w, c.QueueWait);
                WriteHistogram(w, c.FromIntended);
                WriteCounts(w, c.ResultsByStatus);
            }

            WriteCounts(w, MessagesSent);
            WriteCounts(w, MessagesReceived);
            WriteCounts(w, ConnectionAttempts);
            WriteCounts(w, SecurityEvents);
            WriteHistogram(w, ConnectTime);
            WriteHistogram(w, TlsHandshake);
            WriteHistogram(w, UpgradeTime);
            WriteHistogram(w, SchedulerLag);
            foreach (var value in (ReadOnlySpan<long>)[Reconnects, ConnectedNow, ConnectedPeak, BootedNow, BootedPeak, SessionsStarted, SessionsCompleted, SessionsActive, OfflineQueueDepth, SessionsActivePeak])
            {
                w.Write(value);
            }

            w.Write(EnergyWh);
            w.Write(Ledger is not null);
            if (Ledger is not null)
            {
                w.Write(Ledger.Produced);
                w.Write(Ledger.Delivered);
                w.Write(Ledger.Lost);
                w.Write(Ledger.DuplicatesRecognised);
            }

            WriteCounts(w, FileTransfers);
            w.Write(CsmsViolations.Count);
            foreach (var (key, value) in CsmsViolations)
            {
                w.Write(key.Kind);
                w.Write(key.Action);
                w.Write(value);
            }

            w.Write(CsmsViolationExamples.Count);
            foreach (var example in CsmsViolationExamples)
            {
                w.Write(example.Kind);
                w.Write(example.ChargePointId);
                w.Write(example.At.UtcTicks);
                w.Write(example.Action is not null);
                if (example.Action is not null)
                {
                    w.Write(example.Action);
                }

                w.Write(example.Detail);
            }
        }

        return stream.ToArray();
    }

    public static StatisticsSnapshot FromBytes(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var r = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        if (r.ReadUInt32() != Magic)
        {
            throw new InvalidDataException("not a FleetSim statistics snapshot (bad magic number)");
        }

        var version = r.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"unsupported statistics snapshot format version {version}; expected {FormatVersion}");
        }

        var nodes = new string[r.ReadInt32()];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = r.ReadString();
        }

        var capturedAt = new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero);
        var callCount = r.ReadInt32();
        var calls = new Dictionary<CallKey, CallStatistics>(callCount);
        for (var i = 0; i < callCount; i++)
        {
            var key = new CallKey(r.ReadString(), r.ReadString(), r.ReadString());
            calls[key] = new CallStatistics(r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), ReadCounts(r), ReadHistogram(r), ReadHistogram(r), ReadHistogram(r), ReadCounts(r));
        }

        var sent = ReadCounts(r);
        var received = ReadCounts(r);
        var attempts = ReadCounts(r);
        var security = ReadCounts(r);
        var connect = ReadHistogram(r);
        var tls = ReadHistogram(r);
        var upgrade = ReadHistogram(r);
        var lag = ReadHistogram(r);
        var longs = new long[10];
        for (var i = 0; i < longs.Length; i++)
        {
            longs[i] = r.ReadInt64();
        }

        var energy = r.ReadDouble();
        var ledger = r.ReadBoolean() ? new LedgerCounts(r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64()) : null;
        var transfers = ReadCounts(r);
        var violations = new Dictionary<CsmsViolationKey, long>();
        for (var n = r.ReadInt32(); n > 0; n--)
        {
            violations[new CsmsViolationKey(r.ReadString(), r.ReadString())] = r.ReadInt64();
        }

        var examples = new CsmsViolationExample[r.ReadInt32()];
        for (var i = 0; i < examples.Length; i++)
        {
            examples[i] = new CsmsViolationExample(r.ReadString(), r.ReadString(), new DateTimeOffset(r.ReadInt64(), TimeSpan.Zero), r.ReadBoolean() ? r.ReadString() : null, r.ReadString());
        }

        return new StatisticsSnapshot
        {
            Nodes = nodes,
            CapturedAt = capturedAt,
            Calls = calls,
            MessagesSent = sent,
            MessagesReceived = received,
            ConnectionAttempts = attempts,
            SecurityEvents = security,
            FileTransfers = transfers,
            ConnectTime = connect,
            TlsHandshake = tls,
            UpgradeTime = upgrade,
            SchedulerLag = lag,
            Reconnects = longs[0],
            ConnectedNow = longs[1],
            ConnectedPeak = longs[2],
            BootedNow = longs[3],
            BootedPeak = longs[4],
            SessionsStarted = longs[5],
            SessionsCompleted = longs[6],
            SessionsActive = longs[7],
            OfflineQueueDepth = longs[8],
            SessionsActivePeak = longs[9],
            EnergyWh = energy,
            Ledger = ledger,
            CsmsViolations = violations,
            CsmsViolationExamples = examples,
        };
    }

    internal static Dictionary<string, long> Sum(IReadOnlyDictionary<string, long> a, IReadOnlyDictionary<string, long> b)
    {
        var sum = new Dictionary<string, long>(a, StringComparer.Ordinal);
        foreach (var (key, value) in b)
        {
            sum[key] = sum.GetValueOrDefault(key) + value;
        }

        return sum;
    }

    private static void WriteCounts(BinaryWriter w, IReadOnlyDictionary<string, long> counts)
    {
        w.Write(counts.Count);
        foreach (var (key, value) in counts)
        {
            w.Write(key);
            w.Write(value);
        }
    }

    private static Dictionary<string, long> ReadCounts(BinaryReader r)
    {
        var n = r.ReadInt32();
        var counts = new Dictionary<string, long>(n, StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            counts[r.ReadString()] = r.ReadInt64();
        }

        return counts;
    }

    private static void WriteHistogram(BinaryWriter w, LatencyHistogram histogram)
    {
        var bytes = histogram.ToCompressedBytes();
        w.Write(bytes.Length);
        w.Write(bytes);
    }

    private static LatencyHistogram ReadHistogram(BinaryReader r)
    {
        var length = r.ReadInt32();
        return LatencyHistogram.FromCompressedBytes(r.ReadBytes(length));
    }
}
