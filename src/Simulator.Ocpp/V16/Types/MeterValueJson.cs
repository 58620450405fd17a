using System.Text.Json;
using Simulator.Ocpp.Messages;
using static Simulator.Ocpp.Messages.HandWrittenJson;

namespace Simulator.Ocpp.V16.Types;

/// <summary>
/// Reads and writes <see cref="MeterValue"/> lists by hand for the converters of the 1.6 payloads that carry them
/// (MeterValues.req's meterValue, StopTransaction.req's transactionData); the reader and writer steps are
/// <see cref="HandWrittenJson"/>'s. Accepts and refuses what the generated metadata does under <see cref="Ocpp16JsonContext"/>'s
/// options (camelCase names, unknown members refused, nullability respected, strict numbers, the last of duplicate members
/// wins, null items of a list kept) and writes the same bytes.
/// </summary>
internal static class MeterValueJson
{
    private static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText SampledValueName = JsonEncodedText.Encode("sampledValue");
    private static readonly JsonEncodedText ValueName = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText ContextName = JsonEncodedText.Encode("context");
    private static readonly JsonEncodedText FormatName = JsonEncodedText.Encode("format");
    private static readonly JsonEncodedText MeasurandName = JsonEncodedText.Encode("measurand");
    private static readonly JsonEncodedText PhaseName = JsonEncodedText.Encode("phase");
    private static readonly JsonEncodedText LocationName = JsonEncodedText.Encode("location");
    private static readonly JsonEncodedText UnitName = JsonEncodedText.Encode("unit");

    private static readonly OcppEnumConverter<ReadingContext> ContextConverter = new();
    private static readonly OcppEnumConverter<ValueFormat> FormatConverter = new();
    private static readonly OcppEnumConverter<Measurand> MeasurandConverter = new();
    private static readonly OcppEnumConverter<Phase> PhaseConverter = new();
    private static readonly OcppEnumConverter<Location> LocationConverter = new();
    private static readonly OcppEnumConverter<UnitOfMeasure> UnitConverter = new();

    // ───────────────────────── reading ─────────────────────────

    /// <summary>
    /// A JSON array of meter values; the reader is on its first token. A null item passes here as it passes the generated
    /// metadata (only properties carry nullability); validation refuses it at its index.
    /// </summary>
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
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, TimestampName))
            {
                timestamp = OcppDateTimeConverter.TryRead(ref reader, out var value)
                    ? value
                    : throw new JsonException("timestamp is not a date-time string");
            }
            else if (IsName(ref reader, SampledValueName))
            {
                Expect(ref reader, JsonTokenType.StartArray);
                sampledValues = [];
                while (NextItem(ref reader))
                {
                    sampledValues.Add(reader.TokenType == JsonTokenType.Null ? null! : ReadSampledValue(ref reader, options));
                }
            }
            else
            {
                throw UnknownMember();
            }
        }
        return new MeterValue
        {
            Timestamp = timestamp ?? throw Missing(TimestampName),
            SampledValue = sampledValues ?? throw Missing(SampledValueName),
        };
    }

    private static SampledValue ReadSampledValue(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? value = null;
        ReadingContext? context = null;
        ValueFormat? format = null;
        Measurand? measurand = null;
        Phase? phase = null;
        Location? location = null;
        UnitOfMeasure? unit = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, ValueName))
            {
                Expect(ref reader, JsonTokenType.String);
                value = reader.GetString();
            }
            else if (IsName(ref reader, ContextName))
            {
                context = ReadEnum(ref reader, ContextConverter, options);
            }
            else if (IsName(ref reader, FormatName))
            {
                format = ReadEnum(ref reader, FormatConverter, options);
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
            else if (IsName(ref reader, UnitName))
            {
                unit = ReadEnum(ref reader, UnitConverter, options);
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
            Format = format,
            Measurand = measurand,
            Phase = phase,
            Location = location,
            Unit = unit,
        };
    }

    // ───────────────────────── writing ─────────────────────────

    /// <summary>Writes <paramref name="meterValues"/> as the array member <paramref name="name"/>.</summary>
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
        WriteDateTime(writer, TimestampName, meterValue.Timestamp);
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
        Span<byte> reading = stackalloc byte[64];
        if (sampledValue.TryFormatReading(reading, out var length))
        {
            writer.WriteString(ValueName, reading[..length]);
        }
        else if (sampledValue.Value is { } value)
        {
            writer.WriteString(ValueName, value);
        }
        WriteEnum(writer, ContextName, sampledValue.Context);
        WriteEnum(writer, FormatName, sampledValue.Format);
        WriteEnum(writer, MeasurandName, sampledValue.Measurand);
        WriteEnum(writer, PhaseName, sampledValue.Phase);
        WriteEnum(writer, LocationName, sampledValue.Location);
        WriteEnum(writer, UnitName, sampledValue.Unit);
        writer.WriteEndObject();
    }
}
