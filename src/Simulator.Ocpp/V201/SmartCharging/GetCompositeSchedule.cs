using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.SmartCharging;

public sealed record GetCompositeScheduleRequest : IOcppRequest<GetCompositeScheduleResponse>
{
    public static string Action => "GetCompositeSchedule";

    public required int Duration { get; init; }
    public ChargingRateUnit? ChargingRateUnit { get; init; }
    public required int EvseId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record GetCompositeScheduleResponse : IOcppResponse
{
    public required GenericStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CompositeSchedule? Schedule { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(Schedule, "schedule")
        .Nested(CustomData, "customData");
}

public sealed record CompositeSchedule : IOcppValidatable
{
    public required IReadOnlyList<ChargingSchedulePeriod> ChargingSchedulePeriod { get; init; }
    public required int EvseId { get; init; }
    public required int Duration { get; init; }
    public required DateTimeOffset ScheduleStart { get; init; }
    public required ChargingRateUnit ChargingRateUnit { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(ChargingSchedulePeriod, 1, "chargingSchedulePeriod")
        .Each(ChargingSchedulePeriod, "chargingSchedulePeriod")
        .Nested(CustomData, "customData");
}
