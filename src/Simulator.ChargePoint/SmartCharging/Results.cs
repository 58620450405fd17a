using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.SmartCharging;

/// <summary>The answer to SetChargingProfile: Accepted, or Rejected with the reason (for logs; OCPP 1.6 has no field for it).</summary>
public sealed record ChargingProfileOutcome(bool Accepted, string? Reason)
{
    public static ChargingProfileOutcome Ok { get; } = new(true, null);

    public static ChargingProfileOutcome Rejected(string reason) => new(false, reason);
}

/// <summary>The answer to GetCompositeSchedule: the combined schedule, period offsets counted from <see cref="ScheduleStart"/>.</summary>
public sealed record CompositeScheduleResult(DateTimeOffset ScheduleStart, ChargingSchedule Schedule);

/// <summary>The version-neutral composite schedule: period offsets counted from <see cref="ScheduleStart"/>.</summary>
public sealed record CompositeLimits(DateTimeOffset ScheduleStart, Schedule Schedule);
