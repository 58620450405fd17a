using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.DisplayMessage;

public sealed record GetDisplayMessagesRequest : IOcppRequest<GetDisplayMessagesResponse>
{
    public static string Action => "GetDisplayMessages";

    public IReadOnlyList<int>? Id { get; init; }
    public required int RequestId { get; init; }
    public MessagePriority? Priority { get; init; }
    public MessageState? State { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(Id, 1, "id")
        .Nested(CustomData, "customData");
}

public sealed record GetDisplayMessagesResponse : IOcppResponse
{
    public required GetDisplayMessagesStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>GetDisplayMessages.conf <c>status</c> (GetDisplayMessagesStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<GetDisplayMessagesStatus>))]
public enum GetDisplayMessagesStatus
{
    Accepted,
    Unknown,
}
