using Simulator.Ocpp.Messages.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.Messages.Core;

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
