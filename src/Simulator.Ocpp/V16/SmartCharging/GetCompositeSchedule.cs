using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.SmartCharging;

public sealed record GetCompositeScheduleRequest : IOcppRequest<GetCompositeScheduleResponse>
{
    public static string Action => "GetCompositeSchedule";

    public required int ConnectorId { get; init; }
    /// <summary>Seconds.</summary>
    public required int Duration { get; init; }
    public ChargingRateUnit? ChargingRateUnit { get; init; }

    public void Validate(PayloadChecker check) { }
}

public sealed record GetCompositeScheduleResponse : IOcppResponse
{
    public required GetCompositeScheduleStatus Status { get; init; }
    public int? ConnectorId { get; init; }
    public DateTimeOffset? ScheduleStart { get; init; }
    public ChargingSchedule? ChargingSchedule { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(ChargingSchedule, "chargingSchedule");
}
