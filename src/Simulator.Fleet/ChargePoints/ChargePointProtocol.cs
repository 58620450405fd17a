using MessagePack;
using Simulator.Fleet.Cluster;

namespace Simulator.Fleet.ChargePoints;

/// <summary>
/// A command for one charge point, addressed by its chargeBoxId: the entity id when charge points are Cluster Sharding
/// entities, the child name when they live under a local host. Everything here crosses nodes, so it is plain data,
/// serialized with MessagePack (<see cref="FleetMessageSerializer"/>): keys are positions, and never renumbered.
/// </summary>
public interface IChargePointCommand
{
    string ChargeBoxId { get; }
}

/// <summary>Bring the charge point up: power on, connect, boot. Its type comes from the node's copy of the fleet catalog.</summary>
[MessagePackObject]
public sealed record StartChargePoint([property: Key(0)] string ChargeBoxId) : IChargePointCommand, IFleetWireMessage;

/// <summary>End of the run: stop running sessions (reason Local), deliver what is queued if it can, close the socket, report.</summary>
[MessagePackObject]
public sealed record StopChargePoint([property: Key(0)] string ChargeBoxId, [property: Key(1)] TimeSpan DrainFor) : IChargePointCommand, IFleetWireMessage;

/// <summary>Client-side network failure: abort the socket and do not reconnect for <see cref="For"/>.</summary>
[MessagePackObject]
public sealed record DropNetwork([property: Key(0)] string ChargeBoxId, [property: Key(1)] TimeSpan For) : IChargePointCommand, IFleetWireMessage;

/// <summary>Power-cycle the charge point: transactions end, it reconnects and boots again.</summary>
[MessagePackObject]
public sealed record RebootChargePoint([property: Key(0)] string ChargeBoxId) : IChargePointCommand, IFleetWireMessage;

/// <summary>
/// The answer to <see cref="StopChargePoint"/>: what the charge point produced, each with its fate as the charge point saw it,
/// for the loss check; <see cref="UndeliveredTransactionMessages"/> is its offline queue's depth then (security events included).
/// </summary>
[MessagePackObject]
public sealed record ChargePointStopped(
    [property: Key(0)] string ChargeBoxId,
    [property: Key(1)] IReadOnlyList<ProducedTransactionMessage> Produced,
    [property: Key(2)] int UndeliveredTransactionMessages) : IFleetWireMessage;

public enum ProducedKind
{
    StartTransaction,
    StopTransaction,
    MeterValues,
}

/// <summary>
/// One transaction message a charge point created, with the keys the CSMS ledger uses to recognise it:
/// StartTransaction by (connector, idTag, timestamp, meterStart), StopTransaction by transactionId,
/// MeterValues by (transactionId, timestamp); a 2.0.1 TransactionEvent by (<see cref="ProducedTransactionMessage.EventTransactionId"/>, seqNo). The transactionId is null when the StartTransaction was never answered;
/// <see cref="LocalTransactionRef"/> ties the messages of one transaction together on the charge point. <see cref="Fate"/> is
/// what became of it on the charge point (<see cref="ProducedFate.Unknown"/> while it runs).
/// </summary>
[MessagePackObject]
public sealed record ProducedTransactionMessage(
    [property: Key(0)] ProducedKind Kind,
    [property: Key(1)] int ConnectorId,
    [property: Key(2)] string? IdTag,
    [property: Key(3)] DateTimeOffset Timestamp,
    [property: Key(4)] int? MeterStart,
    [property: Key(5)] int? TransactionId,
    [property: Key(6)] long LocalTransactionRef,
    [property: Key(7)] ProducedFate Fate = ProducedFate.Unknown)
{
    /// <summary>OCPP 2.0.1 TransactionEvent: its transaction id (the ledger's key with <see cref="SeqNo"/>); null for 1.6 messages.
    /// <see cref="Kind"/> is then StartTransaction for Started, MeterValues for Updated, StopTransaction for Ended.</summary>
    [Key(8)]
    public string? EventTransactionId { get; init; }

    /// <summary>OCPP 2.0.1 TransactionEvent: its seqNo; null for 1.6 messages.</summary>
    [Key(9)]
    public int? SeqNo { get; init; }
}

/// <summary>What became of a produced transaction message on the charge point, as far as it knows.</summary>
public enum ProducedFate
{
    /// <summary>Not known: the charge point still ran when this was written (a cluster node's hand-over).</summary>
    Unknown,
    /// <summary>The CSMS answered it with a CALLRESULT.</summary>
    Acknowledged,
    /// <summary>Still in the offline queue when the charge point stopped (not delivered within the drain).</summary>
    StillQueued,
    /// <summary>Dropped by the charge point: TransactionMessageAttempts failed, or its StartTransaction was never answered.</summary>
    GivenUp,
}
