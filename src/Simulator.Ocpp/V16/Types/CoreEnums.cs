using Simulator.Ocpp.Messages;
using System.Text.Json.Serialization;

namespace Simulator.Ocpp.V16.Types;

/// <summary>ChangeAvailability.req <c>type</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<AvailabilityType>))]
public enum AvailabilityType
{
    Inoperative,
    Operative,
}

/// <summary>ChangeAvailability.conf <c>status</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<AvailabilityStatus>))]
public enum AvailabilityStatus
{
    Accepted,
    Rejected,
    Scheduled,
}

/// <summary>ChangeConfiguration.conf <c>status</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<ConfigurationStatus>))]
public enum ConfigurationStatus
{
    Accepted,
    Rejected,
    RebootRequired,
    NotSupported,
}

/// <summary>ClearCache.conf <c>status</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<ClearCacheStatus>))]
public enum ClearCacheStatus
{
    Accepted,
    Rejected,
}

/// <summary>DataTransfer.conf <c>status</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<DataTransferStatus>))]
public enum DataTransferStatus
{
    Accepted,
    Rejected,
    UnknownMessageId,
    UnknownVendorId,
}

/// <summary>RemoteStartTransaction.conf and RemoteStopTransaction.conf <c>status</c> (the schemas give both the same values).</summary>
[JsonConverter(typeof(OcppEnumConverter<RemoteStartStopStatus>))]
public enum RemoteStartStopStatus
{
    Accepted,
    Rejected,
}

/// <summary>Reset.req <c>type</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<ResetType>))]
public enum ResetType
{
    Hard,
    Soft,
}

/// <summary>Reset.conf <c>status</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<ResetStatus>))]
public enum ResetStatus
{
    Accepted,
    Rejected,
}

/// <summary>StatusNotification.req <c>errorCode</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<ChargePointErrorCode>))]
public enum ChargePointErrorCode
{
    ConnectorLockFailure,
    EVCommunicationError,
    GroundFailure,
    HighTemperature,
    InternalError,
    LocalListConflict,
    NoError,
    OtherError,
    OverCurrentFailure,
    PowerMeterFailure,
    PowerSwitchFailure,
    ReaderFailure,
    ResetFailure,
    UnderVoltage,
    OverVoltage,
    WeakSignal,
}

/// <summary>StatusNotification.req <c>status</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<ChargePointStatus>))]
public enum ChargePointStatus
{
    Available,
    Preparing,
    Charging,
    SuspendedEVSE,
    SuspendedEV,
    Finishing,
    Reserved,
    Unavailable,
    Faulted,
}

/// <summary>StopTransaction.req <c>reason</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<StopReason>))]
public enum StopReason
{
    EmergencyStop,
    EVDisconnected,
    HardReset,
    Local,
    Other,
    PowerLoss,
    Reboot,
    Remote,
    SoftReset,
    UnlockCommand,
    DeAuthorized,
}

/// <summary>UnlockConnector.conf <c>status</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<UnlockStatus>))]
public enum UnlockStatus
{
    Unlocked,
    UnlockFailed,
    NotSupported,
}
