using Simulator.Ocpp.Messages;
using System.Text.Json;
using System.Text.Json.Serialization;
using static Simulator.Ocpp.Messages.HandWrittenJson;

namespace Simulator.Ocpp.V16.Core;

/// <summary>
/// Reads and writes Heartbeat.conf by hand: every charge point reads them, and the generated metadata's first use
/// JIT-compiles its generic property accessors. Accepts and refuses what the generated metadata does under
/// <see cref="Ocpp16JsonContext"/>'s options and writes the same bytes, as <see cref="MeterValuesRequestConverter"/> does.
/// </summary>
internal sealed class HeartbeatResponseConverter : JsonConverter<HeartbeatResponse>
{
    private static readonly JsonEncodedText CurrentTimeName = JsonEncodedText.Encode("currentTime");

    public override HeartbeatResponse Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        DateTimeOffset? currentTime = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, CurrentTimeName))
            {
                currentTime = ReadDateTime(ref reader, CurrentTimeName);
            }
            else
            {
                throw UnknownMember();
            }
        }
        return new HeartbeatResponse { CurrentTime = currentTime ?? throw Missing(CurrentTimeName) };
    }

    public override void Write(Utf8JsonWriter writer, HeartbeatResponse value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        WriteDateTime(writer, CurrentTimeName, value.CurrentTime);
        writer.WriteEndObject();
    }
}

/// <summary>
/// Reads and writes a payload without members ({}) by hand: Heartbeat.req and the answers to StatusNotification and
/// MeterValues, which every charge point reads or writes; a member of any name is refused, as the generated metadata refuses it.
/// Such a record carries nothing and cannot change, so every read gives the same instance (not one object per answer).
/// </summary>
internal sealed class EmptyPayloadConverter<T> : JsonConverter<T>
    where T : class, new()
{
    private static readonly T Empty = new();

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        if (NextProperty(ref reader))
        {
            throw UnknownMember();
        }
        return Empty;
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteEndObject();
    }
}
