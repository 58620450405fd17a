using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Core;

public sealed record ChangeAvailabilityRequest : IOcppRequest<ChangeAvailabilityResponse>
{
    public static string Action => "ChangeAvailability";

    /// <summary>0 means the whole charge point.</summary>
    public required int ConnectorId { get; init; }
    public required AvailabilityType Type { get; init; }

    public void Validate(PayloadChecker check) { }
}

public sealed record ChangeAvailabilityResponse : IOcppResponse
{
    public required AvailabilityStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
