using System.Text.Json;
using System.Text.Json.Serialization;
using Simulator.Ocpp.V201.Types;
using static Simulator.Ocpp.Messages.HandWrittenJson;
using static Simulator.Ocpp.V201.Types.MeterValueJson;

namespace Simulator.Ocpp.V201.MeterValues;

/// <summary>
/// Reads and writes MeterValuesRequest by hand, for the reason and under the rules of 1.6's converter (see
/// <see cref="MeterValueJson"/>). Its exceptions only say that a payload is refused: <see cref="Validation.PayloadDiagnoser"/>
/// explains why from the generated metadata.
/// </summary>
internal sealed class MeterValuesRequestConverter : JsonConverter<MeterValuesRequest>
{
    private static readonly JsonEncodedText EvseIdName = JsonEncodedText.Encode("evseId");
    private static readonly JsonEncodedText MeterValueName = JsonEncodedText.Encode("meterValue");

    public override MeterValuesRequest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        int? evseId = null;
        List<MeterValue>? meterValues = null;
        CustomData? customData = null;
        while (NextProperty(ref reader))
        {
            if (IsName(ref reader, EvseIdName))
            {
                evseId = ReadInt32(ref reader);
            }
            else if (IsName(ref reader, MeterValueName))
            {
                meterValues = ReadList(ref reader, options);
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
        return new MeterValuesRequest
        {
            EvseId = evseId ?? throw Missing(EvseIdName),
            MeterValue = meterValues ?? throw Missing(MeterValueName),
            CustomData = customData,
        };
    }

    public override void Write(Utf8JsonWriter writer, MeterValuesRequest value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber(EvseIdName, value.EvseId);
        if (value.MeterValue is { } meterValues)
        {
            WriteList(writer, MeterValueName, meterValues);
        }
        WriteCustomData(writer, value.CustomData);
        writer.WriteEndObject();
    }
}
