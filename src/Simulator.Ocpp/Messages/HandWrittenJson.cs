using System.Text.Json;

namespace Simulator.Ocpp.Messages;

/// <summary>
/// The reader and writer steps shared by the hand-written converters of the busiest payloads of every OCPP version (1.6
/// MeterValues, 2.0.1 TransactionEvent and MeterValues). Their exceptions only say that a payload is refused;
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

    public static string ReadString(ref Utf8JsonReader reader)
        => reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new JsonException("expected a string");

    public static string? ReadNullableString(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? null : ReadString(ref reader);

    public static TEnum? ReadEnum<TEnum>(ref Utf8JsonReader reader, OcppEnumConverter<TEnum> converter, JsonSerializerOptions options)
        where TEnum : struct, Enum
        => reader.TokenType == JsonTokenType.Null ? null : converter.Read(ref reader, typeof(TEnum), options);

    public static JsonException UnknownMember() => new("not a member of this payload");

    public static JsonException Missing(JsonEncodedText name) => new($"{name} is required");

    /// <summary>Writes an enumeration member under its OCPP name; nothing when it is null.</summary>
    public static void WriteEnum<TEnum>(Utf8JsonWriter writer, JsonEncodedText name, TEnum? value)
        where TEnum : struct, Enum
    {
        if (value is { } member)
        {
            writer.WriteString(name, OcppEnumConverter<TEnum>.EncodedName(member));
        }
    }
}
