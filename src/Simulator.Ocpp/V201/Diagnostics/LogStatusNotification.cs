using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Diagnostics;

public sealed record LogStatusNotificationRequest : IOcppRequest<LogStatusNotificationResponse>
{
    public static string Action => "LogStatusNotification";

    public required UploadLogStatus Status { get; init; }
    public int? RequestId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record LogStatusNotificationResponse : IOcppResponse
{
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
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
    AcceptedCanceled,
}
