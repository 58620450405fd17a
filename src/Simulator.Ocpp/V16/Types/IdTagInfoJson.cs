using System.Text.Json;
using Simulator.Ocpp.Messages;
using static Simulator.Ocpp.Messages.HandWrittenJson;

namespace Simulator.Ocpp.V16.Types;

/// <summary>
/// Reads and writes <see cref="IdTagInfo"/> by hand for the converters of StartTransaction.conf and StopTransaction.conf;
/// accepts and refuses what the generated metadata does under <see cref="Ocpp16JsonContext"/>'s options and writes the same bytes.
/// </summary>
internal static class IdTagInfoJson
{
    private static readonly JsonEncodedText ExpiryDateName = JsonEncodedText.Encode("expiryDate");
    private static readonly JsonEncodedText ParentIdTagName = JsonEncodedText.Encode("parentIdTag");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");

    private static readonly OcppEnumConverter<AuthorizationStatus> StatusConverter = new();

    /// <summary>An idTagInfo object; the reader is on its first token.</summary>
    public static IdTagInfo Read(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        DateTimeOffset? expiryDate = null;
        string? parentIdTag = null;
        AuthorizationStatus? status = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, ExpiryDateName))
            {
                expiryDate = ReadNullableDateTime(ref reader, ExpiryDateName);
            }
            else if (IsName(ref reader, ParentIdTagName))
            {
                parentIdTag = ReadNullableString(ref reader);
            }
            else if (IsName(ref reader, StatusName))
            {
                status = ReadRequiredEnum(ref reader, StatusConverter, options);
            }
            else
            {
                throw UnknownMember();
            }
        }
        return new IdTagInfo
        {
            ExpiryDate = expiryDate,
            ParentIdTag = parentIdTag,
            Status = status ?? throw Missing(StatusName),
        };
    }

    /// <summary>Writes <paramref name="idTagInfo"/> as the object member <paramref name="name"/>.</summary>
    public static void Write(Utf8JsonWriter writer, JsonEncodedText name, IdTagInfo idTagInfo)
    {
        writer.WriteStartObject(name);
        if (idTagInfo.ExpiryDate is { } expiryDate)
        {
            WriteDateTime(writer, ExpiryDateName, expiryDate);
        }
        WriteOptionalString(writer, ParentIdTagName, idTagInfo.ParentIdTag);
        WriteEnum<AuthorizationStatus>(writer, StatusName, idTagInfo.Status);
        writer.WriteEndObject();
    }
}
