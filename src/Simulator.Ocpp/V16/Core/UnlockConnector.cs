using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Core;

public sealed record UnlockConnectorRequest : IOcppRequest<UnlockConnectorResponse>
{
    public static string Action => "UnlockConnector";

    public required int ConnectorId { get; init; }

    public void Validate(PayloadChecker check) { }
}

public sealed record UnlockConnectorResponse : IOcppResponse
{
    public required UnlockStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
