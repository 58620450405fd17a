using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.DisplayMessage;

public sealed record NotifyDisplayMessagesRequest : IOcppRequest<NotifyDisplayMessagesResponse>
{
    public static string Action => "NotifyDisplayMessages";

    public IReadOnlyList<MessageInfo>? MessageInfo { get; init; }
    public required int RequestId { get; init; }
    public bool? Tbc { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(MessageInfo, 1, "messageInfo")
        .Each(MessageInfo, "messageInfo")
        .Nested(CustomData, "customData");
}

public sealed record NotifyDisplayMessagesResponse : IOcppResponse
{
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}
