using Simulator.Ocpp.V201.Transactions;

namespace Simulator.Csms;

/// <summary>
/// OCPP 2.0.1 TransactionEvents as the ledger counts them. <see cref="Lost"/>: seqNos missing below the highest one
/// received in a transaction (a station numbers a transaction's events 0, 1, 2, …); <see cref="Resent"/>: an event whose
/// (transactionId, seqNo) had already arrived; <see cref="OutOfOrder"/>: an event below the transaction's highest seqNo
/// that fills a gap; <see cref="Offline"/>: events flagged <c>offline</c> (queued while the station had no connection).
/// </summary>
public sealed record TransactionEventCounts(long Started, long Updated, long Ended, long Resent, long Lost, long Offline, long OutOfOrder)
{
    public long Delivered => Started + Updated + Ended;
}

/// <summary>One gap: the seqNos a transaction is missing (the first few of them).</summary>
public sealed record SeqNoGap(string ChargeBoxId, string TransactionId, int Missing, IReadOnlyList<int> SeqNos);

public sealed record TransactionEventReport(
    TransactionEventCounts Total,
    IReadOnlyDictionary<string, TransactionEventCounts> PerChargePoint,
    long Transactions,
    long OpenTransactions,
    IReadOnlyDictionary<string, long> StoppedReasons,
    IReadOnlyList<SeqNoGap> GapExamples)
{
    public static TransactionEventReport Empty { get; } = new(
        new TransactionEventCounts(0, 0, 0, 0, 0, 0, 0), new Dictionary<string, TransactionEventCounts>(), 0, 0, new Dictionary<string, long>(), []);
}

/// <summary>What the ledger made of one TransactionEvent.</summary>
public readonly record struct TransactionEventRecorded(bool Resent, bool OutOfOrder, int NewGaps);

public sealed partial class TransactionLedger
{
    private const int MaxGapExamples = 10;
    private const int MaxSeqNosPerGap = 10;

    private readonly Dictionary<(string ChargeBoxId, string TransactionId), EventTrack> _eventTransactions = [];
    private readonly Dictionary<string, MutableEventCounts> _eventsPerChargePoint = new(StringComparer.Ordinal);
    private readonly MutableEventCounts _eventsTotal = new();
    private readonly Dictionary<string, long> _stoppedReasons = new(StringComparer.Ordinal);
    private long _openEventTransactions;

    /// <summary>Records one TransactionEvent by (transactionId, seqNo): new, a resend of one already recorded, or one that fills a gap.</summary>
    public TransactionEventRecorded RecordTransactionEvent(string chargeBoxId, TransactionEventRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var transactionId = request.TransactionInfo.TransactionId;
        lock (_lock)
        {
            var counts = EventCountsOf(chargeBoxId);
            var key = EntryKey.TransactionEvent(NameId(chargeBoxId), NameId(transactionId), request.SeqNo);
            if (!_entries.TryAdd(key, new EntryValue(request.Evse?.Id ?? 0, NameId(request.IdToken?.Token), request.Timestamp)))
            {
                CountEvent(counts, c => c.Resent++);
                return new TransactionEventRecorded(Resent: true, OutOfOrder: false, NewGaps: 0);
            }
            if (!_eventTransactions.TryGetValue((chargeBoxId, transactionId), out var track))
            {
                track = new EventTrack();
                _eventTransactions[(chargeBoxId, transactionId)] = track;
                _openEventTransactions++;
            }
            var seqNo = request.SeqNo;
            var outOfOrder = seqNo >= 0 && seqNo < track.MaxSeqNo;
            var newGaps = 0;
            if (seqNo < 0)
            {
                // Not a sequence number a station numbers from 0: recorded, but no gap can be reckoned from it.
            }
            else if (outOfOrder)
            {
                // It fills one of the holes counted when a higher seqNo came first.
                CountEvent(counts, c => { c.OutOfOrder++; c.Lost--; });
                track.Received++;
            }
            else
            {
                newGaps = (int)Math.Min(int.MaxValue, seqNo - track.MaxSeqNo - 1);
                track.MaxSeqNo = seqNo;
                track.Received++;
                if (newGaps > 0)
                {
                    CountEvent(counts, c => c.Lost += newGaps);
                }
            }
            switch (request.EventType)
            {
                case TransactionEventKind.Started:
                    CountEvent(counts, c => c.Started++);
                    break;
                case TransactionEventKind.Updated:
                    CountEvent(counts, c => c.Updated++);
                    break;
                default:
                    CountEvent(counts, c => c.Ended++);
                    var reason = (request.TransactionInfo.StoppedReason ?? StopReason.Local).ToString();
                    _stoppedReasons[reason] = _stoppedReasons.GetValueOrDefault(reason) + 1;
                    if (!track.Ended)
                    {
                        track.Ended = true;
                        _openEventTransactions--;
                    }
                    break;
            }
            if (request.Offline == true)
            {
                CountEvent(counts, c => c.Offline++);
            }
            return new TransactionEventRecorded(Resent: false, outOfOrder, newGaps);
        }
    }

    public TransactionEventCounts TransactionEventCountsFor(string chargeBoxId)
    {
        lock (_lock)
        {
            return _eventsPerChargePoint.TryGetValue(chargeBoxId, out var c) ? c.Freeze() : new MutableEventCounts().Freeze();
        }
    }

    /// <summary>The 2.0.1 totals alone (the stats route reads them at every call; no per-transaction walk).</summary>
    public TransactionEventCounts TransactionEventTotal()
    {
        lock (_lock)
        {
            return _eventsTotal.Freeze();
        }
    }

    private TransactionEventReport TransactionEventReportLocked()
    {
        var per = _eventsPerChargePoint.ToDictionary(p => p.Key, p => p.Value.Freeze(), StringComparer.Ordinal);
        List<SeqNoGap> gaps = [];
        if (_eventsTotal.Lost > 0)
        {
            foreach (var ((chargeBoxId, transactionId), track) in _eventTransactions)
            {
                if (gaps.Count == MaxGapExamples)
                {
                    break;
                }
                var missing = track.MaxSeqNo + 1 - track.Received;
                if (missing <= 0)
                {
                    continue;
                }
                List<int> seqNos = [];
                var (chargeBox, transaction) = (_nameIds[chargeBoxId], _nameIds[transactionId]);
                for (var seqNo = 0; seqNo <= track.MaxSeqNo && seqNos.Count < MaxSeqNosPerGap; seqNo++)
                {
                    if (!_entries.ContainsKey(EntryKey.TransactionEvent(chargeBox, transaction, seqNo)))
                    {
                        seqNos.Add(seqNo);
                    }
                }
                gaps.Add(new SeqNoGap(chargeBoxId, transactionId, (int)Math.Min(int.MaxValue, missing), seqNos));
            }
        }
        return new TransactionEventReport(_eventsTotal.Freeze(), per, _eventTransactions.Count, _openEventTransactions,
            new Dictionary<string, long>(_stoppedReasons, StringComparer.Ordinal), gaps);
    }

    private void ClearTransactionEventsLocked()
    {
        _eventTransactions.Clear();
        _eventsPerChargePoint.Clear();
        _eventsTotal.Reset();
        _stoppedReasons.Clear();
        _openEventTransactions = 0;
    }

    private MutableEventCounts EventCountsOf(string chargeBoxId)
    {
        if (!_eventsPerChargePoint.TryGetValue(chargeBoxId, out var counts))
        {
            counts = new MutableEventCounts();
            _eventsPerChargePoint[chargeBoxId] = counts;
        }
        return counts;
    }

    private void CountEvent(MutableEventCounts counts, Action<MutableEventCounts> increment)
    {
        increment(counts);
        increment(_eventsTotal);
    }

    private sealed class EventTrack
    {
        /// <summary>The highest seqNo received; -1 before the first (a transaction's events are numbered from 0).</summary>
        public long MaxSeqNo { get; set; } = -1;

        /// <summary>Distinct seqNos received.</summary>
        public long Received { get; set; }

        public bool Ended { get; set; }
    }

    private sealed class MutableEventCounts
    {
        public long Started, Updated, Ended, Resent, Lost, Offline, OutOfOrder;

        public TransactionEventCounts Freeze() => new(Started, Updated, Ended, Resent, Lost, Offline, OutOfOrder);

        public void Reset() => Started = Updated = Ended = Resent = Lost = Offline = OutOfOrder = 0;
    }
}
