using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.SmartCharging;

public sealed record NotifyEVChargingNeedsRequest : IOcppRequest<NotifyEVChargingNeedsResponse>
{
    public static string Action => "NotifyEVChargingNeeds";

    public int? MaxScheduleTuples { get; init; }
    public required ChargingNeeds ChargingNeeds { get; init; }
    public required int EvseId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(ChargingNeeds, "chargingNeeds")
        .Nested(CustomData, "customData");
}

public sealed record NotifyEVChargingNeedsResponse : IOcppResponse
{
    public required NotifyEVChargingNeedsStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

public sealed record ChargingNeeds : IOcppValidatable
{
    public AcChargingParameters? AcChargingParameters { get; init; }
    public DcChargingParameters? DcChargingParameters { get; init; }
    public required EnergyTransferMode RequestedEnergyTransfer { get; init; }
    public DateTimeOffset? DepartureTime { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(AcChargingParameters, "acChargingParameters")
        .Nested(DcChargingParameters, "dcChargingParameters")
        .Nested(CustomData, "customData");
}

/// <summary>The schemas' ACChargingParametersType.</summary>
public sealed record AcChargingParameters : IOcppValidatable
{
    public required int EnergyAmount { get; init; }
    public required int EvMinCurrent { get; init; }
    public required int EvMaxCurrent { get; init; }
    public required int EvMaxVoltage { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

/// <summary>The schemas' DCChargingParametersType.</summary>
public sealed record DcChargingParameters : IOcppValidatable
{
    public required int EvMaxCurrent { get; init; }
    public required int EvMaxVoltage { get; init; }
    public int? EnergyAmount { get; init; }
    public int? EvMaxPower { get; init; }
    public int? StateOfCharge { get; init; }
    public int? EvEnergyCapacity { get; init; }
    public int? FullSoC { get; init; }
    public int? BulkSoC { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .AtLeast(StateOfCharge, 0, "stateOfCharge")
        .AtMost(StateOfCharge, 100, "stateOfCharge")
        .AtLeast(FullSoC, 0, "fullSoC")
        .AtMost(FullSoC, 100, "fullSoC")
        .AtLeast(BulkSoC, 0, "bulkSoC")
        .AtMost(BulkSoC, 100, "bulkSoC")
        .Nested(CustomData, "customData");
}

/// <summary>ChargingNeeds <c>requestedEnergyTransfer</c> (EnergyTransferModeEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<EnergyTransferMode>))]
public enum EnergyTransferMode
{
    DC,
    [JsonStringEnumMemberName("AC_single_phase")] ACSinglePhase,
    [JsonStringEnumMemberName("AC_two_phase")] ACTwoPhase,
    [JsonStringEnumMemberName("AC_three_phase")] ACThreePhase,
}

/// <summary>NotifyEVChargingNeeds.conf <c>status</c> (NotifyEVChargingNeedsStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<NotifyEVChargingNeedsStatus>))]
public enum NotifyEVChargingNeedsStatus
{
    Accepted,
    Rejected,
    Processing,
}
