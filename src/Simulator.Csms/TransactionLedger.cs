using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Csms;

public enum TransactionMessageKind
{
    Start,
    Stop,
    MeterValues,
    /// <summary>An OCPP 2.0.1 TransactionEvent, identified by its transaction id and seqNo.</summary>
    TransactionEvent,
}

/// <summary>
/// A transaction message as a charge point says it produced it (and as the ledger records it). Identity by kind:
/// Start = (ChargeBoxId, ConnectorId, IdTag, Timestamp, MeterStart); Stop = (ChargeBoxId, TransactionId);
/// MeterValues = (ChargeBoxId, TransactionId, Timestamp) with one record per sampled meterValue — or, without a
/// transaction id, (ChargeBoxId, ConnectorId, Timestamp); TransactionEvent (2.0.1) = (ChargeBoxId, EventTransactionId,
/// SeqNo), the connector being the EVSE id.
/// </summary>
public sealed record ProducedTransactionMessage(
    string ChargeBoxId,
    TransactionMessageKind Kind,
    int ConnectorId,
    string? IdTag,
    DateTimeOffset Timestamp,
    int? MeterStart = null,
    int? TransactionId = null,
    string? EventTransactionId = null,
    int? SeqNo = null);

public sealed record LedgerCounts(long StartsDelivered, long StopsDelivered, long MeterValuesDelivered, long Resent, long OutOfOrder)
{
    public long Delivered => StartsDelivered + StopsDelivered + MeterValuesDelivered;
}

/// <summary>The ledger: the top-level counts are OCPP 1.6's (Start/Stop/MeterValues); <see cref="Ocpp201"/> is 2.0.1's TransactionEvents.</summary>
public sealed record LedgerReport(LedgerCounts Total, IReadOnlyDictionary<string, LedgerCounts> PerChargePoint, long Transactions, long OpenTransactions)
{
    /// <summary>Stops recorded (resends not counted) by their reason; a Stop without one counts as Local, the protocol's default.</summary>
    public IReadOnlyDictionary<string, long> StopReasons { get; init; } = new Dictionary<string, long>();

    /// <summary>OCPP 2.0.1 TransactionEvents, by transaction id and seqNo.</summary>
    public TransactionEventReport Ocpp201 { get; init; } = TransactionEventReport.Empty;
}

public sealed record LossReport(
    int Produced,
    int Recorded,
    int Lost,
    IReadOnlyList<ProducedTransactionMessage> LostExamples,
    int Unexpected,
    IReadOnlyList<ProducedTransactionMessage> UnexpectedExamples);

/// <summary>Whether the ledger recorded a produced message (<see cref="TransactionLedger.Lookup"/>).</summary>
public enum LedgerRecord : byte
{
    NotRecorded,
    Recorded,
    /// <summary>Recorded, under the same key as an earlier message of the same look-up.</summary>
    RecordedAgain,
}

/// <summary>What the ledger made of one StartTransaction.</summary>
public readonly record struct StartRecorded(int TransactionId, bool Resent, bool OutOfOrder);

/// <summary>
/// Records every StartTransaction, StopTransaction and MeterValues received, recognises legitimate resends (at-least-once
/// delivery after a lost reply) and messages arriving out of order, and reconciles against what the charge points produced.
/// Transaction ids are handed out here: unique and increasing; a resent Start gets the id of its first delivery. OCPP 2.0.1
/// TransactionEvents are kept beside them (TransactionLedger.TransactionEvents.cs). Thread-safe.
/// </summary>
public sealed partial class TransactionLedger
{
    private readonly Lock _lock = new();
    private readonly Dictionary<LedgerKey, ProducedTransactionMessage> _entries = [];
    private readonly Dictionary<int, TransactionTrack> _transactions = [];
    private readonly Dictionary<(string, int), long> _lastOnConnector = [];
    private readonly Dictionary<string, MutableCounts> _perChargePoint = new(StringComparer.Ordinal);
    private readonly MutableCounts _total = new();
    private readonly Dictionary<string, long> _stopReasons = new(StringComparer.Ordinal);
    private int _lastTransactionId;
    private long _open;

    public StartRecorded RecordStart(string chargeBoxId, StartTransactionRequest request)
    {
        var message = new ProducedTransactionMessage(chargeBoxId, TransactionMessageKind.Start, request.ConnectorId, request.IdTag, request.Timestamp, request.MeterStart);
        var key = LedgerKey.Of(message);
        lock (_lock)
        {
            var counts = CountsOf(chargeBoxId);
            if (_entries.TryGetValue(key, out var first))
            {
                Count(counts, c => c.Resent++);
                return new StartRecorded(first.TransactionId!.Value, Resent: true, OutOfOrder: false);
            }
            var transactionId = ++_lastTransactionId;
            _entries[key] = message with { TransactionId = transactionId };
            var ticks = request.Timestamp.UtcTicks;
            var connectorKey = (chargeBoxId, request.ConnectorId);
            var outOfOrder = _lastOnConnector.TryGetValue(connectorKey, out var last) && ticks < last;
            _lastOnConnector[connectorKey] = Math.Max(ticks, last);
            _transactions[transactionId] = new TransactionTrack(chargeBoxId, request.ConnectorId, ticks);
            _open++;
            Count(counts, c => c.Starts++);
            if (outOfOrder)
            {
                Count(counts, c => c.OutOfOrder++);
            }
            return new StartRecorded(transactionId, Resent: false, outOfOrder);
        }
    }

    /// <summary>Records a StopTransaction; returns false when it is a resend of a Stop already recorded.</summary>
    public bool RecordStop(string chargeBoxId, StopTransactionRequest request)
    {
        lock (_lock)
        {
            var counts = CountsOf(chargeBoxId);
            _transactions.TryGetValue(request.TransactionId, out var track);
            var message = new ProducedTransactionMessage(chargeBoxId, TransactionMessageKind.Stop, track?.ConnectorId ?? 0, request.IdTag, request.Timestamp, TransactionId: request.TransactionId);
            var key = LedgerKey.Of(message);
            if (_entries.ContainsKey(key))
            {
                Count(counts, c => c.Resent++);
                return false;
            }
            _entries[key] = message;
            Count(counts, c => c.Stops++);
            var reason = (request.Reason ?? StopReason.Local).ToString();
            _stopReasons[reason] = _stopReasons.GetValueOrDefault(reason) + 1;
            var ticks = request.Timestamp.UtcTicks;
            // A Stop before its Start (or for a transaction this CSMS never issued) is out of order; so is one older than the transaction's last message.
            if (track is null || !string.Equals(track.ChargeBoxId, chargeBoxId, StringComparison.Ordinal) || ticks < track.LastTicks)
            {
                Count(counts, c => c.OutOfOrder++);
            }
            if (track is not null && !track.Stopped)
            {
                track.Stopped = true;
                track.LastTicks = Math.Max(track.LastTicks, ticks);
                _open--;
                var connectorKey = (track.ChargeBoxId, track.ConnectorId);
                _lastOnConnector[connectorKey] = Math.Max(ticks, _lastOnConnector.GetValueOrDefault(connectorKey));
            }
            return true;
        }
    }

    /// <summary>Records each sampled meterValue of a MeterValues; returns how many samples were new (the rest were resends).</summary>
    public int RecordMeterValues(string chargeBoxId, MeterValuesRequest request)
    {
        var fresh = 0;
        lock (_lock)
        {
            var counts = CountsOf(chargeBoxId);
            TransactionTrack? track = null;
            if (request.TransactionId is { } txId)
            {
                _transactions.TryGetValue(txId, out track);
            }
            foreach (var sample in request.MeterValue)
            {
                var message = new ProducedTransactionMessage(chargeBoxId, TransactionMessageKind.MeterValues, request.ConnectorId, null, sample.Timestamp, TransactionId: request.TransactionId);
                var key = LedgerKey.Of(message);
                if (_entries.ContainsKey(key))
                {
                    Count(counts, c => c.Resent++);
                    continue;
                }
                _entries[key] = message;
                fresh++;
                Count(counts, c => c.MeterValues++);
                if (request.TransactionId is null)
                {
                    continue;
                }
                var ticks = sample.Timestamp.UtcTicks;
                if (track is null || ticks < track.LastTicks)
                {
                    Count(counts, c => c.OutOfOrder++);
                }
                if (track is not null)
                {
                    track.LastTicks = Math.Max(track.LastTicks, ticks);
                }
            }
        }
        return fresh;
    }

    public LedgerReport Report()
    {
        lock (_lock)
        {
            var per = _perChargePoint.ToDictionary(p => p.Key, p => p.Value.Freeze(), StringComparer.Ordinal);
            return new LedgerReport(_total.Freeze(), per, _transactions.Count, _open)
            {
                StopReasons = new Dictionary<string, long>(_stopReasons, StringComparer.Ordinal),
                Ocpp201 = TransactionEventReportLocked(),
            };
        }
    }

    /// <summary>The 1.6 totals alone, without copying the per-charge-point counts.</summary>
    public LedgerCounts CountsTotal()
    {
        lock (_lock)
        {
            return _total.Freeze();
        }
    }

    public LedgerCounts CountsFor(string chargeBoxId)
    {
        lock (_lock)
        {
            return _perChargePoint.TryGetValue(chargeBoxId, out var c) ? c.Freeze() : new MutableCounts().Freeze();
        }
    }

    /// <summary>
    /// Compares what the charge points produced with what arrived: lost = produced but never recorded, unexpected = recorded
    /// but not produced (over the whole ledger). A message produced once and delivered twice counts once and is not lost.
    /// </summary>
    public LossReport Reconcile(IEnumerable<ProducedTransactionMessage> produced, int maxExamples = 10)
    {
        var producedKeys = new Dictionary<LedgerKey, ProducedTransactionMessage>();
        foreach (var message in produced)
        {
            producedKeys.TryAdd(LedgerKey.Of(message), message);
        }
        List<ProducedTransactionMessage> lostExamples = [];
        List<ProducedTransactionMessage> unexpectedExamples = [];
        int lost = 0, unexpected = 0, recorded;
        lock (_lock)
        {
            recorded = _entries.Count;
            foreach (var (key, message) in producedKeys)
            {
                if (!_entries.ContainsKey(key) && ++lost <= maxExamples)
                {
                    lostExamples.Add(message);
                }
            }
            foreach (var (key, message) in _entries)
            {
                if (!producedKeys.ContainsKey(key) && ++unexpected <= maxExamples)
                {
                    unexpectedExamples.Add(message);
                }
            }
        }
        return new LossReport(producedKeys.Count, recorded, lost, lostExamples, unexpected, unexpectedExamples);
    }

    /// <summary>
    /// Whether each produced message was recorded, in order: the loss check's look-up during the run. Unlike
    /// <see cref="Reconcile"/> it does not walk the whole ledger, and it holds the lock for a slice at a time, so the
    /// recording of arriving messages waits at most one slice.
    /// </summary>
    public LedgerRecord[] Lookup(IReadOnlyList<ProducedTransactionMessage> produced)
    {
        ArgumentNullException.ThrowIfNull(produced);
        const int Slice = 1024;
        var answers = new LedgerRecord[produced.Count];
        var seen = new HashSet<LedgerKey>();
        var keys = new LedgerKey[Math.Min(Slice, produced.Count)];
        for (var start = 0; start < produced.Count; start += Slice)
        {
            var count = Math.Min(Slice, produced.Count - start);
            for (var i = 0; i < count; i++)
            {
                keys[i] = LedgerKey.Of(produced[start + i]);
            }
            lock (_lock)
            {
                for (var i = 0; i < count; i++)
                {
                    answers[start + i] = _entries.ContainsKey(keys[i]) ? LedgerRecord.Recorded : LedgerRecord.NotRecorded;
                }
            }
            for (var i = 0; i < count; i++)
            {
                if (answers[start + i] == LedgerRecord.Recorded && !seen.Add(keys[i]))
                {
                    answers[start + i] = LedgerRecord.RecordedAgain;
                }
            }
        }
        return answers;
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            _transactions.Clear();
            _lastOnConnector.Clear();
            _perChargePoint.Clear();
            _stopReasons.Clear();
            _total.Reset();
            _open = 0;
            ClearTransactionEventsLocked();
        }
    }

    private MutableCounts CountsOf(string chargeBoxId)
    {
        if (!_perChargePoint.TryGetValue(chargeBoxId, out var counts))
        {
            counts = new MutableCounts();
            _perChargePoint[chargeBoxId] = counts;
        }
        return counts;
    }

    private void Count(MutableCounts counts, Action<MutableCounts> increment)
    {
        increment(counts);
        increment(_total);
    }

    private sealed class TransactionTrack(string chargeBoxId, int connectorId, long startTicks)
    {
        public string ChargeBoxId { get; } = chargeBoxId;
        public int ConnectorId { get; } = connectorId;
        public long LastTicks { get; set; } = startTicks;
        public bool Stopped { get; set; }
    }

    private sealed class MutableCounts
    {
        public long Starts, Stops, MeterValues, Resent, OutOfOrder;

        public LedgerCounts Freeze() => new(Starts, Stops, MeterValues, Resent, OutOfOrder);

        public void Reset() => Starts = Stops = MeterValues = Resent = OutOfOrder = 0;
    }

    /// <remarks>
    /// A 2.0.1 TransactionEvent's (transactionId, seqNo) ride in the <see cref="IdTag"/> and <see cref="MeterStart"/> slots,
    /// which its kind never uses otherwise: the key stays as small as it was for the 1.6 messages a big run holds millions of.
    /// </remarks>
    private readonly record struct LedgerKey(TransactionMessageKind Kind, string ChargeBoxId, int ConnectorId, string? IdTag, long Ticks, int? MeterStart, int? TransactionId)
    {
        public static LedgerKey Of(ProducedTransactionMessage m) => m.Kind switch
        {
            TransactionMessageKind.Start => new(m.Kind, m.ChargeBoxId, m.ConnectorId, m.IdTag, WireTicks(m.Timestamp), m.MeterStart, null),
            TransactionMessageKind.Stop => new(m.Kind, m.ChargeBoxId, 0, null, 0, null, m.TransactionId),
            TransactionMessageKind.TransactionEvent => new(m.Kind, m.ChargeBoxId, 0, m.EventTransactionId, 0, m.SeqNo, null),
            _ => new(m.Kind, m.ChargeBoxId, m.TransactionId is null ? m.ConnectorId : 0, null, WireTicks(m.Timestamp), null, m.TransactionId),
        };

        /// <summary>Times compare at the wire's precision: payload date-times carry milliseconds, the charge point's clock finer ticks.</summary>
        private static long WireTicks(DateTimeOffset timestamp) => timestamp.UtcTicks - (timestamp.UtcTicks % TimeSpan.TicksPerMillisecond);
    }
}
