using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Simulator.Ocpp.Messages;

/// <summary>
/// The reader and writer steps shared by the hand-written converters of the busiest payloads of every OCPP version (1.6
/// MeterValues and the boot and transaction messages, 2.0.1 TransactionEvent and MeterValues). Their exceptions only say that a payload is refused;
/// <see cref="Validation.PayloadDiagnoser"/> explains why from the generated metadata.
/// </summary>
internal static class HandWrittenJson
{
    /// <summary>Moves to the next member of an object: true with the reader on its name, false at the end of the object.</summary>
    public static bool NextProperty(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.PropertyName;
    }

    /// <summary>Moves to the next item of an array: true with the reader on it, false at the end of the array.</summary>
    public static bool NextItem(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType != JsonTokenType.EndArray;
    }

    /// <summary>Whether the member name under the reader is <paramref name="name"/>; if so, the reader moves on to its value.</summary>
    public static bool IsName(ref Utf8JsonReader reader, JsonEncodedText name)
    {
        if (!reader.ValueTextEquals(name.EncodedUtf8Bytes))
        {
            return false;
        }
        reader.Read();
        return true;
    }

    public static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (reader.TokenType != token)
        {
            throw new JsonException($"expected {token}, got {reader.TokenType}");
        }
    }

    public static int ReadInt32(ref Utf8JsonReader reader)
        => reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : throw new JsonException("expected a 32-bit integer");

    public static int? ReadNullableInt32(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : ReadInt32(ref reader);

    public static string ReadString(ref Utf8JsonReader reader)
        => reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("expected a string");

    public static string? ReadNullableString(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : ReadString(ref reader);

    public static TEnum? ReadEnum<TEnum>(ref Utf8JsonReader reader, OcppEnumConverter<TEnum> converter, JsonSerializerOptions options)
        where TEnum : struct, Enum
        => reader.TokenType == JsonTokenType.Null ? null : converter.Read(ref reader, typeof(TEnum), options);

    /// <summary>A required enumeration member: null is refused, as the generated metadata refuses it for a non-nullable enum.</summary>
    public static TEnum ReadRequiredEnum<TEnum>(ref Utf8JsonReader reader, OcppEnumConverter<TEnum> converter, JsonSerializerOptions options)
        where TEnum : struct, Enum
        => converter.Read(ref reader, typeof(TEnum), options);

    /// <summary>A date-time string as <see cref="OcppDateTimeConverter"/> reads it; anything else is refused.</summary>
    public static DateTimeOffset ReadDateTime(ref Utf8JsonReader reader, JsonEncodedText name)
        => OcppDateTimeConverter.TryRead(ref reader, out var value) ? value : throw new JsonException($"{name} is not a date-time string");

    public static DateTimeOffset? ReadNullableDateTime(ref Utf8JsonReader reader, JsonEncodedText name)
        => reader.TokenType == JsonTokenType.Null ? null : ReadDateTime(ref reader, name);

    public static JsonException UnknownMember() => new("not a member of this payload");

    public static JsonException Missing(JsonEncodedText name) => new($"{name} is required");

    /// <summary>Writes a date-time member as <see cref="OcppDateTimeConverter"/> writes it.</summary>
    public static void WriteDateTime(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset value)
    {
        Span<byte> text = stackalloc byte[OcppDateTimeConverter.Length];
        OcppDateTimeConverter.Format(value, text);
        writer.WriteString(name, text);
    }

    /// <summary>Writes a string member; nothing when it is null, as the generated serializer does.</summary>
    public static void WriteOptionalString(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    /// <summary>Writes an enumeration member under its OCPP name; nothing when it is null.</summary>
    public static void WriteEnum<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>(Utf8JsonWriter writer, JsonEncodedText name, TEnum? value)
        where TEnum : struct, Enum
    {
        if (value is { } member)
        {
            writer.WriteString(name, OcppEnumConverter<TEnum>.EncodedName(member));
        }
    }
}
