using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Simulator.Ocpp.Messages;

/// <summary>
/// Every date-time FleetSim writes into a payload is UTC with <c>Z</c> and milliseconds, e.g. <c>2026-12-04T19:38:15.668Z</c>:
/// OCPP 2.0.1 requires it, and OCPP 1.6 parsers exist that reject seven fractional digits or <c>+00:00</c>. Finer digits are
/// cut, not rounded, so a written time is never later than the instant. Reading accepts any RFC 3339 date-time.
/// Registered for the whole <see cref="V16.Ocpp16JsonContext"/> and <see cref="V201.Ocpp201JsonContext"/>; hand-written converters write through <see cref="Format"/>.
/// </summary>
public sealed class OcppDateTimeConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>Characters of a written date-time: <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    public const int Length = 24;

    private static readonly string[] Rfc3339Formats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.TryGetDateTimeOffset(out _) && TryParseRfc3339(reader.GetString()!, out var parsed))
        {
            return parsed;
        }

        // The serializer's own parser (ISO 8601 extended, any offset); it throws the exception the serializer reports as a JsonException.
        return reader.GetDateTimeOffset();
    }

    /// <summary>Reads a date-time string as <see cref="Read"/> does; false when the token is not one.</summary>
    public static bool TryRead(ref Utf8JsonReader reader, out DateTimeOffset value)
    {
        value = default;
        return reader.TokenType == JsonTokenType.String && (reader.TryGetDateTimeOffset(out value) || TryParseRfc3339(reader.GetString()!, out value));
    }

    /// <summary>Whether <paramref name="text"/> is a date-time <see cref="Read"/> accepts beyond the serializer's own parser.</summary>
    internal static bool IsRfc3339(string text) => TryParseRfc3339(text, out _);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<byte> text = stackalloc byte[Length];
        Format(value, text);
        writer.WriteStringValue(text);
    }

    /// <summary>Writes <paramref name="value"/> as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (UTC) into the first <see cref="Length"/> bytes.</summary>
    public static void Format(DateTimeOffset value, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Length, nameof(destination));
        var utc = value.UtcDateTime;
        Digits(destination[..4], utc.Year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), utc.Month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), utc.Day);
        destination[10] = (byte)'T';
        Digits(destination.Slice(11, 2), utc.Hour);
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), utc.Minute);
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), utc.Second);
        destination[19] = (byte)'.';
        Digits(destination.Slice(20, 3), utc.Millisecond);
        destination[23] = (byte)'Z';
    }

    /// <summary>The written form as a string (for tests and logs).</summary>
    public static string ToWire(DateTimeOffset value)
    {
        Span<byte> text = stackalloc byte[Length];
        Format(value, text);
        return System.Text.Encoding.ASCII.GetString(text);
    }

    private static void Digits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    /// <summary>What RFC 3339 allows beyond the serializer's parser: a lower-case <c>t</c> and <c>z</c> (section 5.6).</summary>
    private static bool TryParseRfc3339(string text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length is < 20 or > 64 || (text[10] != 't' && !text.EndsWith('z')) || text[10] is not ('t' or 'T'))
        {
            return false;
        }

        var normalized = string.Concat(text[..10], "T", text[11..].Replace('z', 'Z'));
        return DateTimeOffset.TryParseExact(normalized, Rfc3339Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }
}
