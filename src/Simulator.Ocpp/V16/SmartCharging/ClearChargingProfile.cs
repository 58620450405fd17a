using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.SmartCharging;

/// <summary>Every field is a filter; an empty request clears all profiles.</summary>
public sealed record ClearChargingProfileRequest : IOcppRequest<ClearChargingProfileResponse>
{
    public static string Action => "ClearChargingProfile";

    public int? Id { get; init; }
    public int? ConnectorId { get; init; }
    public ChargingProfilePurpose? ChargingProfilePurpose { get; init; }
    public int? StackLevel { get; init; }

    public void Validate(PayloadChecker check) { }
}

public sealed record ClearChargingProfileResponse : IOcppResponse
{
    public required ClearChargingProfileStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
