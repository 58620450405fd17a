using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.FirmwareManagement;

public sealed record PublishFirmwareStatusNotificationRequest : IOcppRequest<PublishFirmwareStatusNotificationResponse>
{
    public static string Action => "PublishFirmwareStatusNotification";

    public required PublishFirmwareStatus Status { get; init; }
    public IReadOnlyList<string>? Location { get; init; }
    public int? RequestId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(Location, 1, "location")
        .EachMaxLength(Location, 512, "location")
        .Nested(CustomData, "customData");
}

public sealed record PublishFirmwareStatusNotificationResponse : IOcppResponse
{
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

/// <summary>PublishFirmwareStatusNotification.req <c>status</c> (PublishFirmwareStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<PublishFirmwareStatus>))]
public enum PublishFirmwareStatus
{
    Idle,
    DownloadScheduled,
    Downloading,
    Downloaded,
    Published,
    DownloadFailed,
    DownloadPaused,
    InvalidChecksum,
    ChecksumVerified,
    PublishFailed,
}
