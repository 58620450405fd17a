using Simulator.Ocpp.Messages;
using System.Text.Json;
using System.Text.Json.Serialization;
using Simulator.Ocpp.V16.Types;
using static Simulator.Ocpp.Messages.HandWrittenJson;

namespace Simulator.Ocpp.V16.Core;

/// <summary>
/// Reads and writes StatusNotification.req by hand: every charge point sends one per connector at boot, and the generated
/// metadata's first use JIT-compiles its generic property accessors during the boot. Accepts and refuses what the generated
/// metadata does under <see cref="Ocpp16JsonContext"/>'s options and writes the same bytes, as
/// <see cref="MeterValuesRequestConverter"/> does.
/// </summary>
internal sealed class StatusNotificationRequestConverter : JsonConverter<StatusNotificationRequest>
{
    private static readonly JsonEncodedText ConnectorIdName = JsonEncodedText.Encode("connectorId");
    private static readonly JsonEncodedText ErrorCodeName = JsonEncodedText.Encode("errorCode");
    private static readonly JsonEncodedText InfoName = JsonEncodedText.Encode("info");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText TimestampName = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText VendorIdName = JsonEncodedText.Encode("vendorId");
    private static readonly JsonEncodedText VendorErrorCodeName = JsonEncodedText.Encode("vendorErrorCode");

    private static readonly OcppEnumConverter<ChargePointErrorCode> ErrorCodeConverter = new();
    private static readonly OcppEnumConverter<ChargePointStatus> StatusConverter = new();

    public override StatusNotificationRequest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        int? connectorId = null;
        ChargePointErrorCode? errorCode = null;
        string? info = null;
        ChargePointStatus? status = null;
        DateTimeOffset? timestamp = null;
        string? vendorId = null;
        string? vendorErrorCode = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, ConnectorIdName))
            {
                connectorId = ReadInt32(ref reader);
            }
            else if (IsName(ref reader, ErrorCodeName))
            {
                errorCode = ReadRequiredEnum(ref reader, ErrorCodeConverter, options);
            }
            else if (IsName(ref reader, InfoName))
            {
                info = ReadNullableString(ref reader);
            }
            else if (IsName(ref reader, StatusName))
            {
                status = ReadRequiredEnum(ref reader, StatusConverter, options);
            }
            else if (IsName(ref reader, TimestampName))
            {
                timestamp = ReadNullableDateTime(ref reader, TimestampName);
            }
            else if (IsName(ref reader, VendorIdName))
            {
                vendorId = ReadNullableString(ref reader);
            }
            else if (IsName(ref reader, VendorErrorCodeName))
            {
                vendorErrorCode = ReadNullableString(ref reader);
            }
            else
            {
                throw UnknownMember();
            }
        }
        return new StatusNotificationRequest
        {
            ConnectorId = connectorId ?? throw Missing(ConnectorIdName),
            ErrorCode = errorCode ?? throw Missing(ErrorCodeName),
            Info = info,
            Status = status ?? throw Missing(StatusName),
            Timestamp = timestamp,
            VendorId = vendorId,
            VendorErrorCode = vendorErrorCode,
        };
    }

    public override void Write(Utf8JsonWriter writer, StatusNotificationRequest value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber(ConnectorIdName, value.ConnectorId);
        WriteEnum<ChargePointErrorCode>(writer, ErrorCodeName, value.ErrorCode);
        WriteOptionalString(writer, InfoName, value.Info);
        WriteEnum<ChargePointStatus>(writer, StatusName, value.Status);
        if (value.Timestamp is { } timestamp)
        {
            WriteDateTime(writer, TimestampName, timestamp);
        }
        WriteOptionalString(writer, VendorIdName, value.VendorId);
        WriteOptionalString(writer, VendorErrorCodeName, value.VendorErrorCode);
        writer.WriteEndObject();
    }
}
