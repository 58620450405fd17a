using Simulator.Ocpp.Messages;
using System.Text.Json;
using System.Text.Json.Serialization;
using Simulator.Ocpp.V16.Types;
using static Simulator.Ocpp.Messages.HandWrittenJson;

namespace Simulator.Ocpp.V16.Core;

/// <summary>
/// Reads and writes BootNotification.conf by hand: every charge point reads one at boot, and the generated metadata's first
/// use JIT-compiles its generic property accessors then. Accepts and refuses what the generated metadata does under
/// <see cref="Ocpp16JsonContext"/>'s options and writes the same bytes, as <see cref="MeterValuesRequestConverter"/> does.
/// </summary>
internal sealed class BootNotificationResponseConverter : JsonConverter<BootNotificationResponse>
{
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText CurrentTimeName = JsonEncodedText.Encode("currentTime");
    private static readonly JsonEncodedText IntervalName = JsonEncodedText.Encode("interval");

    private static readonly OcppEnumConverter<RegistrationStatus> StatusConverter = new();

    public override BootNotificationResponse Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        RegistrationStatus? status = null;
        DateTimeOffset? currentTime = null;
        int? interval = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, StatusName))
            {
                status = ReadRequiredEnum(ref reader, StatusConverter, options);
            }
            else if (IsName(ref reader, CurrentTimeName))
            {
                currentTime = ReadDateTime(ref reader, CurrentTimeName);
            }
            else if (IsName(ref reader, IntervalName))
            {
                interval = ReadInt32(ref reader);
            }
            else
            {
                throw UnknownMember();
            }
        }
        return new BootNotificationResponse
        {
            Status = status ?? throw Missing(StatusName),
            CurrentTime = currentTime ?? throw Missing(CurrentTimeName),
            Interval = interval ?? throw Missing(IntervalName),
        };
    }

    public override void Write(Utf8JsonWriter writer, BootNotificationResponse value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        WriteEnum<RegistrationStatus>(writer, StatusName, value.Status);
        WriteDateTime(writer, CurrentTimeName, value.CurrentTime);
        writer.WriteNumber(IntervalName, value.Interval);
        writer.WriteEndObject();
    }
}
