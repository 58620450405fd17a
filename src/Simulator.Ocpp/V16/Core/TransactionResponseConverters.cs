using Simulator.Ocpp.Messages;
using System.Text.Json;
using System.Text.Json.Serialization;
using Simulator.Ocpp.V16.Types;
using static Simulator.Ocpp.Messages.HandWrittenJson;

namespace Simulator.Ocpp.V16.Core;

/// <summary>
/// Reads and writes StartTransaction.conf by hand, the answer to every session's start: the generated metadata's first use
/// JIT-compiles its generic property accessors. Accepts and refuses what the generated metadata does under
/// <see cref="Ocpp16JsonContext"/>'s options and writes the same bytes, as <see cref="MeterValuesRequestConverter"/> does.
/// </summary>
internal sealed class StartTransactionResponseConverter : JsonConverter<StartTransactionResponse>
{
    private static readonly JsonEncodedText IdTagInfoName = JsonEncodedText.Encode("idTagInfo");
    private static readonly JsonEncodedText TransactionIdName = JsonEncodedText.Encode("transactionId");

    public override StartTransactionResponse Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        IdTagInfo? idTagInfo = null;
        int? transactionId = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, IdTagInfoName))
            {
                idTagInfo = IdTagInfoJson.Read(ref reader, options);
            }
            else if (IsName(ref reader, TransactionIdName))
            {
                transactionId = ReadInt32(ref reader);
            }
            else
            {
                throw UnknownMember();
            }
        }
        return new StartTransactionResponse
        {
            IdTagInfo = idTagInfo ?? throw Missing(IdTagInfoName),
            TransactionId = transactionId ?? throw Missing(TransactionIdName),
        };
    }

    public override void Write(Utf8JsonWriter writer, StartTransactionResponse value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        // A required member can still be null when built with null!; the generated serializer leaves it out.
        if (value.IdTagInfo is { } idTagInfo)
        {
            IdTagInfoJson.Write(writer, IdTagInfoName, idTagInfo);
        }
        writer.WriteNumber(TransactionIdName, value.TransactionId);
        writer.WriteEndObject();
    }
}

/// <summary>
/// Reads and writes StopTransaction.conf by hand, the answer to every session's end; see <see cref="StartTransactionResponseConverter"/>.
/// </summary>
internal sealed class StopTransactionResponseConverter : JsonConverter<StopTransactionResponse>
{
    private static readonly JsonEncodedText IdTagInfoName = JsonEncodedText.Encode("idTagInfo");

    public override StopTransactionResponse Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        IdTagInfo? idTagInfo = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, IdTagInfoName))
            {
                idTagInfo = reader.TokenType == JsonTokenType.Null ? null : IdTagInfoJson.Read(ref reader, options);
            }
            else
            {
                throw UnknownMember();
            }
        }
        return new StopTransactionResponse { IdTagInfo = idTagInfo };
    }

    public override void Write(Utf8JsonWriter writer, StopTransactionResponse value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.IdTagInfo is { } idTagInfo)
        {
            IdTagInfoJson.Write(writer, IdTagInfoName, idTagInfo);
        }
        writer.WriteEndObject();
    }
}
