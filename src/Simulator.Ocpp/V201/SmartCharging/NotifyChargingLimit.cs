using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.SmartCharging;

public sealed record NotifyChargingLimitRequest : IOcppRequest<NotifyChargingLimitResponse>
{
    public static string Action => "NotifyChargingLimit";

    public IReadOnlyList<ChargingSchedule>? ChargingSchedule { get; init; }
    public int? EvseId { get; init; }
    public required ChargingLimit ChargingLimit { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(ChargingSchedule, 1, "chargingSchedule")
        .Each(ChargingSchedule, "chargingSchedule")
        .Nested(ChargingLimit, "chargingLimit")
        .Nested(CustomData, "customData");
}

public sealed record NotifyChargingLimitResponse : IOcppResponse
{
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record ChargingLimit : IOcppValidatable
{
    public required ChargingLimitSource ChargingLimitSource { get; init; }
    public bool? IsGridCritical { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}
