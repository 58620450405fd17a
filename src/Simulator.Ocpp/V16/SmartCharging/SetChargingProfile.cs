using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.SmartCharging;

public sealed record SetChargingProfileRequest : IOcppRequest<SetChargingProfileResponse>
{
    public static string Action => "SetChargingProfile";

    public required int ConnectorId { get; init; }
    public required ChargingProfile CsChargingProfiles { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CsChargingProfiles, "csChargingProfiles");
}

public sealed record SetChargingProfileResponse : IOcppResponse
{
    public required ChargingProfileStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
