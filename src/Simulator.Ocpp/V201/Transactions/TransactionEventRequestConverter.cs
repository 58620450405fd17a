using System.Text.Json;
using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using static Simulator.Ocpp.Messages.HandWrittenJson;
using static Simulator.Ocpp.V201.Types.MeterValueJson;

namespace Simulator.Ocpp.V201.Transactions;

/// <summary>
/// Reads and writes TransactionEventRequest, 2.0.1's busiest payload, by hand, for the reason and under the rules of 1.6's
/// MeterValues converter (see <see cref="MeterValueJson"/>); the members a Started or an Ended carries once (evse, idToken,
/// customData) go through the generated metadata. Its exceptions only say that a payload is refused:
/// <see cref="Validation.PayloadDiagnoser"/> explains why from the generated metadata.
/// </summary>
internal sealed class TransactionEventRequestConverter : JsonConverter<TransactionEventRequest>
{
    private static readonly JsonEncodedText EventTypeName = JsonEncodedText.Encode("eventType");
    private static readonly JsonEncodedText MeterValueName = JsonEncodedText.Encode("meterValue");
    private static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText TriggerReasonName = JsonEncodedText.Encode("triggerReason");
    private static readonly JsonEncodedText SeqNoName = JsonEncodedText.Encode("seqNo");
    private static readonly JsonEncodedText OfflineName = JsonEncodedText.Encode("offline");
    private static readonly JsonEncodedText NumberOfPhasesUsedName = JsonEncodedText.Encode("numberOfPhasesUsed");
    private static readonly JsonEncodedText CableMaxCurrentName = JsonEncodedText.Encode("cableMaxCurrent");
    private static readonly JsonEncodedText ReservationIdName = JsonEncodedText.Encode("reservationId");
    private static readonly JsonEncodedText TransactionInfoName = JsonEncodedText.Encode("transactionInfo");
    private static readonly JsonEncodedText EvseName = JsonEncodedText.Encode("evse");
    private static readonly JsonEncodedText IdTokenName = JsonEncodedText.Encode("idToken");
    private static readonly JsonEncodedText TransactionIdName = JsonEncodedText.Encode("transactionId");
    private static readonly JsonEncodedText ChargingStateName = JsonEncodedText.Encode("chargingState");
    private static readonly JsonEncodedText TimeSpentChargingName = JsonEncodedText.Encode("timeSpentCharging");
    private static readonly JsonEncodedText StoppedReasonName = JsonEncodedText.Encode("stoppedReason");
    private static readonly JsonEncodedText RemoteStartIdName = JsonEncodedText.Encode("remoteStartId");

    private static readonly OcppEnumConverter<TransactionEventKind> EventTypeConverter = new();
    private static readonly OcppEnumConverter<TriggerReason> TriggerReasonConverter = new();
    private static readonly OcppEnumConverter<ChargingState> ChargingStateConverter = new();
    private static readonly OcppEnumConverter<StopReason> StopReasonConverter = new();

    public override TransactionEventRequest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        TransactionEventKind? eventType = null;
        List<MeterValue>? meterValues = null;
        DateTimeOffset? timestamp = null;
        TriggerReason? triggerReason = null;
        int? seqNo = null;
        bool? offline = null;
        int? phases = null;
        int? cableMaxCurrent = null;
        int? reservationId = null;
        Transaction? transaction = null;
        Evse? evse = null;
        IdToken? idToken = null;
        CustomData? customData = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, EventTypeName))
            {
                eventType = EventTypeConverter.Read(ref reader, typeof(TransactionEventKind), options);
            }
            else if (IsName(ref reader, MeterValueName))
            {
                meterValues = reader.TokenType == JsonTokenType.Null ? null : ReadList(ref reader, options);
            }
            else if (IsName(ref reader, TimestampName))
            {
                timestamp = OcppDateTimeConverter.TryRead(ref reader, out var value) ? value : throw new JsonException("timestamp is not a date-time string");
            }
            else if (IsName(ref reader, TriggerReasonName))
            {
                triggerReason = TriggerReasonConverter.Read(ref reader, typeof(TriggerReason), options);
            }
            else if (IsName(ref reader, SeqNoName))
            {
                seqNo = ReadInt32(ref reader);
            }
            else if (IsName(ref reader, OfflineName))
            {
                offline = reader.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    JsonTokenType.Null => null,
                    _ => throw new JsonException("expected a boolean"),
                };
            }
            else if (IsName(ref reader, NumberOfPhasesUsedName))
            {
                phases = reader.TokenType == JsonTokenType.Null ? null : ReadInt32(ref reader);
            }
            else if (IsName(ref reader, CableMaxCurrentName))
            {
                cableMaxCurrent = reader.TokenType == JsonTokenType.Null ? null : ReadInt32(ref reader);
            }
            else if (IsName(ref reader, ReservationIdName))
            {
                reservationId = reader.TokenType == JsonTokenType.Null ? null : ReadInt32(ref reader);
            }
            else if (IsName(ref reader, TransactionInfoName))
            {
                transaction = ReadTransaction(ref reader, options);
            }
            else if (IsName(ref reader, EvseName))
            {
                evse = ReadGenerated(ref reader, Ocpp201JsonContext.Default.Evse);
            }
            else if (IsName(ref reader, IdTokenName))
            {
                idToken = ReadGenerated(ref reader, Ocpp201JsonContext.Default.IdToken);
            }
            else if (IsName(ref reader, CustomDataName))
            {
                customData = ReadCustomData(ref reader, options);
            }
            else
            {
                throw UnknownMember();
            }
        }
        return new TransactionEventRequest
        {
            EventType = eventType ?? throw Missing(EventTypeName),
            MeterValue = meterValues,
            Timestamp = timestamp ?? throw Missing(TimestampName),
            TriggerReason = triggerReason ?? throw Missing(TriggerReasonName),
            SeqNo = seqNo ?? throw Missing(SeqNoName),
            Offline = offline,
            NumberOfPhasesUsed = phases,
            CableMaxCurrent = cableMaxCurrent,
            ReservationId = reservationId,
            TransactionInfo = transaction ?? throw Missing(TransactionInfoName),
            Evse = evse,
            IdToken = idToken,
            CustomData = customData,
        };
    }

    /// <summary>The required transactionInfo object (a null is refused, as the generated metadata refuses it).</summary>
    private static Transaction ReadTransaction(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? transactionId = null;
        ChargingState? chargingState = null;
        int? timeSpentCharging = null;
        StopReason? stoppedReason = null;
        int? remoteStartId = null;
        CustomData? customData = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, TransactionIdName))
            {
                transactionId = ReadString(ref reader);
            }
            else if (IsName(ref reader, ChargingStateName))
            {
                chargingState = ReadEnum(ref reader, ChargingStateConverter, options);
            }
            else if (IsName(ref reader, TimeSpentChargingName))
            {
                timeSpentCharging = reader.TokenType == JsonTokenType.Null ? null : ReadInt32(ref reader);
            }
            else if (IsName(ref reader, StoppedReasonName))
            {
                stoppedReason = ReadEnum(ref reader, StopReasonConverter, options);
            }
            else if (IsName(ref reader, RemoteStartIdName))
            {
                remoteStartId = reader.TokenType == JsonTokenType.Null ? null : ReadInt32(ref reader);
            }
            else if (IsName(ref reader, CustomDataName))
            {
                customData = ReadCustomData(ref reader, options);
            }
            else
            {
                throw UnknownMember();
            }
        }
        return new Transaction
        {
            TransactionId = transactionId ?? throw Missing(TransactionIdName),
            ChargingState = chargingState,
            TimeSpentCharging = timeSpentCharging,
            StoppedReason = stoppedReason,
            RemoteStartId = remoteStartId,
            CustomData = customData,
        };
    }

    public override void Write(Utf8JsonWriter writer, TransactionEventRequest value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(EventTypeName, OcppEnumConverter<TransactionEventKind>.EncodedName(value.EventType));
        if (value.MeterValue is { } meterValues)
        {
            WriteList(writer, MeterValueName, meterValues);
        }
        WriteTimestamp(writer, TimestampName, value.Timestamp);
        writer.WriteString(TriggerReasonName, OcppEnumConverter<TriggerReason>.EncodedName(value.TriggerReason));
        writer.WriteNumber(SeqNoName, value.SeqNo);
        if (value.Offline is { } offline)
        {
            writer.WriteBoolean(OfflineName, offline);
        }
        WriteNumber(writer, NumberOfPhasesUsedName, value.NumberOfPhasesUsed);
        WriteNumber(writer, CableMaxCurrentName, value.CableMaxCurrent);
        WriteNumber(writer, ReservationIdName, value.ReservationId);
        if (value.TransactionInfo is { } transaction)
        {
            writer.WriteStartObject(TransactionInfoName);
            if (transaction.TransactionId is { } id)
            {
                writer.WriteString(TransactionIdName, id);
            }
            WriteEnum(writer, ChargingStateName, transaction.ChargingState);
            WriteNumber(writer, TimeSpentChargingName, transaction.TimeSpentCharging);
            WriteEnum(writer, StoppedReasonName, transaction.StoppedReason);
            WriteNumber(writer, RemoteStartIdName, transaction.RemoteStartId);
            WriteCustomData(writer, transaction.CustomData);
            writer.WriteEndObject();
        }
        if (value.Evse is { } evse)
        {
            writer.WritePropertyName(EvseName);
            JsonSerializer.Serialize(writer, evse, Ocpp201JsonContext.Default.Evse);
        }
        if (value.IdToken is { } idToken)
        {
            writer.WritePropertyName(IdTokenName);
            JsonSerializer.Serialize(writer, idToken, Ocpp201JsonContext.Default.IdToken);
        }
        WriteCustomData(writer, value.CustomData);
        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, JsonEncodedText name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }
}
