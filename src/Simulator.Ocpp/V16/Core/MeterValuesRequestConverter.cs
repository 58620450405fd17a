using Simulator.Ocpp.Messages;
using System.Text.Json;
using System.Text.Json.Serialization;
using Simulator.Ocpp.V16.Types;
using static Simulator.Ocpp.Messages.HandWrittenJson;

namespace Simulator.Ocpp.V16.Core;

/// <summary>
/// Reads and writes MeterValues.req, the busiest payload, by hand. The generated metadata can only set the records'
/// init-only properties through System.Text.Json's constructor path, which boxes every value into an argument array
/// per object; this converter reads straight into the records instead.
/// It accepts and refuses exactly what the generated metadata does under <see cref="Ocpp16JsonContext"/>'s options
/// (camelCase names, unknown members refused, nullability respected, strict numbers, the last of duplicate members wins,
/// null items of a list kept) and writes the same bytes as the generated serializer. Its exceptions only say that a
/// payload is refused: <see cref="Validation.PayloadDiagnoser"/> explains why from the generated metadata.
/// </summary>
internal sealed class MeterValuesRequestConverter : JsonConverter<MeterValuesRequest>
{
    private static readonly JsonEncodedText ConnectorIdName = JsonEncodedText.Encode("connectorId");
    private static readonly JsonEncodedText TransactionIdName = JsonEncodedText.Encode("transactionId");
    private static readonly JsonEncodedText MeterValueName = JsonEncodedText.Encode("meterValue");
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

    public override MeterValuesRequest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        int? connectorId = null;
        int? transactionId = null;
        List<MeterValue>? meterValues = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, ConnectorIdName))
            {
                connectorId = ReadInt32(ref reader);
            }
            else if (IsName(ref reader, TransactionIdName))
            {
                transactionId = reader.TokenType == JsonTokenType.Null ? null : ReadInt32(ref reader);
            }
            else if (IsName(ref reader, MeterValueName))
            {
                meterValues = ReadMeterValues(ref reader, options);
            }
            else
            {
                throw UnknownMember();
            }
        }
        return new MeterValuesRequest
        {
            ConnectorId = connectorId ?? throw Missing(ConnectorIdName),
            TransactionId = transactionId,
            MeterValue = meterValues ?? throw Missing(MeterValueName),
        };
    }

    private delegate T ItemReader<out T>(ref Utf8JsonReader reader, JsonSerializerOptions options);

    private static List<MeterValue> ReadMeterValues(ref Utf8JsonReader reader, JsonSerializerOptions options)
        => ReadList(ref reader, options, ReadMeterValue);

    /// <summary>
    /// A JSON array of objects. A null item passes here as it passes the generated metadata (only properties carry
    /// nullability); validation refuses it at its index.
    /// </summary>
    private static List<T> ReadList<T>(ref Utf8JsonReader reader, JsonSerializerOptions options, ItemReader<T> readItem)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var items = new List<T>();
        while (NextItem(ref reader))
        {
            items.Add(reader.TokenType == JsonTokenType.Null ? default! : readItem(ref reader, options));
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
                sampledValues = ReadSampledValues(ref reader, options);
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

    private static List<SampledValue> ReadSampledValues(ref Utf8JsonReader reader, JsonSerializerOptions options)
        => ReadList(ref reader, options, ReadSampledValue);

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

    public override void Write(Utf8JsonWriter writer, MeterValuesRequest value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber(ConnectorIdName, value.ConnectorId);
        if (value.TransactionId is { } transactionId)
        {
            writer.WriteNumber(TransactionIdName, transactionId);
        }
        // Members the records require can still be null when built with null!; the generated serializer leaves them out.
        if (value.MeterValue is { } meterValues)
        {
            writer.WriteStartArray(MeterValueName);
            for (var i = 0; i < meterValues.Count; i++)
            {
                WriteMeterValue(writer, meterValues[i]);
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static void WriteMeterValue(Utf8JsonWriter writer, MeterValue? meterValue)
    {
        if (meterValue is null)
        {
            writer.WriteNullValue();
            return;
        }
        writer.WriteStartObject();
        Span<byte> timestamp = stackalloc byte[OcppDateTimeConverter.Length];
        OcppDateTimeConverter.Format(meterValue.Timestamp, timestamp);
        writer.WriteString(TimestampName, timestamp);
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
        if (sampledValue.Value is { } value)
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
