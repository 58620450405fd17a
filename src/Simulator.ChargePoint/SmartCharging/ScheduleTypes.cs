namespace Simulator.ChargePoint.SmartCharging;

/// <summary>What a profile is for, whatever the OCPP version calls it (1.6 ChargePointMaxProfile = 2.0.1 ChargingStationMaxProfile).</summary>
public enum SchedulePurpose
{
    /// <summary>The cap of the whole station (1.6 ChargePointMaxProfile, 2.0.1 ChargingStationMaxProfile).</summary>
    StationMax,

    /// <summary>A limit imposed on the station from outside (2.0.1 ChargingStationExternalConstraints, e.g. an EMS).</summary>
    ExternalConstraints,
    TxDefault,
    Tx,
}

public enum ScheduleKind
{
    Absolute,
    Recurring,
    Relative,
}

public enum ScheduleRecurrency
{
    Daily,
    Weekly,
}

public enum RateUnit
{
    W,
    A,
}

/// <summary>One period of a schedule: from <see cref="StartPeriod"/> seconds after the schedule start, at most <see cref="Limit"/>.</summary>
public sealed record SchedulePeriod
{
    public required int StartPeriod { get; init; }
    public required decimal Limit { get; init; }
    public int? NumberPhases { get; init; }
}

public sealed record Schedule
{
    public DateTimeOffset? StartSchedule { get; init; }
    public int? Duration { get; init; }
    public required RateUnit RateUnit { get; init; }
    public required IReadOnlyList<SchedulePeriod> SchedulePeriod { get; init; }
}

/// <summary>A charging profile of any OCPP version, as the schedule engine sees it. Each version has a small adapter to and from it.</summary>
public sealed record ScheduleProfile
{
    public required int Id { get; init; }
    public required int StackLevel { get; init; }
    public required SchedulePurpose Purpose { get; init; }
    public required ScheduleKind Kind { get; init; }
    public ScheduleRecurrency? Recurrency { get; init; }
    public DateTimeOffset? ValidFrom { get; init; }
    public DateTimeOffset? ValidTo { get; init; }

    /// <summary>The transaction a TxProfile is for (1.6's integer id as text).</summary>
    public string? TransactionId { get; init; }
    public required Schedule Schedule { get; init; }
}
