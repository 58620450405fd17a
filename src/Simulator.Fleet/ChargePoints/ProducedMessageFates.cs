using Simulator.ChargePoint;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V201.Transactions;

namespace Simulator.Fleet.ChargePoints;

/// <summary>
/// One charge point's produced transaction messages and what became of each: answered by the CSMS, given up, or (at the
/// stop) still queued. The model names a given-up message only by kind, connector and transaction; its queue is first in,
/// first out, so it is the oldest of those not yet answered or given up. An answer is matched by the fields the CSMS's
/// ledger keys on (StartTransaction: connector, timestamp, meterStart; StopTransaction: timestamp, meterStop; MeterValues:
/// connector and the first sample's timestamp; a 2.0.1 TransactionEvent: transaction id and seqNo).
/// </summary>
/// <remarks>
/// A long run produces millions of these and keeps every one until the stop (the loss check needs each message's identity).
/// So an entry is a struct without references in fixed-size chunks (the first one grows up to that size, for charge points
/// that produce little; a chunk is never copied or replaced once full, and stays below the large object heap), and the few strings (idTag of a start or stop, a 2.0.1
/// transaction id) sit once per transaction in a side list: the entries never point at young objects, so a gen0 collection
/// neither scans nor promotes anything for them. <see cref="ProducedTransactionMessage"/> records are made only at the stop.
/// With a <see cref="SettledMessageFold"/> (a run whose loss check can read the CSMS's ledger during the run), the entries
/// whose fate is settled leave in batches as the charge point goes (<see cref="TakeSettled"/>): what stays is what is still
/// undecided (queued, in flight), so the memory follows the offline queue, not the length of the run.
/// </remarks>
public sealed class ProducedMessageFates(SettledMessageFold? fold = null, string chargeBoxId = "")
{
    private const int NoString = -1;
    /// <summary>How far back <see cref="StringIndex"/> looks for the same string (one transaction's messages come close together).</summary>
    private const int StringReuseWindow = 8;
    private const int ChunkShift = 7;
    private const int ChunkSize = 1 << ChunkShift;
    private const int ChunkMask = ChunkSize - 1;
    /// <summary>With a fold, the settled entries leave when the entries fill what is allocated, from this many on: a charge
    /// point whose messages are answered promptly keeps one small chunk, and hands over batches of about this size.</summary>
    private const int TakeFrom = 32;
    /// <summary>As <see cref="TakeFrom"/> for a fold that only counts (no ledger to look them up in): there is no batch to make,
    /// so the first chunk (8 entries) is not grown at all. A chunk grown while a fleet runs outlives the next gen0 collections.</summary>
    private const int CountFrom = 8;

    private readonly List<Entry[]> _chunks = [];
    private int _count;
    private readonly List<string> _strings = [];
    /// <summary>Entries before this one all have their fate (most answers come in order, so a search starts here).</summary>
    private int _firstOpen;
    private Dictionary<long, int>? _transactionIds;   // on the first transaction: most charge points of an idle fleet never have one

    /// <summary>The entries held (with a fold, the ones not yet handed to it).</summary>
    public int Count => _count;

    /// <summary>The CSMS's transaction id for a local transaction, learnt after some of its messages were produced.</summary>
    public void TransactionIdLearnt(long localTransactionRef, int transactionId) => (_transactionIds ??= [])[localTransactionRef] = transactionId;

    public void Produced(in TransactionMessageProduced produced)
    {
        if (fold is not null && _count >= (fold.KeepsMessages ? TakeFrom : CountFrom) && _count == Capacity)
        {
            TakeSettled();
        }
        ref var entry = ref Append();
        entry.UtcTicks = produced.Timestamp.UtcTicks;
        entry.OffsetMinutes = (short)(produced.Timestamp.Offset.Ticks / TimeSpan.TicksPerMinute);
        entry.LocalTransactionRef = produced.LocalTransactionRef;
        entry.ConnectorId = produced.ConnectorId;
        entry.Kind = KindOf(produced.Kind);
        entry.Fate = ProducedFate.Unknown;
        entry.MeterWh = produced.MeterWh ?? 0;
        entry.TransactionId = produced.TransactionId ?? 0;
        entry.SeqNo = produced.SeqNo ?? 0;
        entry.Has = (produced.MeterWh.HasValue ? Present.MeterWh : 0) | (produced.TransactionId.HasValue ? Present.TransactionId : 0)
            | (produced.SeqNo.HasValue ? Present.SeqNo : 0);
        entry.IdTag = StringIndex(produced.IdTag);
        entry.EventTransactionId = StringIndex(produced.TransactionKey);
    }

    /// <summary>The CSMS answered a transaction message (a CALLRESULT, whatever its status).</summary>
    public void Answered(IOcppRequest request)
    {
        var probe = request switch
        {
            StartTransactionRequest start => new Probe(Match.Start, start.ConnectorId, start.Timestamp.UtcTicks, start.MeterStart),
            StopTransactionRequest stop => new Probe(Match.Stop, 0, stop.Timestamp.UtcTicks, stop.MeterStop),
            MeterValuesRequest { MeterValue.Count: > 0 } meterValues => new Probe(Match.MeterValues, meterValues.ConnectorId, meterValues.MeterValue[0].Timestamp.UtcTicks),
            TransactionEventRequest transactionEvent => new Probe(Match.TransactionEvent, 0, 0, transactionEvent.SeqNo) { EventTransactionId = transactionEvent.TransactionInfo.TransactionId },
            _ => default,
        };
        if (probe.Match != Match.None && FirstOpen(probe) is var index and >= 0)
        {
            At(index).Fate = ProducedFate.Acknowledged;
        }
    }

    /// <summary>The model dropped a transaction message (<see cref="TransactionMessageAbandoned"/>).</summary>
    public void GivenUp(TransactionMessageKind kind, int connectorId, long localTransactionRef)
    {
        if (kind is not (TransactionMessageKind.StartTransaction or TransactionMessageKind.StopTransaction or TransactionMessageKind.MeterValues))
        {
            return;
        }

        if (FirstOpen(new Probe(Match.GivenUp, connectorId, 0) { Kind = KindOf(kind), LocalTransactionRef = localTransactionRef }) is var index and >= 0)
        {
            At(index).Fate = ProducedFate.GivenUp;
        }
    }

    /// <summary>
    /// At the stop: every message with its fate (neither answered nor given up: still queued) and its transaction id where the
    /// charge point learnt it after producing the message.
    /// </summary>
    public IReadOnlyList<ProducedTransactionMessage> AtStop() => AtStop(_transactionIds ?? []);

    /// <inheritdoc cref="AtStop()"/>
    public IReadOnlyList<ProducedTransactionMessage> AtStop(IReadOnlyDictionary<long, int> transactionIds)
    {
        ArgumentNullException.ThrowIfNull(transactionIds);
        var messages = new ProducedTransactionMessage[_count];
        for (var i = 0; i < _count; i++)
        {
            ref readonly var e = ref At(i);
            messages[i] = ToMessage(e, _strings, transactionIds, ProducedFate.StillQueued);
        }

        return messages;
    }

    /// <summary>
    /// Hands the settled entries at the front (answered or given up, with every field of their ledger key known) to the fold,
    /// and keeps the rest: those still open, and the few settled ones whose transaction id may yet be learnt. Runs when at
    /// least half of the entries are settled, so its copying costs a constant per message; otherwise the entries grow as before.
    /// </summary>
    internal void TakeSettled()
    {
        if (fold is null)
        {
            return;
        }
        while (_firstOpen < _count && At(_firstOpen).Fate != ProducedFate.Unknown)
        {
            _firstOpen++;
        }
        if (_firstOpen == 0 || _firstOpen * 2 < _count)
        {
            return;
        }

        // Without a look-up the fold only counts them: nothing to copy.
        var taken = fold.KeepsMessages ? new Entry[_firstOpen] : null;
        var takenCount = 0;
        var takenStrings = taken is null ? null : new List<string>();
        HashSet<long>? stoppedTransactions = null;
        var kept = 0;
        for (var i = 0; i < _count; i++)
        {
            ref var e = ref At(i);
            if (i < _firstOpen && KeyKnown(ref e))
            {
                if (taken is not null)
                {
                    ref var t = ref taken[takenCount];
                    t = e;
                    t.IdTag = Remap(e.IdTag, _strings, takenStrings!);
                    t.EventTransactionId = Remap(e.EventTransactionId, _strings, takenStrings!);
                }
                takenCount++;
                if (e.Kind == ProducedKind.StopTransaction)
                {
                    (stoppedTransactions ??= []).Add(e.LocalTransactionRef);
                }
            }
            else
            {
                if (kept != i)
                {
                    At(kept) = e;
                }
                kept++;
            }
        }
        if (takenCount == 0)
        {
            return;
        }

        _count = kept;
        _firstOpen = 0;
        CompactStrings(stoppedTransactions);
        if (taken is null)
        {
            fold.Count(takenCount);
        }
        else
        {
            fold.Add(new SettledBatch(chargeBoxId, taken, takenCount, [.. takenStrings!]));
        }
    }

    /// <summary>Every field of its ledger key is known: its transaction id, where the key needs one, is set (learnt ids filled in here).</summary>
    private bool KeyKnown(ref Entry e)
    {
        if ((e.Has & (Present.TransactionId | Present.SeqNo)) != 0 || e.Kind == ProducedKind.StartTransaction)
        {
            return true;
        }
        if (_transactionIds is not null && _transactionIds.TryGetValue(e.LocalTransactionRef, out var id))
        {
            e.TransactionId = id;
            e.Has |= Present.TransactionId;
            return true;
        }
        return false;
    }

    private static int Remap(int index, List<string> from, List<string> to)
    {
        if (index == NoString)
        {
            return NoString;
        }
        var value = from[index];
        for (var i = to.Count - 1; i >= 0 && i >= to.Count - StringReuseWindow; i--)
        {
            if (ReferenceEquals(to[i], value))
            {
                return i;
            }
        }
        to.Add(value);
        return to.Count - 1;
    }

    /// <summary>
    /// Keeps the side list's strings that the entries left still name, and the transaction ids they may still need: an id
    /// goes once its transaction's StopTransaction has left and no entry left belongs to the transaction.
    /// </summary>
    private void CompactStrings(HashSet<long>? stoppedTransactions)
    {
        if (_strings.Count == 0 && stoppedTransactions is null)
        {
            return;
        }
        List<string> strings = [];
        for (var i = 0; i < _count; i++)
        {
            ref var e = ref At(i);
            e.IdTag = Remap(e.IdTag, _strings, strings);
            e.EventTransactionId = Remap(e.EventTransactionId, _strings, strings);
            stoppedTransactions?.Remove(e.LocalTransactionRef);
        }
        _strings.Clear();
        _strings.AddRange(strings);
        if (stoppedTransactions is not null && _transactionIds is not null)
        {
            foreach (var localRef in stoppedTransactions)
            {
                _transactionIds.Remove(localRef);
            }
        }
    }

    internal static ProducedTransactionMessage ToMessage(in Entry e, IReadOnlyList<string> strings, IReadOnlyDictionary<long, int> transactionIds, ProducedFate unknownAs)
    {
        int? transactionId = (e.Has & Present.TransactionId) != 0 ? e.TransactionId
            : transactionIds.TryGetValue(e.LocalTransactionRef, out var id) ? id : null;
        return new ProducedTransactionMessage(
            e.Kind,
            e.ConnectorId,
            e.IdTag == NoString ? null : strings[e.IdTag],
            new DateTimeOffset(e.UtcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(e.OffsetMinutes)),
            e.Kind == ProducedKind.StartTransaction && (e.Has & Present.MeterWh) != 0 ? e.MeterWh : null,
            transactionId,
            e.LocalTransactionRef,
            e.Fate == ProducedFate.Unknown ? unknownAs : e.Fate)
        {
            EventTransactionId = e.EventTransactionId == NoString ? null : strings[e.EventTransactionId],
            SeqNo = (e.Has & Present.SeqNo) != 0 ? e.SeqNo : null,
        };
    }

    private static ProducedKind KindOf(TransactionMessageKind kind) => kind switch
    {
        TransactionMessageKind.StartTransaction => ProducedKind.StartTransaction,
        TransactionMessageKind.StopTransaction => ProducedKind.StopTransaction,
        _ => ProducedKind.MeterValues,
    };

    private int Capacity => _chunks.Count == 1 ? _chunks[0].Length : _chunks.Count * ChunkSize;

    private ref Entry At(int index) => ref _chunks[index >> ChunkShift][index & ChunkMask];

    private ref Entry Append()
    {
        var chunk = _count >> ChunkShift;
        // Chunks emptied by TakeSettled stay and are filled again.
        if (chunk == _chunks.Count)
        {
            _chunks.Add(new Entry[chunk == 0 ? 8 : ChunkSize]);
        }
        else if (chunk == 0 && _count == _chunks[0].Length)
        {
            var first = _chunks[0];
            Array.Resize(ref first, first.Length * 2);
            _chunks[0] = first;
        }

        return ref _chunks[chunk][_count++ & ChunkMask];
    }

    /// <summary>The oldest entry without a fate that the probe matches, or -1.</summary>
    private int FirstOpen(in Probe probe)
    {
        while (_firstOpen < _count && At(_firstOpen).Fate != ProducedFate.Unknown)
        {
            _firstOpen++;
        }

        for (var i = _firstOpen; i < _count; i++)
        {
            ref readonly var e = ref At(i);
            if (e.Fate == ProducedFate.Unknown && Matches(e, probe))
            {
                return i;
            }
        }

        return -1;
    }

    private bool Matches(in Entry e, in Probe probe) => probe.Match switch
    {
        Match.Start => e.Kind == ProducedKind.StartTransaction && e.ConnectorId == probe.ConnectorId && e.UtcTicks == probe.UtcTicks
            && (e.Has & Present.MeterWh) != 0 && e.MeterWh == probe.Number,
        Match.Stop => e.Kind == ProducedKind.StopTransaction && e.UtcTicks == probe.UtcTicks && (e.Has & Present.MeterWh) != 0 && e.MeterWh == probe.Number,
        Match.MeterValues => e.Kind == ProducedKind.MeterValues && e.ConnectorId == probe.ConnectorId && e.UtcTicks == probe.UtcTicks,
        Match.TransactionEvent => (e.Has & Present.SeqNo) != 0 && e.SeqNo == probe.Number
            && string.Equals(StringAt(e.EventTransactionId), probe.EventTransactionId, StringComparison.Ordinal),
        Match.GivenUp => e.Kind == probe.Kind && e.ConnectorId == probe.ConnectorId && e.LocalTransactionRef == probe.LocalTransactionRef,
        _ => false,
    };

    private int StringIndex(string? value)
    {
        if (value is null)
        {
            return NoString;
        }

        for (var i = _strings.Count - 1; i >= 0 && i >= _strings.Count - StringReuseWindow; i--)
        {
            if (string.Equals(_strings[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        _strings.Add(value);
        return _strings.Count - 1;
    }

    private string? StringAt(int index) => index == NoString ? null : _strings[index];

    private enum Match : byte
    {
        None,
        Start,
        Stop,
        MeterValues,
        TransactionEvent,
        GivenUp,
    }

    [Flags]
    internal enum Present : byte
    {
        MeterWh = 1,
        TransactionId = 2,
        SeqNo = 4,
    }

    /// <summary>What an answer or a give-up names: <see cref="Number"/> is meterStart, meterStop or seqNo.</summary>
    private readonly record struct Probe(Match Match, int ConnectorId, long UtcTicks, int Number = 0)
    {
        public ProducedKind Kind { get; init; }
        public long LocalTransactionRef { get; init; }
        public string? EventTransactionId { get; init; }
    }

    /// <summary>One produced message, without references (48 bytes): nullable fields are a value and a <see cref="Present"/> bit,
    /// strings an index into the side list (<see cref="NoString"/> for null).</summary>
    internal struct Entry
    {
        public long UtcTicks;
        public long LocalTransactionRef;
        public int ConnectorId;
        public int MeterWh;
        public int TransactionId;
        public int SeqNo;
        public int IdTag;
        public int EventTransactionId;
        public short OffsetMinutes;
        private byte _kind;
        private byte _fate;
        public Present Has;

        public ProducedKind Kind
        {
            readonly get => (ProducedKind)_kind;
            set => _kind = (byte)value;
        }

        public ProducedFate Fate
        {
            readonly get => (ProducedFate)_fate;
            set => _fate = (byte)value;
        }
    }
}
