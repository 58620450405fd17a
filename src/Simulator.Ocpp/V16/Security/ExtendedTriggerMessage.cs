using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Security;

public sealed record ExtendedTriggerMessageRequest : IOcppRequest<ExtendedTriggerMessageResponse>
{
    public static string Action => "ExtendedTriggerMessage";

    public required ExtendedMessageTrigger RequestedMessage { get; init; }
    public int? ConnectorId { get; init; }

    public void Validate(PayloadChecker check) { }
}

public sealed record ExtendedTriggerMessageResponse : IOcppResponse
{
    public required ExtendedTriggerMessageStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
