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
    private readonly MessageTable _entries = new();
    // The names in the entries (chargeBoxIds, idTags, 2.0.1 transaction ids) by number, so an entry holds no reference; 0 is null.
    private readonly Dictionary<string, int> _nameIds = new(StringComparer.Ordinal);
    private readonly List<string?> _names = [null];
    private readonly Dictionary<int, TransactionTrack> _transactions = [];
    private readonly Dictionary<(string, int), long> _lastOnConnector = [];
    private readonly Dictionary<string, MutableCounts> _perChargePoint = new(StringComparer.Ordinal);
    private readonly MutableCounts _total = new();
    private readonly Dictionary<string, long> _stopReasons = new(StringComparer.Ordinal);
    private int _lastTransactionId;
    private long _open;

    public StartRecorded RecordStart(string chargeBoxId, StartTransactionRequest request)
    {
        lock (_lock)
        {
            var counts = CountsOf(chargeBoxId);
            var key = EntryKey.Start(NameId(chargeBoxId), request.ConnectorId, NameId(request.IdTag), request.Timestamp, request.MeterStart);
            if (_entries.TryGetValue(key, out var first))
            {
                Count(counts, c => c.Resent++);
                return new StartRecorded(first.TransactionId, Resent: true, OutOfOrder: false);
            }
            var transactionId = ++_lastTransactionId;
            _entries.Add(key, new EntryValue(request.ConnectorId, NameId(request.IdTag), request.Timestamp, transactionId));
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
            var key = EntryKey.Stop(NameId(chargeBoxId), request.TransactionId);
            if (_entries.ContainsKey(key))
            {
                Count(counts, c => c.Resent++);
                return false;
            }
            _entries.Add(key, new EntryValue(track?.ConnectorId ?? 0, NameId(request.IdTag), request.Timestamp));
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
            var chargeBox = NameId(chargeBoxId);
            TransactionTrack? track = null;
            if (request.TransactionId is { } txId)
            {
                _transactions.TryGetValue(txId, out track);
            }
            var samples = request.MeterValue;
            for (var i = 0; i < samples.Count; i++)   // not foreach: an interface's enumerator is an object per call
            {
                var sample = samples[i];
                var key = EntryKey.MeterValues(chargeBox, request.ConnectorId, sample.Timestamp, request.TransactionId);
                if (!_entries.TryAdd(key, new EntryValue(request.ConnectorId, 0, sample.Timestamp)))
                {
                    Count(counts, c => c.Resent++);
                    continue;
                }
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
        var producedKeys = new Dictionary<MessageKey, ProducedTransactionMessage>();
        foreach (var message in produced)
        {
            producedKeys.TryAdd(MessageKey.Of(message), message);
        }
        List<ProducedTransactionMessage> lostExamples = [];
        List<ProducedTransactionMessage> unexpectedExamples = [];
        int lost = 0, unexpected = 0, recorded;
        lock (_lock)
        {
            recorded = _entries.Count;
            var producedEntries = new HashSet<EntryKey>(producedKeys.Count);
            foreach (var message in producedKeys.Values)
            {
                if (KeyOf(message) is { } key)
                {
                    producedEntries.Add(key);
                    if (_entries.ContainsKey(key))
                    {
                        continue;
                    }
                }
                if (++lost <= maxExamples)
                {
                    lostExamples.Add(message);
                }
            }
            foreach (var (key, value) in _entries)
            {
                if (!producedEntries.Contains(key) && ++unexpected <= maxExamples)
                {
                    unexpectedExamples.Add(MessageOf(key, value));
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
        var seen = new HashSet<EntryKey>();
        var keys = new EntryKey[Math.Min(Slice, produced.Count)];
        for (var start = 0; start < produced.Count; start += Slice)
        {
            var count = Math.Min(Slice, produced.Count - start);
            lock (_lock)
            {
                for (var i = 0; i < count; i++)
                {
                    if (KeyOf(produced[start + i]) is { } key && _entries.ContainsKey(key))
                    {
                        keys[i] = key;
                        answers[start + i] = LedgerRecord.Recorded;
                    }
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
            _nameIds.Clear();
            _names.Clear();
            _names.Add(null);
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

    /// <summary>The number of a name in the entries, given it one if it has none yet; 0 for null.</summary>
    private int NameId(string? name)
    {
        if (name is null)
        {
            return 0;
        }
        ref var id = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_nameIds, name, out var known);
        if (!known)
        {
            id = _names.Count;
            _names.Add(name);
        }
        return id;
    }

    /// <summary>Under the lock: the entry key of a produced message, or null when one of its names was never recorded (so neither was it).</summary>
    private EntryKey? KeyOf(ProducedTransactionMessage m)
    {
        if (!_nameIds.TryGetValue(m.ChargeBoxId, out var chargeBox))
        {
            return null;
        }
        switch (m.Kind)
        {
            case TransactionMessageKind.Start:
                var idTag = 0;
                return m.IdTag is null || _nameIds.TryGetValue(m.IdTag, out idTag) ? EntryKey.Start(chargeBox, m.ConnectorId, idTag, m.Timestamp, m.MeterStart) : null;
            case TransactionMessageKind.Stop:
                return EntryKey.Stop(chargeBox, m.TransactionId);
            case TransactionMessageKind.TransactionEvent:
                var transaction = 0;
                return m.EventTransactionId is null || _nameIds.TryGetValue(m.EventTransactionId, out transaction) ? EntryKey.TransactionEvent(chargeBox, transaction, m.SeqNo) : null;
            default:
                return EntryKey.MeterValues(chargeBox, m.ConnectorId, m.Timestamp, m.TransactionId);
        }
    }

    /// <summary>Under the lock: the message an entry records, as the charge point's report of it would read.</summary>
    private ProducedTransactionMessage MessageOf(EntryKey key, EntryValue value)
    {
        var kind = (TransactionMessageKind)key.Kind;
        return new ProducedTransactionMessage(_names[key.ChargeBox]!, kind, value.ConnectorId, _names[value.IdTag], value.Timestamp,
            MeterStart: kind == TransactionMessageKind.Start ? key.NumberOrNull : null,
            TransactionId: kind == TransactionMessageKind.Start ? value.TransactionId : key.TransactionIdOrNull,
            EventTransactionId: kind == TransactionMessageKind.TransactionEvent ? _names[key.Name] : null,
            SeqNo: kind == TransactionMessageKind.TransactionEvent ? key.NumberOrNull : null);
    }

    /// <summary>
    /// A produced message's identity with its names as strings: the produced side of <see cref="Reconcile"/>, whose names
    /// need not be in the ledger. Equal exactly when the <see cref="EntryKey"/>s are.
    /// </summary>
    private readonly record struct MessageKey(TransactionMessageKind Kind, string ChargeBoxId, int ConnectorId, string? Name, long Ticks, int? Number, int? TransactionId)
    {
        public static MessageKey Of(ProducedTransactionMessage m) => m.Kind switch
        {
            TransactionMessageKind.Start => new(m.Kind, m.ChargeBoxId, m.ConnectorId, m.IdTag, EntryKey.WireTicks(m.Timestamp), m.MeterStart, null),
            TransactionMessageKind.Stop => new(m.Kind, m.ChargeBoxId, 0, null, 0, null, m.TransactionId),
            TransactionMessageKind.TransactionEvent => new(m.Kind, m.ChargeBoxId, 0, m.EventTransactionId, 0, m.SeqNo, null),
            _ => new(m.Kind, m.ChargeBoxId, m.TransactionId is null ? m.ConnectorId : 0, null, EntryKey.WireTicks(m.Timestamp), null, m.TransactionId),
        };
    }

    /// <summary>
    /// A recorded message's identity, by kind: Start = (chargeBoxId, connector, idTag, timestamp, meterStart); Stop =
    /// (chargeBoxId, transactionId); MeterValues = (chargeBoxId, transactionId, timestamp), or without a transaction id
    /// (chargeBoxId, connector, timestamp); TransactionEvent = (chargeBoxId, its transaction id, seqNo). Names are numbers
    /// (<see cref="NameId"/>), so a key holds no reference: 32 bytes, a million of them are nothing for the collector to trace.
    /// </summary>
    private readonly struct EntryKey : IEquatable<EntryKey>
    {
        private const byte HasNumber = 1, HasTransactionId = 2;

        private readonly long _ticks;
        private readonly int _connector, _number, _transactionId;
        private readonly byte _present;

        private EntryKey(TransactionMessageKind kind, int chargeBox, int connector, int name, long ticks, int? number, int? transactionId)
        {
            Kind = (byte)kind;
            ChargeBox = chargeBox;
            _connector = connector;
            Name = name;
            _ticks = ticks;
            _number = number ?? 0;
            _transactionId = transactionId ?? 0;
            _present = (byte)((number is null ? 0 : HasNumber) | (transactionId is null ? 0 : HasTransactionId));
        }

        public byte Kind { get; }

        public int ChargeBox { get; }

        /// <summary>The idTag of a Start, the transaction id of a TransactionEvent.</summary>
        public int Name { get; }

        /// <summary>A Start's meterStart, a TransactionEvent's seqNo.</summary>
        public int? NumberOrNull => (_present & HasNumber) != 0 ? _number : null;

        public int? TransactionIdOrNull => (_present & HasTransactionId) != 0 ? _transactionId : null;

        public static EntryKey Start(int chargeBox, int connector, int idTag, DateTimeOffset timestamp, int? meterStart)
            => new(TransactionMessageKind.Start, chargeBox, connector, idTag, WireTicks(timestamp), meterStart, null);

        public static EntryKey Stop(int chargeBox, int? transactionId) => new(TransactionMessageKind.Stop, chargeBox, 0, 0, 0, null, transactionId);

        public static EntryKey MeterValues(int chargeBox, int connector, DateTimeOffset timestamp, int? transactionId)
            => new(TransactionMessageKind.MeterValues, chargeBox, transactionId is null ? connector : 0, 0, WireTicks(timestamp), null, transactionId);

        public static EntryKey TransactionEvent(int chargeBox, int transaction, int? seqNo) => new(TransactionMessageKind.TransactionEvent, chargeBox, 0, transaction, 0, seqNo, null);

        /// <summary>Times compare at the wire's precision: payload date-times carry milliseconds, the charge point's clock finer ticks.</summary>
        public static long WireTicks(DateTimeOffset timestamp) => timestamp.UtcTicks - (timestamp.UtcTicks % TimeSpan.TicksPerMillisecond);

        public bool Equals(EntryKey other)
            => _ticks == other._ticks && ChargeBox == other.ChargeBox && Name == other.Name && _connector == other._connector && _number == other._number
               && _transactionId == other._transactionId && Kind == other.Kind && _present == other._present;

        public override bool Equals(object? obj) => obj is EntryKey other && Equals(other);

        // Well mixed in every bit: the table picks its page by the low bits.
        public override int GetHashCode() => HashCode.Combine(_ticks, ChargeBox, Name, _connector, _number, _transactionId, Kind | (_present << 8));
    }

    /// <summary>What an entry keeps besides its key: enough to give the message back whole (<see cref="MessageOf"/>). 24 bytes, no reference.</summary>
    private readonly struct EntryValue(int connectorId, int idTag, DateTimeOffset timestamp, int transactionId = 0)
    {
        private readonly long _utcTicks = timestamp.UtcTicks;
        private readonly short _offsetMinutes = (short)(timestamp.Offset.Ticks / TimeSpan.TicksPerMinute);

        public int ConnectorId { get; } = connectorId;

        public int IdTag { get; } = idTag;

        /// <summary>The id a Start was given.</summary>
        public int TransactionId { get; } = transactionId;

        public DateTimeOffset Timestamp => new DateTimeOffset(_utcTicks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(_offsetMinutes));
    }

    /// <summary>
    /// The entries: a hash table in pages of at most <see cref="PageCapacity"/> (extendible hashing: a directory of 2^depth
    /// slots, picked by the low bits of a key's hash, points at the pages; a full page splits in two by its next bit). One
    /// dictionary would, at each doubling, allocate, copy and rehash every entry under the ledger's lock, on the thread
    /// answering a charge point (tens of milliseconds at a few million messages), in arrays on the large object heap, whose
    /// allocations bring on full collections. A page's arrays stay below the large object heap's 85,000 bytes, and growing
    /// moves one page's entries at a time. Not thread-safe: the ledger's lock guards it.
    /// </summary>
    private sealed class MessageTable : IEnumerable<KeyValuePair<EntryKey, EntryValue>>
    {
        /// <summary>A page's dictionary is made for this many (1,103 slots of 64 bytes: 70.6 KB) and never grows.</summary>
        private const int PageCapacity = 1000;

        /// <summary>Beyond 2^MaxDepth slots (entries whose hashes agree in that many bits), a page grows instead of splitting.</summary>
        private const int MaxDepth = 24;

        private readonly List<Page> _pages = [];
        private Page[] _directory = [];
        private int _depth;
        private EntryKey[] _moving = [];

        public MessageTable() => Clear();

        public int Count { get; private set; }

        public bool ContainsKey(EntryKey key) => PageOf(key).Entries.ContainsKey(key);

        public bool TryGetValue(EntryKey key, out EntryValue value) => PageOf(key).Entries.TryGetValue(key, out value);

        public void Add(EntryKey key, EntryValue value)
        {
            if (!TryAdd(key, value))
            {
                throw new ArgumentException("the key is already in the table", nameof(key));
            }
        }

        public bool TryAdd(EntryKey key, EntryValue value)
        {
            var hash = key.GetHashCode();
            var page = _directory[hash & ((1 << _depth) - 1)];
            while (page.Entries.Count >= PageCapacity && page.Depth < MaxDepth && !page.Entries.ContainsKey(key))
            {
                Split(page, hash);
                page = _directory[hash & ((1 << _depth) - 1)];
            }
            if (!page.Entries.TryAdd(key, value))
            {
                return false;
            }
            Count++;
            return true;
        }

        public void Clear()
        {
            _pages.Clear();
            _pages.Add(new Page(0));
            _directory = [_pages[0]];
            _depth = 0;
            Count = 0;
        }

        public IEnumerator<KeyValuePair<EntryKey, EntryValue>> GetEnumerator() => _pages.SelectMany(p => p.Entries).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private Page PageOf(EntryKey key) => _directory[key.GetHashCode() & ((1 << _depth) - 1)];

        /// <summary>Splits the page holding keys of this hash into itself (its next bit 0) and a new one (bit 1).</summary>
        private void Split(Page page, int hash)
        {
            if (page.Depth == _depth)
            {
                var doubled = new Page[_directory.Length * 2];
                _directory.CopyTo(doubled, 0);
                _directory.CopyTo(doubled, _directory.Length);
                _directory = doubled;
                _depth++;
            }
            var bit = 1 << page.Depth;
            page.Depth++;
            var sibling = new Page(page.Depth);
            _pages.Add(sibling);
            if (_moving.Length < page.Entries.Count)
            {
                _moving = new EntryKey[Math.Max(PageCapacity, page.Entries.Count)];
            }
            var moving = 0;
            foreach (var (key, value) in page.Entries)
            {
                if ((key.GetHashCode() & bit) != 0)
                {
                    sibling.Entries.Add(key, value);
                    _moving[moving++] = key;
                }
            }
            for (var i = 0; i < moving; i++)
            {
                page.Entries.Remove(_moving[i]);
            }
            // Every slot that pointed at the page and has the bit now points at the sibling.
            for (var slot = (hash & (bit - 1)) | bit; slot < _directory.Length; slot += bit << 1)
            {
                _directory[slot] = sibling;
            }
        }

        private sealed class Page(int depth)
        {
            public Dictionary<EntryKey, EntryValue> Entries { get; } = new(PageCapacity);

            /// <summary>How many low bits of the hash all its keys share.</summary>
            public int Depth { get; set; } = depth;
        }
    }
}
