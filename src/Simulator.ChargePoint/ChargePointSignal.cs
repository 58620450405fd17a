using Simulator.ChargePoint.V16;
using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint;

/// <summary>Something the actor must act on or record; drain with <see cref="ChargePointModel.TryTakeSignal"/> after every call.</summary>
public abstract record ChargePointSignal;

/// <summary>Close the connection and connect again (e.g. the AuthorizationKey changed). Queued messages are kept.</summary>
public sealed record ReconnectRequested(string Reason) : ChargePointSignal;

public enum RebootKind
{
    SoftReset,
    HardReset,
    PowerCycle,
    FirmwareInstalled,
}

/// <summary>The charge point reboots: close the socket, reconnect; the model sends BootNotification again. Queued transaction messages are kept.</summary>
public sealed record RebootRequested(RebootKind Kind) : ChargePointSignal;

/// <summary>Upload <paramref name="Content"/> as <paramref name="FileName"/> to the directory <paramref name="Location"/>; report with <see cref="ChargePointModel.OnTransferCompleted"/>.</summary>
public sealed record DiagnosticsUploadRequested(long TransferId, string Location, string FileName, ReadOnlyMemory<byte> Content) : ChargePointSignal;

/// <summary>Download the firmware at <paramref name="Location"/>; report with <see cref="ChargePointModel.OnTransferCompleted"/>.
/// <paramref name="KeepContent"/>: hand the downloaded bytes back (signed firmware: the model checks the signature over them).</summary>
public sealed record FirmwareDownloadRequested(long TransferId, string Location, bool KeepContent = false) : ChargePointSignal;

/// <summary>A transaction started locally (before the CSMS knows it). Energy in Wh on the connector's register.</summary>
public sealed record SessionStarted(int ConnectorId, long LocalTransactionRef, string IdTag, double MeterStartWh, DateTimeOffset Timestamp) : ChargePointSignal
{
    /// <summary>OCPP 2.0.1: the transaction id the station made (ConnectorId is then the EVSE id); null in 1.6.</summary>
    public string? TransactionKey { get; init; }
}

/// <summary>A transaction ended; <paramref name="EnergyWh"/> is the energy delivered in it.</summary>
public sealed record SessionEnded(int ConnectorId, long LocalTransactionRef, int? TransactionId, StopReason Reason, double EnergyWh, DateTimeOffset Timestamp) : ChargePointSignal
{
    /// <summary>OCPP 2.0.1: the transaction id the station made; null in 1.6. <see cref="Reason"/> is then the nearest 1.6 reason, <see cref="StoppedReason"/> the 2.0.1 one.</summary>
    public string? TransactionKey { get; init; }

    public string? StoppedReason { get; init; }
}

public enum TransactionMessageKind
{
    StartTransaction,
    MeterValues,
    StopTransaction,
    /// <summary>A critical security event: queued with guaranteed delivery like transaction messages (A04.FR.02).</summary>
    SecurityEventNotification,
}

/// <summary>
/// A transaction message was created (for the end-of-run loss check). <paramref name="MeterWh"/> is meterStart or meterStop (null for MeterValues);
/// <paramref name="Timestamp"/> is the message's own (CSMS-time) timestamp, for MeterValues that of its first sample.
/// <paramref name="TransactionId"/> is known when the message was created after the StartTransaction reply.
/// <paramref name="Context"/> tells periodic (Sample.Periodic) from clock-aligned (Sample.Clock) MeterValues, which can share a timestamp.
/// Not a <see cref="ChargePointSignal"/>: there is one per transaction message, so it is a value, drained with
/// <see cref="IChargingStation.TryTakeProduced"/> (no object per message, and nothing fresh written into the station's signal queue).
/// </summary>
public readonly record struct TransactionMessageProduced(
    TransactionMessageKind Kind, int ConnectorId, long LocalTransactionRef, string? IdTag, DateTimeOffset Timestamp, int? MeterWh, int? TransactionId,
    ReadingContext? Context = null)
{
    /// <summary>OCPP 2.0.1 TransactionEvent: the transaction id (known from the start: the station makes it); null in 1.6.
    /// <see cref="Kind"/> is StartTransaction for Started, MeterValues for Updated, StopTransaction for Ended.</summary>
    public string? TransactionKey { get; init; }

    /// <summary>OCPP 2.0.1 TransactionEvent: its seqNo (0, 1, 2, ... per transaction, no gaps); null in 1.6.</summary>
    public int? SeqNo { get; init; }

    /// <summary>OCPP 2.0.1 TransactionEvent: its triggerReason; null in 1.6.</summary>
    public string? TriggerReason { get; init; }
}

/// <summary>The CSMS answered StartTransaction: the local transaction now has its real id.</summary>
public sealed record TransactionIdAssigned(int ConnectorId, long LocalTransactionRef, int TransactionId, AuthorizationStatus IdTagStatus) : ChargePointSignal;

/// <summary>A transaction message was dropped after <paramref name="Attempts"/> failed attempts (TransactionMessageAttempts), or because its StartTransaction was.</summary>
public sealed record TransactionMessageAbandoned(TransactionMessageKind Kind, int ConnectorId, long LocalTransactionRef, int Attempts, string Reason) : ChargePointSignal;

/// <summary>
/// An accepted (and authorized) RemoteStartTransaction waits for the EV to be plugged in at the connector (status Preparing), until
/// ConnectionTimeOut. The driver's cue: plug in with <see cref="ChargePointModel.PlugIn"/>.
/// </summary>
public sealed record RemoteStartAwaitingPlugIn(int ConnectorId, string IdTag) : ChargePointSignal;

/// <summary>
/// The charge point no longer waits for the EV of a remote start (ConnectionTimeOut, a fault, Inoperative, a reboot, or another tag took
/// the connector); a later plug-in starts nothing. <paramref name="Reason"/> says which.
/// </summary>
public sealed record RemoteStartLapsed(int ConnectorId, string IdTag, string Reason) : ChargePointSignal;

/// <summary>An id tag presented locally or in RemoteStartTransaction was not authorized.</summary>
public sealed record IdTagRejected(int ConnectorId, string IdTag, AuthorizationStatus Status) : ChargePointSignal;

/// <summary>A configuration key changed by ChangeConfiguration (the actor applies the ones it owns, e.g. WebSocketPingInterval). Write-only keys carry "***", never the value.</summary>
public sealed record ConfigurationChanged(string Key, string Value) : ChargePointSignal;

/// <summary>GetLog: upload <paramref name="Content"/> as <paramref name="FileName"/> to <paramref name="Location"/>; report with <see cref="ChargePointModel.OnTransferCompleted"/>.</summary>
public sealed record LogUploadRequested(long TransferId, string Location, string FileName, ReadOnlyMemory<byte> Content) : ChargePointSignal;

/// <summary>A security event happened (it is in the security log; critical ones are queued for SecurityEventNotification). Never carries a secret.</summary>
public sealed record SecurityEventRaised(string Type, bool Critical, string? TechInfo) : ChargePointSignal;

/// <summary>
/// SecurityProfile was raised (A05): close the connection and reconnect with <paramref name="To"/>. Report the first attempt with
/// <see cref="ChargePointModel.OnSecurityProfileConnected"/> or, when it fails, <see cref="ChargePointModel.RevertSecurityProfile"/> (A05.FR.08).
/// </summary>
public sealed record SecurityProfileChangeRequested(int From, int To) : ChargePointSignal;

/// <summary>CertificateSigned installed a new charge point certificate; the next connection uses it.</summary>
public sealed record ChargePointCertificateChanged(string Subject, DateTimeOffset NotAfter) : ChargePointSignal;
