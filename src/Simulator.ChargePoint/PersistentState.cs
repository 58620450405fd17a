using Simulator.Ocpp.Messages;

namespace Simulator.ChargePoint;

/// <summary>Everything a charge point keeps across a power cut.</summary>
public sealed record ChargePointPersistentState(ChargePointMemory Memory, IReadOnlyList<QueuedMessageState> Queue)
{
    /// <summary>The highest local transaction reference the state uses (counter, queue, open transactions): the next one follows it.</summary>
    public long LastLocalRef => Math.Max(Memory.NextLocalRef, Queue.Select(q => q.LocalRef).Concat(Memory.Transactions.Select(t => t.LocalRef)).DefaultIfEmpty(0).Max());
}

/// <summary>
/// The small part of the non-volatile state, saved whole: counters, the register of each connector (index 0 = connector 1)
/// as of <paramref name="SavedAt"/> (CSMS time), the open transactions and the transaction ids queued messages still need.
/// </summary>
public sealed record ChargePointMemory(
    long NextLocalRef, long NextOrder, DateTimeOffset SavedAt, IReadOnlyList<double> RegistersWh,
    IReadOnlyList<OpenTransactionState> Transactions, IReadOnlyList<KnownTransactionId> TransactionIds)
{
    /// <summary>
    /// OCPP 2.0.1: persistent device-model values the CSMS changed ("Component[/evse]/Variable[/instance]" → value; never a write-only
    /// secret); null in 1.6.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Settings { get; init; }

    /// <summary>
    /// The installed charging profiles that outlive a power cut (1.6 ChargePointMaxProfile/TxDefaultProfile; 2.0.1 also
    /// ChargingStationExternalConstraints; never a TxProfile, which ends with its transaction), oldest first; null when none.
    /// </summary>
    public IReadOnlyList<SavedChargingProfile>? ChargingProfiles { get; init; }

    /// <summary>
    /// OCPP 2.0.1: the critical security events not yet answered (A04.FR.02, guaranteed delivery), oldest first; null when none.
    /// 1.6 keeps its critical events in the queue instead.
    /// </summary>
    public IReadOnlyList<IOcppRequest>? SecurityEvents { get; init; }
}

/// <summary>
/// An installed charging profile, as the version's SetChargingProfile request that installs it again (its connector or EVSE and
/// the profile). <paramref name="Source"/>: OCPP 2.0.1, who set it (ChargingLimitSource: CSO for the CSMS's, EMS and others for the
/// station's own external constraints); null in 1.6.
/// </summary>
public sealed record SavedChargingProfile(IOcppRequest Request, string? Source = null);

/// <summary>A transaction running at save time. <paramref name="StartedAt"/> is CSMS time.</summary>
public sealed record OpenTransactionState(
    int ConnectorId, long LocalRef, string IdTag, string? ParentIdTag, int? TransactionId, double MeterStartWh, DateTimeOffset StartedAt, int? ReservationId)
{
    /// <summary>OCPP 2.0.1: the seqNo the transaction's next TransactionEvent gets (its Ended after a power cut); null in 1.6.</summary>
    public int? NextSeqNo { get; init; }
}

public readonly record struct KnownTransactionId(long LocalRef, int TransactionId);

/// <summary>
/// One queued transaction message: the request as the model made it (for MeterValues and StopTransaction the transaction id is
/// substituted when it goes out) and the queue's own metadata. <paramref name="Order"/> is unique per charge point and increasing;
/// <paramref name="CreatedAt"/> is the model's clock.
/// </summary>
public sealed record QueuedMessageState(
    long Order, TransactionMessageKind Kind, int ConnectorId, long LocalRef, IOcppRequest Request, DateTimeOffset CreatedAt, int FailedAttempts);

/// <summary>Changes since the last save: the memory (whole; null when unchanged) and the queue entries appended and removed (by order).</summary>
public sealed record ChargePointStateChanges(ChargePointMemory? Memory, IReadOnlyList<QueuedMessageState> Appended, IReadOnlyList<long> Removed);
