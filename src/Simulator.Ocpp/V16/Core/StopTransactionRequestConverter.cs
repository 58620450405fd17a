using Simulator.Ocpp.Messages;
using System.Text.Json;
using System.Text.Json.Serialization;
using Simulator.Ocpp.V16.Types;
using static Simulator.Ocpp.Messages.HandWrittenJson;

namespace Simulator.Ocpp.V16.Core;

/// <summary>
/// Reads and writes StopTransaction.req by hand: its transactionData (meter values, sampled values and their enums) cost
/// about a thousand JIT-compiled methods of generated metadata when the first sessions of a run end. Accepts and refuses
/// what the generated metadata does under <see cref="Ocpp16JsonContext"/>'s options and writes the same bytes, as
/// <see cref="MeterValuesRequestConverter"/> does; the meter values are <see cref="MeterValueJson"/>'s.
/// </summary>
internal sealed class StopTransactionRequestConverter : JsonConverter<StopTransactionRequest>
{
    private static readonly JsonEncodedText IdTagName = JsonEncodedText.Encode("idTag");
    private static readonly JsonEncodedText MeterStopName = JsonEncodedText.Encode("meterStop");
    private static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText TransactionIdName = JsonEncodedText.Encode("transactionId");
    private static readonly JsonEncodedText ReasonName = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText TransactionDataName = JsonEncodedText.Encode("transactionData");

    private static readonly OcppEnumConverter<StopReason> ReasonConverter = new();

    public override StopTransactionRequest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? idTag = null;
        int? meterStop = null;
        DateTimeOffset? timestamp = null;
        int? transactionId = null;
        StopReason? reason = null;
        List<MeterValue>? transactionData = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, IdTagName))
            {
                idTag = ReadNullableString(ref reader);
            }
            else if (IsName(ref reader, MeterStopName))
            {
                meterStop = ReadInt32(ref reader);
            }
            else if (IsName(ref reader, TimestampName))
            {
                timestamp = ReadDateTime(ref reader, TimestampName);
            }
            else if (IsName(ref reader, TransactionIdName))
            {
                transactionId = ReadInt32(ref reader);
            }
            else if (IsName(ref reader, ReasonName))
            {
                reason = ReadEnum(ref reader, ReasonConverter, options);
            }
            else if (IsName(ref reader, TransactionDataName))
            {
                transactionData = reader.TokenType == JsonTokenType.Null ? null : MeterValueJson.ReadList(ref reader, options);
            }
            else
            {
                throw UnknownMember();
            }
        }
        return new StopTransactionRequest
        {
            IdTag = idTag,
            MeterStop = meterStop ?? throw Missing(MeterStopName),
            Timestamp = timestamp ?? throw Missing(TimestampName),
            TransactionId = transactionId ?? throw Missing(TransactionIdName),
            Reason = reason,
            TransactionData = transactionData,
        };
    }

    public override void Write(Utf8JsonWriter writer, StopTransactionRequest value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.IdTag is { } idTag)
        {
            writer.WriteString(IdTagName, idTag);
        }
        writer.WriteNumber(MeterStopName, value.MeterStop);
        WriteDateTime(writer, TimestampName, value.Timestamp);
        writer.WriteNumber(TransactionIdName, value.TransactionId);
        WriteEnum(writer, ReasonName, value.Reason);
        if (value.TransactionData is { } transactionData)
        {
            MeterValueJson.WriteList(writer, TransactionDataName, transactionData);
        }
        writer.WriteEndObject();
    }
}
