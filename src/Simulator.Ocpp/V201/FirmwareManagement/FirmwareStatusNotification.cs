using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.FirmwareManagement;

public sealed record FirmwareStatusNotificationRequest : IOcppRequest<FirmwareStatusNotificationResponse>
{
    public static string Action => "FirmwareStatusNotification";

    public required FirmwareStatus Status { get; init; }
    public int? RequestId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record FirmwareStatusNotificationResponse : IOcppResponse
{
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

/// <summary>FirmwareStatusNotification.req <c>status</c> (FirmwareStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<FirmwareStatus>))]
public enum FirmwareStatus
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
