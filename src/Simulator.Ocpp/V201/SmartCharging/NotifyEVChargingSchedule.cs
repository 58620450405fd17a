using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.SmartCharging;

public sealed record NotifyEVChargingScheduleRequest : IOcppRequest<NotifyEVChargingScheduleResponse>
{
    public static string Action => "NotifyEVChargingSchedule";

    public required DateTimeOffset TimeBase { get; init; }
    public required ChargingSchedule ChargingSchedule { get; init; }
    public required int EvseId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(ChargingSchedule, "chargingSchedule")
        .Nested(CustomData, "customData");
}

public sealed record NotifyEVChargingScheduleResponse : IOcppResponse
{
    public required GenericStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}
