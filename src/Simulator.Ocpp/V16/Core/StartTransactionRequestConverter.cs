using Simulator.Ocpp.Messages;
using System.Text.Json;
using System.Text.Json.Serialization;
using static Simulator.Ocpp.Messages.HandWrittenJson;

namespace Simulator.Ocpp.V16.Core;

/// <summary>
/// Reads and writes StartTransaction.req by hand, sent at the start of every session: the generated metadata's first use
/// JIT-compiles its generic property accessors. Accepts and refuses what the generated metadata does under
/// <see cref="Ocpp16JsonContext"/>'s options and writes the same bytes, as <see cref="MeterValuesRequestConverter"/> does.
/// </summary>
internal sealed class StartTransactionRequestConverter : JsonConverter<StartTransactionRequest>
{
    private static readonly JsonEncodedText ConnectorIdName = JsonEncodedText.Encode("connectorId");
    private static readonly JsonEncodedText IdTagName = JsonEncodedText.Encode("idTag");
    private static readonly JsonEncodedText MeterStartName = JsonEncodedText.Encode("meterStart");
    private static readonly JsonEncodedText ReservationIdName = JsonEncodedText.Encode("reservationId");
    private static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");

    public override StartTransactionRequest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        int? connectorId = null;
        string? idTag = null;
        int? meterStart = null;
        int? reservationId = null;
        DateTimeOffset? timestamp = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, ConnectorIdName))
            {
                connectorId = ReadInt32(ref reader);
            }
            else if (IsName(ref reader, IdTagName))
            {
                idTag = ReadString(ref reader);
            }
            else if (IsName(ref reader, MeterStartName))
            {
                meterStart = ReadInt32(ref reader);
            }
            else if (IsName(ref reader, ReservationIdName))
            {
                reservationId = ReadNullableInt32(ref reader);
            }
            else if (IsName(ref reader, TimestampName))
            {
                timestamp = ReadDateTime(ref reader, TimestampName);
            }
            else
            {
                throw UnknownMember();
            }
        }
        return new StartTransactionRequest
        {
            ConnectorId = connectorId ?? throw Missing(ConnectorIdName),
            IdTag = idTag ?? throw Missing(IdTagName),
            MeterStart = meterStart ?? throw Missing(MeterStartName),
            ReservationId = reservationId,
            Timestamp = timestamp ?? throw Missing(TimestampName),
        };
    }

    public override void Write(Utf8JsonWriter writer, StartTransactionRequest value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber(ConnectorIdName, value.ConnectorId);
        // A required member can still be null when built with null!; the generated serializer leaves it out.
        WriteOptionalString(writer, IdTagName, value.IdTag);
        writer.WriteNumber(MeterStartName, value.MeterStart);
        if (value.ReservationId is { } reservationId)
        {
            writer.WriteNumber(ReservationIdName, reservationId);
        }
        WriteDateTime(writer, TimestampName, value.Timestamp);
        writer.WriteEndObject();
    }
}
