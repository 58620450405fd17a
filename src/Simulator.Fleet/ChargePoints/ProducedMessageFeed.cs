using System.Collections.Concurrent;

namespace Simulator.Fleet.ChargePoints;

/// <summary>A transaction message a charge point produced, with the charge point's id: one entry of a node's stream.</summary>
public readonly record struct ProducedBy(string ChargeBoxId, ProducedTransactionMessage Message);

/// <summary>The CSMS's transaction id for a charge point's local transaction, learnt after the messages were produced.</summary>
public readonly record struct TransactionIdLearnt(string ChargeBoxId, long LocalTransactionRef, int TransactionId);

/// <summary>
/// The transaction messages a node's charge points produce, as they produce them, for a coordinator on another node: if
/// this node dies, what its charge points had produced (until the last hand-over) can still be checked against the CSMS.
/// Written by many charge-point actors, drained by one reader.
/// </summary>
public sealed class ProducedMessageFeed
{
    private readonly ConcurrentQueue<ProducedBy> _produced = new();
    private readonly ConcurrentQueue<TransactionIdLearnt> _ids = new();

    public void Add(string chargeBoxId, ProducedTransactionMessage message) => _produced.Enqueue(new ProducedBy(chargeBoxId, message));

    public void AddTransactionId(string chargeBoxId, long localTransactionRef, int transactionId)
        => _ids.Enqueue(new TransactionIdLearnt(chargeBoxId, localTransactionRef, transactionId));

    /// <summary>Everything added since the last drain, in the order it was added.</summary>
    public (IReadOnlyList<ProducedBy> Produced, IReadOnlyList<TransactionIdLearnt> Ids) Drain() => (DrainQueue(_produced), DrainQueue(_ids));

    private static List<T> DrainQueue<T>(ConcurrentQueue<T> queue)
    {
        var items = new List<T>();
        while (queue.TryDequeue(out var item))
        {
            items.Add(item);
        }
        return items;
    }
}
