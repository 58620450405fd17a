using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Simulator.Ocpp.Messages;
using static Simulator.Ocpp.Messages.HandWrittenJson;

namespace Simulator.Ocpp.V201.Types;

/// <summary>
/// Reads and writes <see cref="MeterValue"/> lists by hand for the converters of the busiest 2.0.1 payloads (TransactionEvent,
/// MeterValues); the reader and writer steps are <see cref="HandWrittenJson"/>'s. Accepts and refuses what the generated metadata does under
/// <see cref="Ocpp201JsonContext"/>'s options (camelCase names, unknown members refused, nullability respected, strict numbers,
/// the last of duplicate members wins, null items of a list kept) and writes the same bytes. The rare members (customData,
/// signedMeterValue) go through the generated metadata.
/// </summary>
internal static class MeterValueJson
{
    private static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText SampledValueName = JsonEncodedText.Encode("sampledValue");
    private static readonly JsonEncodedText ValueName = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText ContextName = JsonEncodedText.Encode("context");
    private static readonly JsonEncodedText MeasurandName = JsonEncodedText.Encode("measurand");
    private static readonly JsonEncodedText PhaseName = JsonEncodedText.Encode("phase");
    private static readonly JsonEncodedText LocationName = JsonEncodedText.Encode("location");
    private static readonly JsonEncodedText SignedMeterValueName = JsonEncodedText.Encode("signedMeterValue");
    private static readonly JsonEncodedText UnitOfMeasureName = JsonEncodedText.Encode("unitOfMeasure");
    private static readonly JsonEncodedText UnitName = JsonEncodedText.Encode("unit");
    private static readonly JsonEncodedText MultiplierName = JsonEncodedText.Encode("multiplier");
    public static readonly JsonEncodedText CustomDataName = JsonEncodedText.Encode("customData");

    private static readonly OcppEnumConverter<ReadingContext> ContextConverter = new();
    private static readonly OcppEnumConverter<Measurand> MeasurandConverter = new();
    private static readonly OcppEnumConverter<Phase> PhaseConverter = new();
    private static readonly OcppEnumConverter<Location> LocationConverter = new();

    // ───────────────────────── reading ─────────────────────────

    /// <summary>A JSON array of meter values; the reader is on its first token. A null item passes as it passes the generated metadata; validation refuses it.</summary>
    public static List<MeterValue> ReadList(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var items = new List<MeterValue>();
        while (NextItem(ref reader))
        {
            items.Add(reader.TokenType == JsonTokenType.Null ? null! : ReadMeterValue(ref reader, options));
        }
        return items;
    }

    private static MeterValue ReadMeterValue(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        DateTimeOffset? timestamp = null;
        List<SampledValue>? sampledValues = null;
        CustomData? customData = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, SampledValueName))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                sampledValues = [];
                while (NextItem(ref reader))
                {
                    sampledValues.Add(reader.TokenType == JsonTokenType.Null ? null! : ReadSampledValue(ref reader, options));
                }
            }
            else if (IsName(ref reader, TimestampName))
            {
                timestamp = OcppDateTimeConverter.TryRead(ref reader, out var value) ? value : throw new JsonException("timestamp is not a date-time string");
            }
            else if (IsName(ref reader, CustomDataName))
            {
                customData = ReadCustomData(ref reader, options);
            }
            else
            {
                throw UnknownMember();
            }
        }
        return new MeterValue
        {
            SampledValue = sampledValues ?? throw Missing(SampledValueName),
            Timestamp = timestamp ?? throw Missing(TimestampName),
            CustomData = customData,
        };
    }

    private static SampledValue ReadSampledValue(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        decimal? value = null;
        ReadingContext? context = null;
        Measurand? measurand = null;
        Phase? phase = null;
        Location? location = null;
        SignedMeterValue? signed = null;
        UnitOfMeasure? unit = null;
        CustomData? customData = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, ValueName))
            {
                value = reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var number) ? number : throw new JsonException("expected a decimal number");
            }
            else if (IsName(ref reader, ContextName))
            {
                context = ReadEnum(ref reader, ContextConverter, options);
            }
            else if (IsName(ref reader, MeasurandName))
            {
                measurand = ReadEnum(ref reader, MeasurandConverter, options);
            }
            else if (IsName(ref reader, PhaseName))
            {
                phase = ReadEnum(ref reader, PhaseConverter, options);
            }
            else if (IsName(ref reader, LocationName))
            {
                location = ReadEnum(ref reader, LocationConverter, options);
            }
            else if (IsName(ref reader, SignedMeterValueName))
            {
                signed = ReadGenerated(ref reader, Ocpp201JsonContext.Default.SignedMeterValue);
            }
            else if (IsName(ref reader, UnitOfMeasureName))
            {
                unit = reader.TokenType == JsonTokenType.Null ? null : ReadUnitOfMeasure(ref reader, options);
            }
            else if (IsName(ref reader, CustomDataName))
            {
                customData = ReadCustomData(ref reader, options);
            }
            else
            {
                throw UnknownMember();
            }
        }
        return new SampledValue
        {
            Value = value ?? throw Missing(ValueName),
            Context = context,
            Measurand = measurand,
            Phase = phase,
            Location = location,
            SignedMeterValue = signed,
            UnitOfMeasure = unit,
            CustomData = customData,
        };
    }

    private static UnitOfMeasure ReadUnitOfMeasure(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? unit = null;
        int? multiplier = null;
        CustomData? customData = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, UnitName))
            {
                unit = ReadNullableString(ref reader);
            }
            else if (IsName(ref reader, MultiplierName))
            {
                multiplier = reader.TokenType == JsonTokenType.Null ? null : ReadInt32(ref reader);
            }
            else if (IsName(ref reader, CustomDataName))
            {
                customData = ReadCustomData(ref reader, options);
            }
            else
            {
                throw UnknownMember();
            }
        }
        return new UnitOfMeasure { Unit = unit, Multiplier = multiplier, CustomData = customData };
    }

    // ───────────────────────── members read by the generated metadata ─────────────────────────

    /// <summary>The open vendor object, through the generated metadata (its extension data); null when the member is null.</summary>
    public static CustomData? ReadCustomData(ref Utf8JsonReader reader, JsonSerializerOptions options)
        => ReadGenerated(ref reader, Ocpp201JsonContext.Default.CustomData);

    /// <summary>A nullable member read by the generated metadata; the reader ends on the value's last token.</summary>
    public static T? ReadGenerated<T>(ref Utf8JsonReader reader, JsonTypeInfo<T> info)
        where T : class
        => reader.TokenType == JsonTokenType.Null ? null : JsonSerializer.Deserialize(ref reader, info);

    // ───────────────────────── writing ─────────────────────────

    public static void WriteList(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<MeterValue> meterValues)
    {
        writer.WriteStartArray(name);
        for (var i = 0; i < meterValues.Count; i++)
        {
            WriteMeterValue(writer, meterValues[i]);
        }
        writer.WriteEndArray();
    }

    private static void WriteMeterValue(Utf8JsonWriter writer, MeterValue? meterValue)
    {
        if (meterValue is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartObject();
        // Members the records require can still be null when built with null!; the generated serializer leaves them out.
        if (meterValue.SampledValue is { } sampledValues)
        {
            writer.WriteStartArray(SampledValueName);
            for (var i = 0; i < sampledValues.Count; i++)
            {
                WriteSampledValue(writer, sampledValues[i]);
            }
            writer.WriteEndArray();
        }
        WriteTimestamp(writer, TimestampName, meterValue.Timestamp);
        WriteCustomData(writer, meterValue.CustomData);
        writer.WriteEndObject();
    }

    private static void WriteSampledValue(Utf8JsonWriter writer, SampledValue? sampledValue)
    {
        if (sampledValue is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartObject();
        writer.WriteNumber(ValueName, sampledValue.Value);
        WriteEnum(writer, ContextName, sampledValue.Context);
        WriteEnum(writer, MeasurandName, sampledValue.Measurand);
        WriteEnum(writer, PhaseName, sampledValue.Phase);
        WriteEnum(writer, LocationName, sampledValue.Location);
        if (sampledValue.SignedMeterValue is { } signed)
        {
            writer.WritePropertyName(SignedMeterValueName);
            JsonSerializer.Serialize(writer, signed, Ocpp201JsonContext.Default.SignedMeterValue);
        }
        if (sampledValue.UnitOfMeasure is { } unit)
        {
            writer.WriteStartObject(UnitOfMeasureName);
            if (unit.Unit is { } text)
            {
                writer.WriteString(UnitName, text);
            }
            if (unit.Multiplier is { } multiplier)
            {
                writer.WriteNumber(MultiplierName, multiplier);
            }
            WriteCustomData(writer, unit.CustomData);
            writer.WriteEndObject();
        }
        WriteCustomData(writer, sampledValue.CustomData);
        writer.WriteEndObject();
    }

    public static void WriteTimestamp(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset value)
    {
        Span<byte> text = stackalloc byte[OcppDateTimeConverter.Length];
        OcppDateTimeConverter.Format(value, text);
        writer.WriteString(name, text);
    }

    public static void WriteCustomData(Utf8JsonWriter writer, CustomData? customData)
    {
        if (customData is not null)
        {
            writer.WritePropertyName(CustomDataName);
            JsonSerializer.Serialize(writer, customData, Ocpp201JsonContext.Default.CustomData);
        }
    }
}
