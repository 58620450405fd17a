using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Types;

/// <summary>The schemas' EVSEType.</summary>
public sealed record Evse : IOcppValidatable
{
    public required int Id { get; init; }
    public int? ConnectorId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}
