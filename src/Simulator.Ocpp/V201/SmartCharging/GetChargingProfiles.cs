using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.SmartCharging;

public sealed record GetChargingProfilesRequest : IOcppRequest<GetChargingProfilesResponse>
{
    public static string Action => "GetChargingProfiles";

    public required int RequestId { get; init; }
    public int? EvseId { get; init; }
    public required ChargingProfileCriterion ChargingProfile { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(ChargingProfile, "chargingProfile")
        .Nested(CustomData, "customData");
}

public sealed record GetChargingProfilesResponse : IOcppResponse
{
    public required GetChargingProfileStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

public sealed record ChargingProfileCriterion : IOcppValidatable
{
    public ChargingProfilePurpose? ChargingProfilePurpose { get; init; }
    public int? StackLevel { get; init; }
    public IReadOnlyList<int>? ChargingProfileId { get; init; }
    public IReadOnlyList<ChargingLimitSource>? ChargingLimitSource { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(ChargingProfileId, 1, "chargingProfileId")
        .MinItems(ChargingLimitSource, 1, "chargingLimitSource")
        .MaxItems(ChargingLimitSource, 4, "chargingLimitSource")
        .Nested(CustomData, "customData");
}

/// <summary>GetChargingProfiles.conf <c>status</c> (GetChargingProfileStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<GetChargingProfileStatus>))]
public enum GetChargingProfileStatus
{
    Accepted,
    NoProfiles,
}
