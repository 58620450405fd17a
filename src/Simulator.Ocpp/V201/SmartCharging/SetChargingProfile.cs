using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.SmartCharging;

public sealed record SetChargingProfileRequest : IOcppRequest<SetChargingProfileResponse>
{
    public static string Action => "SetChargingProfile";

    public required int EvseId { get; init; }
    public required ChargingProfile ChargingProfile { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(ChargingProfile, "chargingProfile")
        .Nested(CustomData, "customData");
}

public sealed record SetChargingProfileResponse : IOcppResponse
{
    public required ChargingProfileStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>SetChargingProfile.conf <c>status</c> (ChargingProfileStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ChargingProfileStatus>))]
public enum ChargingProfileStatus
{
    Accepted,
    Rejected,
}
