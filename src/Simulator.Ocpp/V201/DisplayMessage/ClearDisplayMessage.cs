using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.DisplayMessage;

public sealed record ClearDisplayMessageRequest : IOcppRequest<ClearDisplayMessageResponse>
{
    public static string Action => "ClearDisplayMessage";

    public required int Id { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record ClearDisplayMessageResponse : IOcppResponse
{
    public required ClearMessageStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>ClearDisplayMessage.conf <c>status</c> (ClearMessageStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ClearMessageStatus>))]
public enum ClearMessageStatus
{
    Accepted,
    Unknown,
}
