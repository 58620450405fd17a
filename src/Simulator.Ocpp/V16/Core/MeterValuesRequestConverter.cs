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
/// The meter values themselves are <see cref="MeterValueJson"/>'s, shared with StopTransaction.req's transactionData.
/// </summary>
internal sealed class MeterValuesRequestConverter : JsonConverter<MeterValuesRequest>
{
    private static readonly JsonEncodedText ConnectorIdName = JsonEncodedText.Encode("connectorId");
    private static readonly JsonEncodedText TransactionIdName = JsonEncodedText.Encode("transactionId");
    private static readonly JsonEncodedText MeterValueName = JsonEncodedText.Encode("meterValue");

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
                transactionId = ReadNullableInt32(ref reader);
            }
            else if (IsName(ref reader, MeterValueName))
            {
                meterValues = MeterValueJson.ReadList(ref reader, options);
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
            MeterValueJson.WriteList(writer, MeterValueName, meterValues);
        }
        writer.WriteEndObject();
    }
}
