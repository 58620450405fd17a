using Simulator.Ocpp.Messages;
using System.Text.Json.Serialization;

namespace Simulator.Ocpp.V16.Types;

/// <summary>CertificateSigned.conf <c>status</c> (CertificateSignedStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<CertificateSignedStatus>))]
public enum CertificateSignedStatus
{
    Accepted,
    Rejected,
}

/// <summary>CertificateHashData <c>hashAlgorithm</c> (HashAlgorithmEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<HashAlgorithm>))]
public enum HashAlgorithm
{
    SHA256,
    SHA384,
    SHA512,
}

/// <summary>DeleteCertificate.conf <c>status</c> (DeleteCertificateStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<DeleteCertificateStatus>))]
public enum DeleteCertificateStatus
{
    Accepted,
    Failed,
    NotFound,
}

/// <summary>ExtendedTriggerMessage.req <c>requestedMessage</c> (MessageTriggerEnumType of the security extension).</summary>
[JsonConverter(typeof(OcppEnumConverter<ExtendedMessageTrigger>))]
public enum ExtendedMessageTrigger
{
    BootNotification,
    LogStatusNotification,
    FirmwareStatusNotification,
    Heartbeat,
    MeterValues,
    SignChargePointCertificate,
    StatusNotification,
}

/// <summary>ExtendedTriggerMessage.conf <c>status</c> (TriggerMessageStatusEnumType of the security extension).</summary>
[JsonConverter(typeof(OcppEnumConverter<ExtendedTriggerMessageStatus>))]
public enum ExtendedTriggerMessageStatus
{
    Accepted,
    Rejected,
    NotImplemented,
}

/// <summary>InstallCertificate.req and GetInstalledCertificateIds.req <c>certificateType</c> (CertificateUseEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<CertificateUse>))]
public enum CertificateUse
{
    CentralSystemRootCertificate,
    ManufacturerRootCertificate,
}

/// <summary>GetInstalledCertificateIds.conf <c>status</c> (GetInstalledCertificateStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<GetInstalledCertificateStatus>))]
public enum GetInstalledCertificateStatus
{
    Accepted,
    NotFound,
}

/// <summary>GetLog.req <c>logType</c> (LogEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<LogType>))]
public enum LogType
{
    DiagnosticsLog,
    SecurityLog,
}

/// <summary>GetLog.conf <c>status</c> (LogStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<LogStatus>))]
public enum LogStatus
{
    Accepted,
    Rejected,
    AcceptedCanceled,
}

/// <summary>InstallCertificate.conf <c>status</c> (InstallCertificateStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<InstallCertificateStatus>))]
public enum InstallCertificateStatus
{
    Accepted,
    Failed,
    Rejected,
}

/// <summary>LogStatusNotification.req <c>status</c> (UploadLogStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<UploadLogStatus>))]
public enum UploadLogStatus
{
    BadMessage,
    Idle,
    NotSupportedOperation,
    PermissionDenied,
    Uploaded,
    UploadFailure,
    Uploading,
}

/// <summary>SignCertificate.conf <c>status</c> (GenericStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<GenericStatus>))]
public enum GenericStatus
{
    Accepted,
    Rejected,
}

/// <summary>SignedFirmwareStatusNotification.req <c>status</c> (FirmwareStatusEnumType of the security extension).</summary>
[JsonConverter(typeof(OcppEnumConverter<SignedFirmwareStatus>))]
public enum SignedFirmwareStatus
{
    Downloaded,
    DownloadFailed,
    Downloading,
    DownloadScheduled,
    DownloadPaused,
    Idle,
    InstallationFailed,
    Installing,
    Installed,
    InstallRebooting,
    InstallScheduled,
    InstallVerificationFailed,
    InvalidSignature,
    SignatureVerified,
}

/// <summary>SignedUpdateFirmware.conf <c>status</c> (UpdateFirmwareStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<SignedUpdateFirmwareStatus>))]
public enum SignedUpdateFirmwareStatus
{
    Accepted,
    Rejected,
    AcceptedCanceled,
    InvalidCertificate,
    RevokedCertificate,
}
