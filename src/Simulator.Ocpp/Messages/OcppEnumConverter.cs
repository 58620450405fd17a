using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Simulator.Ocpp.Messages;

/// <summary>
/// Strict enum converter: only the exact OCPP strings are accepted (case-sensitive, no integers),
/// and names are written pre-encoded. The name of a member is its <see cref="JsonStringEnumMemberNameAttribute"/>,
/// else the C# name.
/// </summary>
public sealed class OcppEnumConverter<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    private static readonly TEnum[] Values = Enum.GetValues<TEnum>();
    private static readonly string[] Names = Values.Select(OcppEnumNames.WireName).ToArray();
    private static readonly byte[][] Utf8Names = Names.Select(System.Text.Encoding.UTF8.GetBytes).ToArray();
    private static readonly JsonEncodedText[] EncodedNames = Names.Select(n => JsonEncodedText.Encode(n)).ToArray();

    /// <summary>Whether each member's value is its index in <see cref="Values"/> (0, 1, 2, ...), so that a value indexes its name.</summary>
    private static readonly bool ValuesAreIndexes = Enum.GetUnderlyingType(typeof(TEnum)) == typeof(int)
        && Values.Select((value, index) => Unsafe.BitCast<TEnum, int>(value) == index).All(matches => matches);

    /// <summary>For each UTF-8 length, the indexes of the names of that length: a value is compared with a few names only.</summary>
    private static readonly int[][] IndexesByLength = Enumerable.Range(0, Utf8Names.Max(n => n.Length) + 1)
        .Select(length => Enumerable.Range(0, Utf8Names.Length).Where(i => Utf8Names[i].Length == length).ToArray())
        .ToArray();

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"expected a string, one of {string.Join(", ", Names)}");
        }
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            // Fast path: the raw bytes are the text, so only the names of the same length need comparing.
            var raw = reader.ValueSpan;
            if (raw.Length < IndexesByLength.Length)
            {
                foreach (var i in IndexesByLength[raw.Length])
                {
                    if (raw.SequenceEqual(Utf8Names[i]))
                    {
                        return Values[i];
                    }
                }
            }
        }
        else
        {
            for (var i = 0; i < Utf8Names.Length; i++)
            {
                if (reader.ValueTextEquals(Utf8Names[i]))
                {
                    return Values[i];
                }
            }
        }
        throw new OcppEnumValueException($"'{reader.GetString()}' is not one of {string.Join(", ", Names)}");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) => writer.WriteStringValue(EncodedName(value));

    /// <summary>The member's OCPP name, encoded for a writer; a hand-written converter writes it together with the property name.</summary>
    internal static JsonEncodedText EncodedName(TEnum value)
    {
        var index = ValuesAreIndexes ? Unsafe.BitCast<TEnum, int>(value) : Array.IndexOf(Values, value);
        if ((uint)index >= (uint)Values.Length)
        {
            throw new JsonException($"{value} is not a defined {typeof(TEnum).Name}");
        }
        return EncodedNames[index];
    }
}

public static class OcppEnumNames
{
    /// <summary>The OCPP string of an enum member.</summary>
    public static string WireName<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicFields)] TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var name = value.ToString();
        var field = typeof(TEnum).GetField(name, BindingFlags.Public | BindingFlags.Static);
        return field?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? name;
    }
}

/// <summary>A string that is not one of an enumeration's OCPP values.</summary>
public sealed class OcppEnumValueException(string message) : JsonException(message);
