using Simulator.Ocpp.Messages;
using System.Text.Json.Serialization;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Types;

public sealed record ChargingProfile : IOcppValidatable
{
    public required int ChargingProfileId { get; init; }
    public int? TransactionId { get; init; }
    public required int StackLevel { get; init; }
    public required ChargingProfilePurpose ChargingProfilePurpose { get; init; }
    public required ChargingProfileKind ChargingProfileKind { get; init; }
    public RecurrencyKind? RecurrencyKind { get; init; }
    public DateTimeOffset? ValidFrom { get; init; }
    public DateTimeOffset? ValidTo { get; init; }
    public required ChargingSchedule ChargingSchedule { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(ChargingSchedule, "chargingSchedule");
}

public sealed record ChargingSchedule : IOcppValidatable
{
    /// <summary>Seconds; absent means the last period lasts until the profile ends.</summary>
    public int? Duration { get; init; }
    public DateTimeOffset? StartSchedule { get; init; }
    public required ChargingRateUnit ChargingRateUnit { get; init; }
    public required IReadOnlyList<ChargingSchedulePeriod> ChargingSchedulePeriod { get; init; }
    public decimal? MinChargingRate { get; init; }

    public void Validate(PayloadChecker check) => check
        .MultipleOf(MinChargingRate, 0.1m, "minChargingRate")
        .Each(ChargingSchedulePeriod, "chargingSchedulePeriod");
}

public sealed record ChargingSchedulePeriod : IOcppValidatable
{
    /// <summary>Seconds from the start of the schedule.</summary>
    public required int StartPeriod { get; init; }
    public required decimal Limit { get; init; }
    public int? NumberPhases { get; init; }

    public void Validate(PayloadChecker check) => check.MultipleOf(Limit, 0.1m, "limit");
}

[JsonConverter(typeof(OcppEnumConverter<ChargingProfilePurpose>))]
public enum ChargingProfilePurpose
{
    ChargePointMaxProfile,
    TxDefaultProfile,
    TxProfile,
}

[JsonConverter(typeof(OcppEnumConverter<ChargingProfileKind>))]
public enum ChargingProfileKind
{
    Absolute,
    Recurring,
    Relative,
}

[JsonConverter(typeof(OcppEnumConverter<RecurrencyKind>))]
public enum RecurrencyKind
{
    Daily,
    Weekly,
}

[JsonConverter(typeof(OcppEnumConverter<ChargingRateUnit>))]
public enum ChargingRateUnit
{
    A,
    W,
}
