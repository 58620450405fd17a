using Simulator.Ocpp.Messages;
using System.Text.Json;
using System.Text.Json.Serialization;
using static Simulator.Ocpp.Messages.HandWrittenJson;

namespace Simulator.Ocpp.V16.Core;

/// <summary>
/// Reads and writes BootNotification.req by hand: every charge point sends it first, and the generated metadata's first use
/// JIT-compiles its generic property accessors during the boot. Accepts and refuses what the generated metadata does under
/// <see cref="Ocpp16JsonContext"/>'s options and writes the same bytes, as <see cref="MeterValuesRequestConverter"/> does.
/// </summary>
internal sealed class BootNotificationRequestConverter : JsonConverter<BootNotificationRequest>
{
    private static readonly JsonEncodedText ChargePointVendorName = JsonEncodedText.Encode("chargePointVendor");
    private static readonly JsonEncodedText ChargePointModelName = JsonEncodedText.Encode("chargePointModel");
    private static readonly JsonEncodedText ChargePointSerialNumberName = JsonEncodedText.Encode("chargePointSerialNumber");
    private static readonly JsonEncodedText ChargeBoxSerialNumberName = JsonEncodedText.Encode("chargeBoxSerialNumber");
    private static readonly JsonEncodedText FirmwareVersionName = JsonEncodedText.Encode("firmwareVersion");
    private static readonly JsonEncodedText IccidName = JsonEncodedText.Encode("iccid");
    private static readonly JsonEncodedText ImsiName = JsonEncodedText.Encode("imsi");
    private static readonly JsonEncodedText MeterTypeName = JsonEncodedText.Encode("meterType");
    private static readonly JsonEncodedText MeterSerialNumberName = JsonEncodedText.Encode("meterSerialNumber");

    public override BootNotificationRequest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? chargePointVendor = null;
        string? chargePointModel = null;
        string? chargePointSerialNumber = null;
        string? chargeBoxSerialNumber = null;
        string? firmwareVersion = null;
        string? iccid = null;
        string? imsi = null;
        string? meterType = null;
        string? meterSerialNumber = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, ChargePointVendorName))
            {
                chargePointVendor = ReadString(ref reader);
            }
            else if (IsName(ref reader, ChargePointModelName))
            {
                chargePointModel = ReadString(ref reader);
            }
            else if (IsName(ref reader, ChargePointSerialNumberName))
            {
                chargePointSerialNumber = ReadNullableString(ref reader);
            }
            else if (IsName(ref reader, ChargeBoxSerialNumberName))
            {
                chargeBoxSerialNumber = ReadNullableString(ref reader);
            }
            else if (IsName(ref reader, FirmwareVersionName))
            {
                firmwareVersion = ReadNullableString(ref reader);
            }
            else if (IsName(ref reader, IccidName))
            {
                iccid = ReadNullableString(ref reader);
            }
            else if (IsName(ref reader, ImsiName))
            {
                imsi = ReadNullableString(ref reader);
            }
            else if (IsName(ref reader, MeterTypeName))
            {
                meterType = ReadNullableString(ref reader);
            }
            else if (IsName(ref reader, MeterSerialNumberName))
            {
                meterSerialNumber = ReadNullableString(ref reader);
            }
            else
            {
                throw UnknownMember();
            }
        }
        return new BootNotificationRequest
        {
            ChargePointVendor = chargePointVendor ?? throw Missing(ChargePointVendorName),
            ChargePointModel = chargePointModel ?? throw Missing(ChargePointModelName),
            ChargePointSerialNumber = chargePointSerialNumber,
            ChargeBoxSerialNumber = chargeBoxSerialNumber,
            FirmwareVersion = firmwareVersion,
            Iccid = iccid,
            Imsi = imsi,
            MeterType = meterType,
            MeterSerialNumber = meterSerialNumber,
        };
    }

    public override void Write(Utf8JsonWriter writer, BootNotificationRequest value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        // Members the records require can still be null when built with null!; the generated serializer leaves them out.
        WriteOptionalString(writer, ChargePointVendorName, value.ChargePointVendor);
        WriteOptionalString(writer, ChargePointModelName, value.ChargePointModel);
        WriteOptionalString(writer, ChargePointSerialNumberName, value.ChargePointSerialNumber);
        WriteOptionalString(writer, ChargeBoxSerialNumberName, value.ChargeBoxSerialNumber);
        WriteOptionalString(writer, FirmwareVersionName, value.FirmwareVersion);
        WriteOptionalString(writer, IccidName, value.Iccid);
        WriteOptionalString(writer, ImsiName, value.Imsi);
        WriteOptionalString(writer, MeterTypeName, value.MeterType);
        WriteOptionalString(writer, MeterSerialNumberName, value.MeterSerialNumber);
        writer.WriteEndObject();
    }
}
