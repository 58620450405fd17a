using Simulator.Ocpp.Messages;
using System.Text.Json;
using System.Text.Json.Serialization;
using Simulator.Ocpp.V16.Types;
using static Simulator.Ocpp.Messages.HandWrittenJson;

namespace Simulator.Ocpp.V16.Core;

/// <summary>
/// Reads and writes Authorize.req by hand, sent before every session: the generated metadata's first use JIT-compiles its
/// generic property accessors. Accepts and refuses what the generated metadata does under <see cref="Ocpp16JsonContext"/>'s
/// options and writes the same bytes, as <see cref="MeterValuesRequestConverter"/> does.
/// </summary>
internal sealed class AuthorizeRequestConverter : JsonConverter<AuthorizeRequest>
{
    private static readonly JsonEncodedText IdTagName = JsonEncodedText.Encode("idTag");

    public override AuthorizeRequest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? idTag = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, IdTagName))
            {
                idTag = ReadString(ref reader);
            }
            else
            {
                throw UnknownMember();
            }
        }
        return new AuthorizeRequest { IdTag = idTag ?? throw Missing(IdTagName) };
    }

    public override void Write(Utf8JsonWriter writer, AuthorizeRequest value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        // A required member can still be null when built with null!; the generated serializer leaves it out.
        WriteOptionalString(writer, IdTagName, value.IdTag);
        writer.WriteEndObject();
    }
}

/// <summary>Reads and writes Authorize.conf by hand; see <see cref="AuthorizeRequestConverter"/>. The idTagInfo is <see cref="IdTagInfoJson"/>'s.</summary>
internal sealed class AuthorizeResponseConverter : JsonConverter<AuthorizeResponse>
{
    private static readonly JsonEncodedText IdTagInfoName = JsonEncodedText.Encode("idTagInfo");

    public override AuthorizeResponse Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        IdTagInfo? idTagInfo = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, IdTagInfoName))
            {
                idTagInfo = IdTagInfoJson.Read(ref reader, options);
            }
            else
            {
                throw UnknownMember();
            }
        }
        return new AuthorizeResponse { IdTagInfo = idTagInfo ?? throw Missing(IdTagInfoName) };
    }

    public override void Write(Utf8JsonWriter writer, AuthorizeResponse value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.IdTagInfo is { } idTagInfo)
        {
            IdTagInfoJson.Write(writer, IdTagInfoName, idTagInfo);
        }
        writer.WriteEndObject();
    }
}
