using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.RemoteTrigger;

public sealed record TriggerMessageRequest : IOcppRequest<TriggerMessageResponse>
{
    public static string Action => "TriggerMessage";

    public required MessageTrigger RequestedMessage { get; init; }
    public int? ConnectorId { get; init; }

    public void Validate(PayloadChecker check) { }
}

public sealed record TriggerMessageResponse : IOcppResponse
{
    public required TriggerMessageStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
