using Simulator.Ocpp.Messages;
using System.Text.Json.Serialization;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Types;

public sealed record MeterValue : IOcppValidatable
{
    public required DateTimeOffset Timestamp { get; init; }
    public required IReadOnlyList<SampledValue> SampledValue { get; init; }

    public void Validate(PayloadChecker check) => check.Each(SampledValue, "sampledValue");
}

/// <remarks>
/// Made for every sample a charge point sends, so the six optional enums are kept in a byte each (0: absent, else the value
/// + 1) rather than as six <see cref="Nullable{T}"/> of 8 bytes. A meter reading (<see cref="SampledValue(double, int)"/>)
/// keeps its number, and its text is written straight into the frame: 40 bytes a sample instead of 32 and a string of ~40.
/// Equal when their <see cref="Value"/> texts and enums are, however they were made.
/// </remarks>
public sealed record SampledValue : IOcppValidatable
{
    private static readonly string[] ReadingFormats = ["0", "0.0", "0.00", "0.000"];

    private byte _context, _format, _measurand, _phase, _location, _unit;
    /// <summary>A reading's decimals + 1; 0: the value is <see cref="_value"/> (also when that is null).</summary>
    private byte _readingDecimals;
    private string? _value;
    private double _reading;

    public SampledValue()
    {
    }

    /// <summary>A meter reading, written with <paramref name="decimals"/> decimals (0 to 3) as the format "0.0" writes one.</summary>
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
#pragma warning disable CS8618 // Value is the reading's text, made from the number when read
    public SampledValue(double reading, int decimals)
#pragma warning restore CS8618
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(decimals, ReadingFormats.Length);
        _reading = reading;
        _readingDecimals = (byte)(decimals + 1);
    }

    /// <summary>The value's text; a reading's is made at every read (the frame is written without it).</summary>
    public required string Value
    {
        get => _readingDecimals == 0 ? _value! : _reading.ToString(ReadingFormats[_readingDecimals - 1], System.Globalization.CultureInfo.InvariantCulture);
        init
        {
            _value = value;
            _readingDecimals = 0;
        }
    }
    public ReadingContext? Context { get => Unpack<ReadingContext>(_context); init => _context = Pack(value); }
    public ValueFormat? Format { get => Unpack<ValueFormat>(_format); init => _format = Pack(value); }
    public Measurand? Measurand { get => Unpack<Measurand>(_measurand); init => _measurand = Pack(value); }
    public Phase? Phase { get => Unpack<Phase>(_phase); init => _phase = Pack(value); }
    public Location? Location { get => Unpack<Location>(_location); init => _location = Pack(value); }
    public UnitOfMeasure? Unit { get => Unpack<UnitOfMeasure>(_unit); init => _unit = Pack(value); }

    public void Validate(PayloadChecker check) { }

    /// <summary>A reading's text in UTF-8 (false when this value is no reading, or the text does not fit).</summary>
    internal bool TryFormatReading(Span<byte> utf8, out int written)
    {
        written = 0;
        return _readingDecimals != 0
            && _reading.TryFormat(utf8, out written, ReadingFormats[_readingDecimals - 1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool Equals(SampledValue? other) =>
        ReferenceEquals(this, other)
        || (other is not null && _context == other._context && _format == other._format && _measurand == other._measurand && _phase == other._phase
            && _location == other._location && _unit == other._unit && string.Equals(Value, other.Value, StringComparison.Ordinal));

    public override int GetHashCode() => HashCode.Combine(Value, _context, _format, _measurand, _phase, _location, _unit);

    /// <exception cref="ArgumentOutOfRangeException">An enum value outside 0..254 (none of these enums has a member there).</exception>
    private static byte Pack<T>(T? value) where T : struct, Enum
    {
        if (value is not { } v)
        {
            return 0;
        }
        var number = System.Runtime.CompilerServices.Unsafe.As<T, int>(ref v);
        return number is >= 0 and < byte.MaxValue
            ? (byte)(number + 1)
            : throw new ArgumentOutOfRangeException(nameof(value), number, $"{typeof(T).Name} {number} is not a value a sampled value can carry (0..254)");
    }

    private static T? Unpack<T>(byte packed) where T : struct, Enum
    {
        if (packed == 0)
        {
            return null;
        }
        var value = packed - 1;
        return System.Runtime.CompilerServices.Unsafe.As<int, T>(ref value);
    }
}

[JsonConverter(typeof(OcppEnumConverter<ReadingContext>))]
public enum ReadingContext
{
    [JsonStringEnumMemberName("Interruption.Begin")] InterruptionBegin,
    [JsonStringEnumMemberName("Interruption.End")] InterruptionEnd,
    [JsonStringEnumMemberName("Sample.Clock")] SampleClock,
    [JsonStringEnumMemberName("Sample.Periodic")] SamplePeriodic,
    [JsonStringEnumMemberName("Transaction.Begin")] TransactionBegin,
    [JsonStringEnumMemberName("Transaction.End")] TransactionEnd,
    Trigger,
    Other,
}

[JsonConverter(typeof(OcppEnumConverter<ValueFormat>))]
public enum ValueFormat
{
    Raw,
    SignedData,
}

[JsonConverter(typeof(OcppEnumConverter<Measurand>))]
public enum Measurand
{
    [JsonStringEnumMemberName("Energy.Active.Export.Register")] EnergyActiveExportRegister,
    [JsonStringEnumMemberName("Energy.Active.Import.Register")] EnergyActiveImportRegister,
    [JsonStringEnumMemberName("Energy.Reactive.Export.Register")] EnergyReactiveExportRegister,
    [JsonStringEnumMemberName("Energy.Reactive.Import.Register")] EnergyReactiveImportRegister,
    [JsonStringEnumMemberName("Energy.Active.Export.Interval")] EnergyActiveExportInterval,
    [JsonStringEnumMemberName("Energy.Active.Import.Interval")] EnergyActiveImportInterval,
    [JsonStringEnumMemberName("Energy.Reactive.Export.Interval")] EnergyReactiveExportInterval,
    [JsonStringEnumMemberName("Energy.Reactive.Import.Interval")] EnergyReactiveImportInterval,
    [JsonStringEnumMemberName("Power.Active.Export")] PowerActiveExport,
    [JsonStringEnumMemberName("Power.Active.Import")] PowerActiveImport,
    [JsonStringEnumMemberName("Power.Offered")] PowerOffered,
    [JsonStringEnumMemberName("Power.Reactive.Export")] PowerReactiveExport,
    [JsonStringEnumMemberName("Power.Reactive.Import")] PowerReactiveImport,
    [JsonStringEnumMemberName("Power.Factor")] PowerFactor,
    [JsonStringEnumMemberName("Current.Import")] CurrentImport,
    [JsonStringEnumMemberName("Current.Export")] CurrentExport,
    [JsonStringEnumMemberName("Current.Offered")] CurrentOffered,
    Voltage,
    Frequency,
    Temperature,
    SoC,
    RPM,
}

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

[JsonConverter(typeof(OcppEnumConverter<Location>))]
public enum Location
{
    Cable,
    EV,
    Inlet,
    Outlet,
    Body,
}

[JsonConverter(typeof(OcppEnumConverter<UnitOfMeasure>))]
public enum UnitOfMeasure
{
    Wh,
    [JsonStringEnumMemberName("kWh")] KWh,
    [JsonStringEnumMemberName("varh")] Varh,
    [JsonStringEnumMemberName("kvarh")] Kvarh,
    W,
    [JsonStringEnumMemberName("kW")] KW,
    VA,
    [JsonStringEnumMemberName("kVA")] KVA,
    [JsonStringEnumMemberName("var")] Var,
    [JsonStringEnumMemberName("kvar")] Kvar,
    A,
    V,
    K,
    /// <summary>The misspelling the 1.6 schema itself carries; accepted on input, never sent.</summary>
    Celcius,
    Celsius,
    Fahrenheit,
    Percent,
}
