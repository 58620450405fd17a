namespace Simulator.Fleet.ChargePoints;

/// <summary>
/// A command for one charge point, addressed by its chargeBoxId: the entity id when charge points are Cluster Sharding
/// entities, the child name when they live under a local host. Everything here crosses nodes, so it is plain data.
/// </summary>
public interface IChargePointCommand
{
    string ChargeBoxId { get; }
}

/// <summary>Bring the charge point up: power on, connect, boot. Its type comes from the node's copy of the fleet catalog.</summary>
public sealed record StartChargePoint(string ChargeBoxId) : IChargePointCommand;

/// <summary>End of the run: stop running sessions (reason Local), deliver what is queued if it can, close the socket, report.</summary>
public sealed record StopChargePoint(string ChargeBoxId, TimeSpan DrainFor) : IChargePointCommand;

/// <summary>Client-side network failure: abort the socket and do not reconnect for <see cref="For"/>.</summary>
public sealed record DropNetwork(string ChargeBoxId, TimeSpan For) : IChargePointCommand;

/// <summary>Power-cycle the charge point: transactions end, it reconnects and boots again.</summary>
public sealed record RebootChargePoint(string ChargeBoxId) : IChargePointCommand;

/// <summary>The answer to <see cref="StopChargePoint"/>: what the charge point produced, for the loss check.</summary>
public sealed record ChargePointStopped(string ChargeBoxId, IReadOnlyList<ProducedTransactionMessage> Produced, int UndeliveredTransactionMessages);

public enum ProducedKind
{
    StartTransaction,
    StopTransaction,
    MeterValues,
}

/// <summary>
/// One transaction message a charge point created, with the keys the CSMS ledger uses to recognise it:
/// StartTransaction by (connector, idTag, timestamp, meterStart), StopTransaction by transactionId,
/// MeterValues by (transactionId, timestamp). The transactionId is null when the StartTransaction was never answered;
/// <see cref="LocalTransactionRef"/> ties the messages of one transaction together on the charge point.
/// </summary>
public sealed record ProducedTransactionMessage(
    ProducedKind Kind,
    int ConnectorId,
    string? IdTag,
    DateTimeOffset Timestamp,
    int? MeterStart,
    int? TransactionId,
    long LocalTransactionRef);
