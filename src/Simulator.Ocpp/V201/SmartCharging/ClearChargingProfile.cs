using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.SmartCharging;

public sealed record ClearChargingProfileRequest : IOcppRequest<ClearChargingProfileResponse>
{
    public static string Action => "ClearChargingProfile";

    public int? ChargingProfileId { get; init; }
    public ClearChargingProfileCriterion? ChargingProfileCriteria { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(ChargingProfileCriteria, "chargingProfileCriteria")
        .Nested(CustomData, "customData");
}

public sealed record ClearChargingProfileResponse : IOcppResponse
{
    public required ClearChargingProfileStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>The schemas' ClearChargingProfileType.</summary>
public sealed record ClearChargingProfileCriterion : IOcppValidatable
{
    public int? EvseId { get; init; }
    public ChargingProfilePurpose? ChargingProfilePurpose { get; init; }
    public int? StackLevel { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

/// <summary>ClearChargingProfile.conf <c>status</c> (ClearChargingProfileStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ClearChargingProfileStatus>))]
public enum ClearChargingProfileStatus
{
    Accepted,
    Unknown,
}
