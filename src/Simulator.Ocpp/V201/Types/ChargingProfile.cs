using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Types;

public sealed record ChargingProfile : IOcppValidatable
{
    public required int Id { get; init; }
    public required int StackLevel { get; init; }
    public required ChargingProfilePurpose ChargingProfilePurpose { get; init; }
    public required ChargingProfileKind ChargingProfileKind { get; init; }
    public RecurrencyKind? RecurrencyKind { get; init; }
    public DateTimeOffset? ValidFrom { get; init; }
    public DateTimeOffset? ValidTo { get; init; }
    public required IReadOnlyList<ChargingSchedule> ChargingSchedule { get; init; }
    public string? TransactionId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(ChargingSchedule, 1, "chargingSchedule")
        .MaxItems(ChargingSchedule, 3, "chargingSchedule")
        .Each(ChargingSchedule, "chargingSchedule")
        .MaxLength(TransactionId, 36, "transactionId")
        .Nested(CustomData, "customData");
}

/// <summary>ChargingProfileCriterion <c>chargingProfilePurpose</c>, ChargingProfile <c>chargingProfilePurpose</c> and ClearChargingProfileCriterion <c>chargingProfilePurpose</c> (ChargingProfilePurposeEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ChargingProfilePurpose>))]
public enum ChargingProfilePurpose
{
    ChargingStationExternalConstraints,
    ChargingStationMaxProfile,
    TxDefaultProfile,
    TxProfile,
}

/// <summary>ChargingProfile <c>chargingProfileKind</c> (ChargingProfileKindEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ChargingProfileKind>))]
public enum ChargingProfileKind
{
    Absolute,
    Recurring,
    Relative,
}

/// <summary>ChargingProfile <c>recurrencyKind</c> (RecurrencyKindEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<RecurrencyKind>))]
public enum RecurrencyKind
{
    Daily,
    Weekly,
}

public sealed record ChargingSchedule : IOcppValidatable
{
    public required int Id { get; init; }
    public DateTimeOffset? StartSchedule { get; init; }
    public int? Duration { get; init; }
    public required ChargingRateUnit ChargingRateUnit { get; init; }
    public required IReadOnlyList<ChargingSchedulePeriod> ChargingSchedulePeriod { get; init; }
    public decimal? MinChargingRate { get; init; }
    public SalesTariff? SalesTariff { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(ChargingSchedulePeriod, 1, "chargingSchedulePeriod")
        .MaxItems(ChargingSchedulePeriod, 1024, "chargingSchedulePeriod")
        .Each(ChargingSchedulePeriod, "chargingSchedulePeriod")
        .Nested(SalesTariff, "salesTariff")
        .Nested(CustomData, "customData");
}

public sealed record ChargingSchedulePeriod : IOcppValidatable
{
    public required int StartPeriod { get; init; }
    public required decimal Limit { get; init; }
    public int? NumberPhases { get; init; }
    public int? PhaseToUse { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

/// <summary>GetCompositeSchedule.req <c>chargingRateUnit</c>, ChargingSchedule <c>chargingRateUnit</c> and CompositeSchedule <c>chargingRateUnit</c> (ChargingRateUnitEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ChargingRateUnit>))]
public enum ChargingRateUnit
{
    W,
    A,
}

public sealed record SalesTariff : IOcppValidatable
{
    public required int Id { get; init; }
    public string? SalesTariffDescription { get; init; }
    public int? NumEPriceLevels { get; init; }
    public required IReadOnlyList<SalesTariffEntry> SalesTariffEntry { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(SalesTariffDescription, 32, "salesTariffDescription")
        .MinItems(SalesTariffEntry, 1, "salesTariffEntry")
        .MaxItems(SalesTariffEntry, 1024, "salesTariffEntry")
        .Each(SalesTariffEntry, "salesTariffEntry")
        .Nested(CustomData, "customData");
}

public sealed record SalesTariffEntry : IOcppValidatable
{
    public required RelativeTimeInterval RelativeTimeInterval { get; init; }
    public int? EPriceLevel { get; init; }
    public IReadOnlyList<ConsumptionCost>? ConsumptionCost { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(RelativeTimeInterval, "relativeTimeInterval")
        .AtLeast(EPriceLevel, 0, "ePriceLevel")
        .MinItems(ConsumptionCost, 1, "consumptionCost")
        .MaxItems(ConsumptionCost, 3, "consumptionCost")
        .Each(ConsumptionCost, "consumptionCost")
        .Nested(CustomData, "customData");
}

public sealed record RelativeTimeInterval : IOcppValidatable
{
    public required int Start { get; init; }
    public int? Duration { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record ConsumptionCost : IOcppValidatable
{
    public required decimal StartValue { get; init; }
    public required IReadOnlyList<Cost> Cost { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(Cost, 1, "cost")
        .MaxItems(Cost, 3, "cost")
        .Each(Cost, "cost")
        .Nested(CustomData, "customData");
}

public sealed record Cost : IOcppValidatable
{
    public required CostKind CostKind { get; init; }
    public required int Amount { get; init; }
    public int? AmountMultiplier { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

/// <summary>Cost <c>costKind</c> (CostKindEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<CostKind>))]
public enum CostKind
{
    CarbonDioxideEmission,
    RelativePricePercentage,
    RenewableGenerationPercentage,
}
