using Simulator.ChargePoint.Metering;
using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.V16;

/// <summary>The mutable state of one connector inside the model (0 = the charge point as a whole, which has no meter).</summary>
internal sealed class Connector(int id, ConnectorMeter? meter)
{
    public int Id { get; } = id;
    public ConnectorMeter? Meter { get; } = meter;
    public bool Plugged { get; set; }
    public bool Faulted { get; set; }
    public ChargePointErrorCode ErrorCode { get; set; } = ChargePointErrorCode.NoError;
    public bool Inoperative { get; set; }
    /// <summary>ChangeAvailability(Inoperative) answered Scheduled: applied when the running transaction ends.</summary>
    public bool InoperativeScheduled { get; set; }
    public Reservation? Reservation { get; set; }
    public Transaction? Transaction { get; set; }
    public PendingStart? PendingStart { get; set; }
    /// <summary>A transaction ended while the EV stays plugged in.</summary>
    public bool Finishing { get; set; }
    public double? AppliedLimitW { get; set; }

    // Status reporting under MinimumStatusDuration.
    public ChargePointStatus? Reported { get; set; }
    public ChargePointErrorCode ReportedError { get; set; }
    public ChargePointStatus Candidate { get; set; } = ChargePointStatus.Available;
    public ChargePointErrorCode CandidateError { get; set; } = ChargePointErrorCode.NoError;
    public DateTimeOffset CandidateSince { get; set; }
}

internal sealed record Reservation(int ReservationId, int ConnectorId, string IdTag, string? ParentIdTag, DateTimeOffset ExpiryDate);

/// <summary>An authorized id tag waiting for the EV to be plugged in (until <see cref="Deadline"/>, ConnectionTimeOut). <see cref="Remote"/>: from RemoteStartTransaction.</summary>
internal sealed record PendingStart(string IdTag, string? ParentIdTag, DateTimeOffset Deadline, ChargingProfile? TxProfile, bool Remote = false);

internal sealed class Transaction(long localRef, int connectorId, string idTag, string? parentIdTag, DateTimeOffset startedAt, double meterStartWh)
{
    public long LocalRef { get; } = localRef;
    public int ConnectorId { get; } = connectorId;
    public string IdTag { get; } = idTag;
    public string? ParentIdTag { get; set; } = parentIdTag;
    /// <summary>CSMS time.</summary>
    public DateTimeOffset StartedAt { get; } = startedAt;
    public double MeterStartWh { get; } = meterStartWh;
    public int? TransactionId { get; set; }
    /// <summary>Local clock.</summary>
    public DateTimeOffset? NextSampleAt { get; set; }
    /// <summary>The samples of StopTxnSampledData and StopTxnAlignedData for StopTransaction's transactionData.</summary>
    public MeterSampleLog StopTxnData { get; } = new();
    public bool SuspendedByInvalidId { get; set; }
    /// <summary>The CSMS invalidated the tag and StopTransactionOnInvalidId is false: delivery continues until the transaction reaches this energy (MaxEnergyOnInvalidId).</summary>
    public double? InvalidIdEnergyBudgetWh { get; set; }
    /// <summary>Local clock: when to check the budget again.</summary>
    public DateTimeOffset? InvalidIdCheckAt { get; set; }
    public ChargingProfile? PendingTxProfile { get; set; }
    public int? ReservationId { get; init; }
}

internal enum AuthPurpose
{
    LocalStart,
    RemoteStart,
    LocalStop,
}

internal sealed record PendingAuthorization(int ConnectorId, string IdTag, AuthPurpose Purpose, ChargingProfile? TxProfile);
