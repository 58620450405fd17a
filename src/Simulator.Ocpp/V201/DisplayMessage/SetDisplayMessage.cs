using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.DisplayMessage;

public sealed record SetDisplayMessageRequest : IOcppRequest<SetDisplayMessageResponse>
{
    public static string Action => "SetDisplayMessage";

    public required MessageInfo Message { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(Message, "message")
        .Nested(CustomData, "customData");
}

public sealed record SetDisplayMessageResponse : IOcppResponse
{
    public required DisplayMessageStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>SetDisplayMessage.conf <c>status</c> (DisplayMessageStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<DisplayMessageStatus>))]
public enum DisplayMessageStatus
{
    Accepted,
    NotSupportedMessageFormat,
    Rejected,
    NotSupportedPriority,
    NotSupportedState,
    UnknownTransaction,
}
