using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Simulator.Ocpp.Framing;

namespace Simulator.Ocpp.Validation;

/// <summary>
/// Explains why a payload did not deserialize: walks the JSON beside the source-generated metadata of the target type
/// and names the first field that is missing, unknown, of the wrong JSON type, or not an allowed value.
/// Runs only on the error path; valid payloads never come here.
/// </summary>
internal static class PayloadDiagnoser
{
    public static PayloadViolation Diagnose(ReadOnlyMemory<byte> payload, JsonTypeInfo typeInfo, JsonException original)
    {
        // A type read with a hand-written converter has no members in its own metadata; the generated metadata of the
        // context its options derive from has them.
        var generated = typeInfo.Kind == JsonTypeInfoKind.None && typeInfo.Options.TypeInfoResolver is System.Text.Json.Serialization.JsonSerializerContext context
            ? context.GetTypeInfo(typeInfo.Type) ?? typeInfo
            : typeInfo;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload);
        }
        catch (JsonException ex)
        {
            return new PayloadViolation(OcppErrorCode.FormatViolation, "", $"payload is not valid JSON: {ex.Message}");
        }
        using (document)
        {
            try
            {
                return Walk(document.RootElement, generated, "") ?? Unexplained(payload, typeInfo, generated, original);
            }
            catch (InvalidOperationException ex)
            {
                // JsonDocument.Parse does not check the UTF-8 inside strings; reading a name or value with broken UTF-8 throws this.
                return new PayloadViolation(OcppErrorCode.FormatViolation, "", $"payload is not valid UTF-8 text: {ex.Message}");
            }
        }
    }

    /// <summary>
    /// What the walk cannot see (text that is not valid UTF-8 or UTF-16, a duplicate member whose first value is wrong) is
    /// reported in the deserializer's own words. A hand-written converter does not know the path the generated metadata
    /// would name, so the payload is read again with the generated metadata for its exception, the way the codec read
    /// every payload before (the reader overload, whose positions count from the start of the value).
    /// </summary>
    private static PayloadViolation Unexplained(ReadOnlyMemory<byte> payload, JsonTypeInfo typeInfo, JsonTypeInfo generated, JsonException original)
    {
        if (!ReferenceEquals(typeInfo, generated))
        {
            try
            {
                var reader = new Utf8JsonReader(payload.Span);
                JsonSerializer.Deserialize(ref reader, generated);
            }
            catch (JsonException ex)
            {
                original = ex;
            }
        }
        return new PayloadViolation(OcppErrorCode.FormatViolation, TrimRoot(original.Path), original.Message);
    }

    private static PayloadViolation? Walk(JsonElement element, JsonTypeInfo info, string path)
    {
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                return WalkObject(element, info, path);
            case JsonTypeInfoKind.Enumerable:
                if (element.ValueKind != JsonValueKind.Array)
                {
                    return TypeViolation(path, "expected an array", element);
                }
                var elementInfo = info.Options.GetTypeInfo(info.ElementType!);
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (Walk(item, elementInfo, $"{path}[{index++}]") is { } violation)
                    {
                        return violation;
                    }
                }
                return null;
            default:
                return WalkValue(element, info, path);
        }
    }

    private static PayloadViolation? WalkObject(JsonElement element, JsonTypeInfo info, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return TypeViolation(path, "expected an object", element);
        }
        // An object with extension data (2.0.1's customData) is open: members it does not name are the vendor's.
        var open = info.Properties.Any(p => p.IsExtensionData);
        foreach (var property in element.EnumerateObject())
        {
            if (!open && !info.Properties.Any(p => p.Name == property.Name))
            {
                return new PayloadViolation(OcppErrorCode.PropertyConstraintViolation, Join(path, property.Name), "is not a field of this message");
            }
        }
        foreach (var property in info.Properties)
        {
            if (property.IsExtensionData)
            {
                continue;
            }
            if (!element.TryGetProperty(property.Name, out var child))
            {
                if (property.IsRequired)
                {
                    return new PayloadViolation(OcppErrorCode.OccurrenceConstraintViolation, Join(path, property.Name), "is required");
                }
                continue;
            }
            // A JsonElement holds any JSON value, null included (2.0.1 DataTransfer's data).
            if (child.ValueKind == JsonValueKind.Null && Nullable.GetUnderlyingType(property.PropertyType) != typeof(JsonElement))
            {
                return new PayloadViolation(OcppErrorCode.TypeConstraintViolation, Join(path, property.Name), "must not be null");
            }
            if (Walk(child, info.Options.GetTypeInfo(property.PropertyType), Join(path, property.Name)) is { } violation)
            {
                return violation;
            }
        }
        return null;
    }

    private static PayloadViolation? WalkValue(JsonElement element, JsonTypeInfo info, string path)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        if (type.IsEnum)
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                return TypeViolation(path, "expected a string", element);
            }
            try
            {
                element.Deserialize(info);
                return null;
            }
            catch (JsonException ex)
            {
                return new PayloadViolation(OcppErrorCode.FormatViolation, path, ex.Message);
            }
        }
        if (type == typeof(string))
        {
            return element.ValueKind == JsonValueKind.String ? null : TypeViolation(path, "expected a string", element);
        }
        if (type == typeof(DateTimeOffset) || type == typeof(DateTime))
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                return TypeViolation(path, "expected a date-time string", element);
            }
            return element.TryGetDateTimeOffset(out _) || Messages.OcppDateTimeConverter.IsRfc3339(element.GetString()!)
                ? null
                : new PayloadViolation(OcppErrorCode.FormatViolation, path, $"'{element.GetString()}' is not an RFC 3339 date-time");
        }
        if (type == typeof(bool))
        {
            return element.ValueKind is JsonValueKind.True or JsonValueKind.False ? null : TypeViolation(path, "expected true or false", element);
        }
        if (type == typeof(int) || type == typeof(long))
        {
            if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var whole))
            {
                return TypeViolation(path, "expected an integer", element);
            }
            return type == typeof(int) && whole is < int.MinValue or > int.MaxValue
                ? new PayloadViolation(OcppErrorCode.FormatViolation, path, $"{whole} is out of range")
                : null;
        }
        if (type == typeof(decimal) || type == typeof(double))
        {
            return element.ValueKind == JsonValueKind.Number ? null : TypeViolation(path, "expected a number", element);
        }
        try
        {
            element.Deserialize(info);
            return null;
        }
        catch (JsonException ex)
        {
            return new PayloadViolation(OcppErrorCode.TypeConstraintViolation, path, ex.Message);
        }
    }

    private static PayloadViolation TypeViolation(string path, string expected, JsonElement actual)
        => new(OcppErrorCode.TypeConstraintViolation, path, $"{expected}, got {Describe(actual.ValueKind)}");

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string TrimRoot(string? path) => path is null ? "" : path.TrimStart('$').TrimStart('.');
}
