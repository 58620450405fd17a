using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Types;

public sealed record MeterValue : IOcppValidatable
{
    public required IReadOnlyList<SampledValue> SampledValue { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(SampledValue, 1, "sampledValue")
        .Each(SampledValue, "sampledValue")
        .Nested(CustomData, "customData");
}

public sealed record SampledValue : IOcppValidatable
{
    public required decimal Value { get; init; }
    public ReadingContext? Context { get; init; }
    public Measurand? Measurand { get; init; }
    public Phase? Phase { get; init; }
    public Location? Location { get; init; }
    public SignedMeterValue? SignedMeterValue { get; init; }
    public UnitOfMeasure? UnitOfMeasure { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(SignedMeterValue, "signedMeterValue")
        .Nested(UnitOfMeasure, "unitOfMeasure")
        .Nested(CustomData, "customData");
}

public sealed record SignedMeterValue : IOcppValidatable
{
    public required string SignedMeterData { get; init; }
    public required string SigningMethod { get; init; }
    public required string EncodingMethod { get; init; }
    public required string PublicKey { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(SignedMeterData, 2500, "signedMeterData")
        .MaxLength(SigningMethod, 50, "signingMethod")
        .MaxLength(EncodingMethod, 50, "encodingMethod")
        .MaxLength(PublicKey, 2500, "publicKey")
        .Nested(CustomData, "customData");
}

public sealed record UnitOfMeasure : IOcppValidatable
{
    public string? Unit { get; init; }
    public int? Multiplier { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Unit, 20, "unit")
        .Nested(CustomData, "customData");
}

/// <summary>SampledValue <c>context</c> (ReadingContextEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ReadingContext>))]
public enum ReadingContext
{
    [JsonStringEnumMemberName("Interruption.Begin")] InterruptionBegin,
    [JsonStringEnumMemberName("Interruption.End")] InterruptionEnd,
    Other,
    [JsonStringEnumMemberName("Sample.Clock")] SampleClock,
    [JsonStringEnumMemberName("Sample.Periodic")] SamplePeriodic,
    [JsonStringEnumMemberName("Transaction.Begin")] TransactionBegin,
    [JsonStringEnumMemberName("Transaction.End")] TransactionEnd,
    Trigger,
}

/// <summary>SampledValue <c>measurand</c> (MeasurandEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<Measurand>))]
public enum Measurand
{
    [JsonStringEnumMemberName("Current.Export")] CurrentExport,
    [JsonStringEnumMemberName("Current.Import")] CurrentImport,
    [JsonStringEnumMemberName("Current.Offered")] CurrentOffered,
    [JsonStringEnumMemberName("Energy.Active.Export.Register")] EnergyActiveExportRegister,
    [JsonStringEnumMemberName("Energy.Active.Import.Register")] EnergyActiveImportRegister,
    [JsonStringEnumMemberName("Energy.Reactive.Export.Register")] EnergyReactiveExportRegister,
    [JsonStringEnumMemberName("Energy.Reactive.Import.Register")] EnergyReactiveImportRegister,
    [JsonStringEnumMemberName("Energy.Active.Export.Interval")] EnergyActiveExportInterval,
    [JsonStringEnumMemberName("Energy.Active.Import.Interval")] EnergyActiveImportInterval,
    [JsonStringEnumMemberName("Energy.Active.Net")] EnergyActiveNet,
    [JsonStringEnumMemberName("Energy.Reactive.Export.Interval")] EnergyReactiveExportInterval,
    [JsonStringEnumMemberName("Energy.Reactive.Import.Interval")] EnergyReactiveImportInterval,
    [JsonStringEnumMemberName("Energy.Reactive.Net")] EnergyReactiveNet,
    [JsonStringEnumMemberName("Energy.Apparent.Net")] EnergyApparentNet,
    [JsonStringEnumMemberName("Energy.Apparent.Import")] EnergyApparentImport,
    [JsonStringEnumMemberName("Energy.Apparent.Export")] EnergyApparentExport,
    Frequency,
    [JsonStringEnumMemberName("Power.Active.Export")] PowerActiveExport,
    [JsonStringEnumMemberName("Power.Active.Import")] PowerActiveImport,
    [JsonStringEnumMemberName("Power.Factor")] PowerFactor,
    [JsonStringEnumMemberName("Power.Offered")] PowerOffered,
    [JsonStringEnumMemberName("Power.Reactive.Export")] PowerReactiveExport,
    [JsonStringEnumMemberName("Power.Reactive.Import")] PowerReactiveImport,
    SoC,
    Voltage,
}

/// <summary>SampledValue <c>phase</c> (PhaseEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<Phase>))]
public enum Phase
{
    L1,
    L2,
    L3,
    N,
    [JsonStringEnumMemberName("L1-N")] L1N,
    [JsonStringEnumMemberName("L2-N")] L2N,
    [JsonStringEnumMemberName("L3-N")] L3N,
    [JsonStringEnumMemberName("L1-L2")] L1L2,
    [JsonStringEnumMemberName("L2-L3")] L2L3,
    [JsonStringEnumMemberName("L3-L1")] L3L1,
}

/// <summary>SampledValue <c>location</c> (LocationEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<Location>))]
public enum Location
{
    Body,
    Cable,
    EV,
    Inlet,
    Outlet,
}
