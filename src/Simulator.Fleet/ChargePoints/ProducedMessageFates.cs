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
public sealed class ProducedMessageFates
{
    private readonly List<Entry> _entries = [];
    /// <summary>Entries before this one all have their fate (most answers come in order, so a search starts here).</summary>
    private int _firstOpen;

    public int Count => _entries.Count;

    public void Produced(ProducedTransactionMessage message, int? meterWh) => _entries.Add(new Entry(message, meterWh));

    /// <summary>The CSMS answered a transaction message (a CALLRESULT, whatever its status).</summary>
    public void Answered(IOcppRequest request)
    {
        var entry = request switch
        {
            StartTransactionRequest start => FirstOpen(e => e.Message.Kind == ProducedKind.StartTransaction && e.Message.ConnectorId == start.ConnectorId
                && e.Message.Timestamp == start.Timestamp && e.MeterWh == start.MeterStart),
            StopTransactionRequest stop => FirstOpen(e => e.Message.Kind == ProducedKind.StopTransaction && e.Message.Timestamp == stop.Timestamp && e.MeterWh == stop.MeterStop),
            MeterValuesRequest { MeterValue.Count: > 0 } meterValues => FirstOpen(e => e.Message.Kind == ProducedKind.MeterValues
                && e.Message.ConnectorId == meterValues.ConnectorId && e.Message.Timestamp == meterValues.MeterValue[0].Timestamp),
            TransactionEventRequest transactionEvent => FirstOpen(e => e.Message.SeqNo == transactionEvent.SeqNo
                && e.Message.EventTransactionId == transactionEvent.TransactionInfo.TransactionId),
            _ => null,
        };
        if (entry is not null)
        {
            entry.Fate = ProducedFate.Acknowledged;
        }
    }

    /// <summary>The model dropped a transaction message (<see cref="TransactionMessageAbandoned"/>).</summary>
    public void GivenUp(TransactionMessageKind kind, int connectorId, long localTransactionRef)
    {
        var produced = kind switch
        {
            TransactionMessageKind.StartTransaction => ProducedKind.StartTransaction,
            TransactionMessageKind.StopTransaction => ProducedKind.StopTransaction,
            TransactionMessageKind.MeterValues => ProducedKind.MeterValues,
            _ => (ProducedKind?)null,
        };
        if (FirstOpen(e => e.Message.Kind == produced && e.Message.ConnectorId == connectorId && e.Message.LocalTransactionRef == localTransactionRef) is { } entry)
        {
            entry.Fate = ProducedFate.GivenUp;
        }
    }

    /// <summary>
    /// At the stop: every message with its fate (neither answered nor given up: still queued) and its transaction id where the
    /// charge point learnt it after producing the message.
    /// </summary>
    public IEnumerable<ProducedTransactionMessage> AtStop(IReadOnlyDictionary<long, int> transactionIds) => _entries.Select(e => e.Message with
    {
        TransactionId = e.Message.TransactionId ?? (transactionIds.TryGetValue(e.Message.LocalTransactionRef, out var id) ? id : null),
        Fate = e.Fate ?? ProducedFate.StillQueued,
    });

    private Entry? FirstOpen(Func<Entry, bool> matches)
    {
        while (_firstOpen < _entries.Count && _entries[_firstOpen].Fate is not null)
        {
            _firstOpen++;
        }
        for (var i = _firstOpen; i < _entries.Count; i++)
        {
            if (_entries[i].Fate is null && matches(_entries[i]))
            {
                return _entries[i];
            }
        }
        return null;
    }

    private sealed class Entry(ProducedTransactionMessage message, int? meterWh)
    {
        public ProducedTransactionMessage Message { get; } = message;
        public int? MeterWh { get; } = meterWh;
        public ProducedFate? Fate { get; set; }
    }
}
