using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.SmartCharging;

public sealed record ReportChargingProfilesRequest : IOcppRequest<ReportChargingProfilesResponse>
{
    public static string Action => "ReportChargingProfiles";

    public required int RequestId { get; init; }
    public required ChargingLimitSource ChargingLimitSource { get; init; }
    public required IReadOnlyList<ChargingProfile> ChargingProfile { get; init; }
    public bool? Tbc { get; init; }
    public required int EvseId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(ChargingProfile, 1, "chargingProfile")
        .Each(ChargingProfile, "chargingProfile")
        .Nested(CustomData, "customData");
}

public sealed record ReportChargingProfilesResponse : IOcppResponse
{
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}
