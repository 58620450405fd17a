using Simulator.Ocpp.V16;
using System.Text;
using System.Text.Json;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.Tests;

/// <summary>
/// MeterValues.req is read and written by a hand-written converter; the generated metadata stays the reference. The
/// expected outcomes below were taken from the codec before the converter existed, when the generated metadata read
/// MeterValues too: what was accepted must still be accepted and written back the same, what was refused must still be
/// refused with the same code and field path.
/// </summary>
public class MeterValuesConverterTests
{
    private const string T = "\"timestamp\":\"2026-11-24T10:00:00Z\"";
    private const string Full = "{\"value\":\"15234.5\",\"context\":\"Sample.Clock\",\"format\":\"Raw\",\"measurand\":\"Energy.Active.Import.Register\",\"phase\":\"L1-N\",\"location\":\"Outlet\",\"unit\":\"Wh\"}";

    private static readonly ActionDescriptor MeterValues = Ocpp16.Messages.Of<MeterValuesRequest>();

    private static string Sv(string sampledValue) => $"{{\"connectorId\":1,\"meterValue\":[{{{T},\"sampledValue\":[{sampledValue}]}}]}}";

    private static string Mv(string meterValue) => $"{{\"connectorId\":1,\"meterValue\":[{meterValue}]}}";

    /// <summary>Accepted, and written back as <see cref="Payload"/>; or refused with <see cref="Code"/> naming <see cref="Field"/>.</summary>
    public sealed record Outcome(string? Payload, OcppErrorCode? Code, string? Field);

    private static Outcome Accepted(string payload) => new(payload, null, null);

    private static Outcome Refused(OcppErrorCode code, string field) => new(null, code, field);

    public sealed record DecodeCase(string Name, string Json, Outcome Expected);

    public static IReadOnlyList<DecodeCase> Cases { get; } =
    [
        new("every field of a sampled value", Sv(Full), Accepted("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"sampledValue\":[{\"value\":\"15234.5\",\"context\":\"Sample.Clock\",\"format\":\"Raw\",\"measurand\":\"Energy.Active.Import.Register\",\"phase\":\"L1-N\",\"location\":\"Outlet\",\"unit\":\"Wh\"}]}]}")),
        new("properties in another order", $"{{\"meterValue\":[{{\"sampledValue\":[{{\"unit\":\"kWh\",\"value\":\"1\"}}],{T}}}],\"transactionId\":7,\"connectorId\":2}}", Accepted("{\"connectorId\":2,\"transactionId\":7,\"meterValue\":[{\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"sampledValue\":[{\"value\":\"1\",\"unit\":\"kWh\"}]}]}")),
        new("whitespace everywhere", " { \"connectorId\" : 1 ,\n \"meterValue\" : [ { \"timestamp\" : \"2026-11-24T10:00:00Z\" , \"sampledValue\" : [ { \"value\" : \"1\" } ] } ] } ", Accepted("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"sampledValue\":[{\"value\":\"1\"}]}]}")),
        new("null for an optional enum", Sv("{\"value\":\"1\",\"measurand\":null}"), Accepted("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"sampledValue\":[{\"value\":\"1\"}]}]}")),
        new("null for transactionId", $"{{\"connectorId\":1,\"transactionId\":null,\"meterValue\":[{{{T},\"sampledValue\":[{{\"value\":\"1\"}}]}}]}}", Accepted("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"sampledValue\":[{\"value\":\"1\"}]}]}")),
        new("null item in sampledValue", Sv("null"), Refused(OcppErrorCode.TypeConstraintViolation, "meterValue[0].sampledValue[0]")),
        new("null item in meterValue", Mv("null"), Refused(OcppErrorCode.TypeConstraintViolation, "meterValue[0]")),
        new("empty meterValue", "{\"connectorId\":1,\"meterValue\":[]}", Accepted("{\"connectorId\":1,\"meterValue\":[]}")),
        new("empty sampledValue", Sv(""), Accepted("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"sampledValue\":[]}]}")),
        new("duplicate value, last wins", Sv("{\"value\":\"1\",\"value\":\"2\"}"), Accepted("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"sampledValue\":[{\"value\":\"2\"}]}]}")),
        new("duplicate connectorId, last wins", $"{{\"connectorId\":1,\"connectorId\":3,\"meterValue\":[]}}", Accepted("{\"connectorId\":3,\"meterValue\":[]}")),
        new("duplicate enum, first unknown", Sv("{\"value\":\"1\",\"unit\":\"Joule\",\"unit\":\"Wh\"}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[0].unit")),
        new("duplicate enum, second unknown", Sv("{\"value\":\"1\",\"unit\":\"Wh\",\"unit\":\"Joule\"}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[0].unit")),
        new("duplicate meterValue", $"{{\"connectorId\":1,\"meterValue\":[{{{T},\"sampledValue\":[]}}],\"meterValue\":[]}}", Accepted("{\"connectorId\":1,\"meterValue\":[]}")),
        new("escaped property name", Sv("{\"v\\u0061lue\":\"1\"}"), Accepted("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"sampledValue\":[{\"value\":\"1\"}]}]}")),
        new("escaped enum value", Sv("{\"value\":\"1\",\"context\":\"Sample.Clo\\u0063k\"}"), Accepted("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"sampledValue\":[{\"value\":\"1\",\"context\":\"Sample.Clock\"}]}]}")),
        new("escaped phase with a dash", Sv("{\"value\":\"1\",\"phase\":\"L1\\u002DN\"}"), Accepted("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"sampledValue\":[{\"value\":\"1\",\"phase\":\"L1-N\"}]}]}")),
        new("escaped and non-ASCII value", Sv("{\"value\":\"1\\u00e9\\n\\\"é€\"}"), Accepted("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"sampledValue\":[{\"value\":\"1\\u00E9\\n\\u0022\\u00E9\\u20AC\"}]}]}")),
        new("lone surrogate escape in value", Sv("{\"value\":\"\\ud800\"}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[0].value")),
        new("timestamp with an offset", Mv("{\"timestamp\":\"2026-11-24T10:00:00+02:00\",\"sampledValue\":[]}"), Accepted("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T08:00:00.000Z\",\"sampledValue\":[]}]}")),
        new("timestamp with 7 fraction digits", Mv("{\"timestamp\":\"2026-11-24T10:00:00.1234567Z\",\"sampledValue\":[]}"), Accepted("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T10:00:00.123Z\",\"sampledValue\":[]}]}")),
        new("timestamp with 9 fraction digits", Mv("{\"timestamp\":\"2026-11-24T10:00:00.123456789Z\",\"sampledValue\":[]}"), Accepted("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T10:00:00.123Z\",\"sampledValue\":[]}]}")),
        new("timestamp without offset", Mv("{\"timestamp\":\"2026-11-24T10:00:00\",\"sampledValue\":[]}"), Accepted("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"sampledValue\":[]}]}")),
        new("timestamp date only", Mv("{\"timestamp\":\"2026-11-24\",\"sampledValue\":[]}"), Accepted("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T00:00:00.000Z\",\"sampledValue\":[]}]}")),
        new("timestamp lower-case t and z (RFC 3339 allows them)", Mv("{\"timestamp\":\"2026-11-24t10:00:00z\",\"sampledValue\":[]}"), Accepted("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"sampledValue\":[]}]}")),
        new("timestamp with a space", Mv("{\"timestamp\":\"2026-11-24 10:00:00Z\",\"sampledValue\":[]}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].timestamp")),
        new("timestamp 30 February", Mv("{\"timestamp\":\"2026-02-30T10:00:00Z\",\"sampledValue\":[]}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].timestamp")),
        new("timestamp escaped", Mv("{\"timestamp\":\"2026-11-24T10:00:00\\u005A\",\"sampledValue\":[]}"), Accepted("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"sampledValue\":[]}]}")),
        new("timestamp a number", Mv("{\"timestamp\":1764000000,\"sampledValue\":[]}"), Refused(OcppErrorCode.TypeConstraintViolation, "meterValue[0].timestamp")),
        new("timestamp null", Mv("{\"timestamp\":null,\"sampledValue\":[]}"), Refused(OcppErrorCode.TypeConstraintViolation, "meterValue[0].timestamp")),
        new("timestamp missing", Mv("{\"sampledValue\":[]}"), Refused(OcppErrorCode.OccurrenceConstraintViolation, "meterValue[0].timestamp")),
        new("Celcius as the schema spells it", Sv("{\"value\":\"1\",\"unit\":\"Celcius\"}"), Accepted("{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"sampledValue\":[{\"value\":\"1\",\"unit\":\"Celcius\"}]}]}")),
        new("connectorId negative", "{\"connectorId\":-1,\"meterValue\":[]}", Accepted("{\"connectorId\":-1,\"meterValue\":[]}")),
        new("connectorId minus zero", "{\"connectorId\":-0,\"meterValue\":[]}", Accepted("{\"connectorId\":0,\"meterValue\":[]}")),
        new("connectorId int max", "{\"connectorId\":2147483647,\"transactionId\":-2147483648,\"meterValue\":[]}", Accepted("{\"connectorId\":2147483647,\"transactionId\":-2147483648,\"meterValue\":[]}")),
        new("connectorId a string", "{\"connectorId\":\"1\",\"meterValue\":[]}", Refused(OcppErrorCode.TypeConstraintViolation, "connectorId")),
        new("connectorId a fraction", "{\"connectorId\":1.5,\"meterValue\":[]}", Refused(OcppErrorCode.TypeConstraintViolation, "connectorId")),
        new("connectorId 1.0", "{\"connectorId\":1.0,\"meterValue\":[]}", Refused(OcppErrorCode.TypeConstraintViolation, "connectorId")),
        new("connectorId with exponent", "{\"connectorId\":1e0,\"meterValue\":[]}", Refused(OcppErrorCode.TypeConstraintViolation, "connectorId")),
        new("connectorId too big", "{\"connectorId\":3000000000,\"meterValue\":[]}", Refused(OcppErrorCode.FormatViolation, "connectorId")),
        new("connectorId far too big", "{\"connectorId\":30000000000000000000000,\"meterValue\":[]}", Refused(OcppErrorCode.TypeConstraintViolation, "connectorId")),
        new("connectorId true", "{\"connectorId\":true,\"meterValue\":[]}", Refused(OcppErrorCode.TypeConstraintViolation, "connectorId")),
        new("connectorId null", "{\"connectorId\":null,\"meterValue\":[]}", Refused(OcppErrorCode.TypeConstraintViolation, "connectorId")),
        new("connectorId an object", "{\"connectorId\":{},\"meterValue\":[]}", Refused(OcppErrorCode.TypeConstraintViolation, "connectorId")),
        new("connectorId missing", "{\"meterValue\":[]}", Refused(OcppErrorCode.OccurrenceConstraintViolation, "connectorId")),
        new("transactionId a string", "{\"connectorId\":1,\"transactionId\":\"7\",\"meterValue\":[]}", Refused(OcppErrorCode.TypeConstraintViolation, "transactionId")),
        new("transactionId too big", "{\"connectorId\":1,\"transactionId\":3000000000,\"meterValue\":[]}", Refused(OcppErrorCode.FormatViolation, "transactionId")),
        new("meterValue null", "{\"connectorId\":1,\"meterValue\":null}", Refused(OcppErrorCode.TypeConstraintViolation, "meterValue")),
        new("meterValue missing", "{\"connectorId\":1}", Refused(OcppErrorCode.OccurrenceConstraintViolation, "meterValue")),
        new("meterValue an object", "{\"connectorId\":1,\"meterValue\":{}}", Refused(OcppErrorCode.TypeConstraintViolation, "meterValue")),
        new("meterValue a string", "{\"connectorId\":1,\"meterValue\":\"x\"}", Refused(OcppErrorCode.TypeConstraintViolation, "meterValue")),
        new("meterValue item a number", Mv("1"), Refused(OcppErrorCode.TypeConstraintViolation, "meterValue[0]")),
        new("meterValue item an array", Mv("[]"), Refused(OcppErrorCode.TypeConstraintViolation, "meterValue[0]")),
        new("sampledValue null", Mv($"{{{T},\"sampledValue\":null}}"), Refused(OcppErrorCode.TypeConstraintViolation, "meterValue[0].sampledValue")),
        new("sampledValue missing", Mv($"{{{T}}}"), Refused(OcppErrorCode.OccurrenceConstraintViolation, "meterValue[0].sampledValue")),
        new("sampledValue an object", Mv($"{{{T},\"sampledValue\":{{\"value\":\"1\"}}}}"), Refused(OcppErrorCode.TypeConstraintViolation, "meterValue[0].sampledValue")),
        new("sampledValue item a string", Sv("\"1\""), Refused(OcppErrorCode.TypeConstraintViolation, "meterValue[0].sampledValue[0]")),
        new("sampledValue item an array", Sv("[]"), Refused(OcppErrorCode.TypeConstraintViolation, "meterValue[0].sampledValue[0]")),
        new("value null", Sv("{\"value\":null}"), Refused(OcppErrorCode.TypeConstraintViolation, "meterValue[0].sampledValue[0].value")),
        new("value a number", Sv("{\"value\":1}"), Refused(OcppErrorCode.TypeConstraintViolation, "meterValue[0].sampledValue[0].value")),
        new("value an object", Sv("{\"value\":{}}"), Refused(OcppErrorCode.TypeConstraintViolation, "meterValue[0].sampledValue[0].value")),
        new("value true", Sv("{\"value\":true}"), Refused(OcppErrorCode.TypeConstraintViolation, "meterValue[0].sampledValue[0].value")),
        new("value missing", Sv("{\"unit\":\"Wh\"}"), Refused(OcppErrorCode.OccurrenceConstraintViolation, "meterValue[0].sampledValue[0].value")),
        new("context unknown", Sv("{\"value\":\"1\",\"context\":\"Sample.Hourly\"}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[0].context")),
        new("format unknown", Sv("{\"value\":\"1\",\"format\":\"Signed\"}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[0].format")),
        new("measurand wrong case", Sv("{\"value\":\"1\",\"measurand\":\"voltage\"}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[0].measurand")),
        new("phase unknown", Sv("{\"value\":\"1\",\"phase\":\"L4\"}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[0].phase")),
        new("location unknown", Sv("{\"value\":\"1\",\"location\":\"Roof\"}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[0].location")),
        new("unit unknown", Sv("{\"value\":\"1\",\"unit\":\"kJ\"}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[0].unit")),
        new("unit C# name instead of the OCPP one", Sv("{\"value\":\"1\",\"unit\":\"KWh\"}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[0].unit")),
        new("unit a number", Sv("{\"value\":\"1\",\"unit\":3}"), Refused(OcppErrorCode.TypeConstraintViolation, "meterValue[0].sampledValue[0].unit")),
        new("unit an enum index as a string", Sv("{\"value\":\"1\",\"unit\":\"3\"}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[0].unit")),
        new("unit an object", Sv("{\"value\":\"1\",\"unit\":{}}"), Refused(OcppErrorCode.TypeConstraintViolation, "meterValue[0].sampledValue[0].unit")),
        new("unit an array", Sv("{\"value\":\"1\",\"unit\":[\"Wh\"]}"), Refused(OcppErrorCode.TypeConstraintViolation, "meterValue[0].sampledValue[0].unit")),
        new("unit empty", Sv("{\"value\":\"1\",\"unit\":\"\"}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[0].unit")),
        new("unit with trailing space", Sv("{\"value\":\"1\",\"unit\":\"Wh \"}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[0].unit")),
        new("unknown property at the root", "{\"connectorId\":1,\"meterValue\":[],\"evseId\":1}", Refused(OcppErrorCode.PropertyConstraintViolation, "evseId")),
        new("unknown object property at the root", "{\"connectorId\":1,\"evse\":{\"id\":1},\"meterValue\":[]}", Refused(OcppErrorCode.PropertyConstraintViolation, "evse")),
        new("unknown property in a meter value", Mv($"{{{T},\"sampledValue\":[],\"signed\":false}}"), Refused(OcppErrorCode.PropertyConstraintViolation, "meterValue[0].signed")),
        new("unknown property in a sampled value", Sv("{\"value\":\"1\",\"quality\":\"good\"}"), Refused(OcppErrorCode.PropertyConstraintViolation, "meterValue[0].sampledValue[0].quality")),
        new("property name in the wrong case", Sv("{\"Value\":\"1\"}"), Refused(OcppErrorCode.PropertyConstraintViolation, "meterValue[0].sampledValue[0].Value")),
        new("deep fault in the third sampled value of the second reading", $"{{\"connectorId\":1,\"meterValue\":[{{{T},\"sampledValue\":[{Full}]}},{{{T},\"sampledValue\":[{{\"value\":\"1\"}},{{\"value\":\"2\"}},{{\"value\":\"3\",\"phase\":\"L1-L1\"}}]}}]}}", Refused(OcppErrorCode.FormatViolation, "meterValue[1].sampledValue[2].phase")),
        new("missing value and an unknown property", Sv("{\"quality\":\"good\"}"), Refused(OcppErrorCode.PropertyConstraintViolation, "meterValue[0].sampledValue[0].quality")),
        new("fault after a missing field", Sv("{\"unit\":\"kJ\"}"), Refused(OcppErrorCode.OccurrenceConstraintViolation, "meterValue[0].sampledValue[0].value")),
        new("payload an array", "[]", Refused(OcppErrorCode.TypeConstraintViolation, "")),
        new("payload a string", "\"x\"", Refused(OcppErrorCode.TypeConstraintViolation, "")),
        new("payload a number", "1", Refused(OcppErrorCode.TypeConstraintViolation, "")),
        new("payload null", "null", Refused(OcppErrorCode.FormatViolation, "")),
        new("payload truncated", "{\"connectorId\":1,", Refused(OcppErrorCode.FormatViolation, "")),
        new("something after the payload", "{\"connectorId\":1,\"meterValue\":[]} x", Accepted("{\"connectorId\":1,\"meterValue\":[]}")),
        new("a second object after the payload", "{\"connectorId\":1,\"meterValue\":[]}{\"connectorId\":2}", Accepted("{\"connectorId\":1,\"meterValue\":[]}")),
        new("a bracket after the payload", "{\"connectorId\":1,\"meterValue\":[]}]", Accepted("{\"connectorId\":1,\"meterValue\":[]}")),
        new("whitespace after the payload", "{\"connectorId\":1,\"meterValue\":[]} \r\n\t", Accepted("{\"connectorId\":1,\"meterValue\":[]}")),
        new("an invalid payload with something after it", "{\"connectorId\":\"1\",\"meterValue\":[]} x", Refused(OcppErrorCode.FormatViolation, "")),
        new("a comment after the payload", "{\"connectorId\":1,\"meterValue\":[]} // note", Accepted("{\"connectorId\":1,\"meterValue\":[]}")),
        new("nothing", "", Refused(OcppErrorCode.FormatViolation, "")),
        new("only whitespace", " ", Refused(OcppErrorCode.FormatViolation, "")),
        new("duplicate value, first a number", Sv("{\"value\":1,\"value\":\"2\"}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[0].value")),
        new("duplicate value, first null", Sv("{\"value\":null,\"value\":\"2\"}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[0].value")),
        new("duplicate timestamp, first invalid", Mv("{\"timestamp\":\"x\",\"timestamp\":\"2026-11-24T10:00:00Z\",\"sampledValue\":[]}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].timestamp")),
        new("duplicate connectorId, first a string", "{\"connectorId\":\"1\",\"connectorId\":1,\"meterValue\":[]}", Refused(OcppErrorCode.FormatViolation, "connectorId")),
        new("duplicate sampledValue, first an object", Mv($"{{{T},\"sampledValue\":{{}},\"sampledValue\":[]}}"), Refused(OcppErrorCode.FormatViolation, "meterValue[0].sampledValue")),
        new("multi-line payload with a lone surrogate", "{\n\"connectorId\":1,\n\"meterValue\":[{\n\"timestamp\":\"2026-11-24T10:00:00Z\",\n\"sampledValue\":[{\"value\":\"ok\"},\n{\"value\":\"\\udc00x\"}]}]}", Refused(OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[1].value")),
    ];

    public static TheoryData<string> CaseNames() => [.. Cases.Select(c => c.Name)];

    [Fact]
    public void MeterValues_is_read_and_written_by_the_hand_written_converter()
    {
        Assert.IsType<MeterValuesRequestConverter>(MeterValues.RequestInfo.Converter);
        Assert.IsType<MeterValuesRequestConverter>(Ocpp16JsonContext.CodecTypeInfo(typeof(MeterValuesRequest))!.Converter);
        Assert.NotEmpty(Ocpp16JsonContext.Default.MeterValuesRequest.Properties);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Payload_fares_as_it_did_with_the_generated_metadata(string name)
    {
        var c = Cases.Single(x => x.Name == name);
        Assert.Equal(c.Expected, Decode(Encoding.UTF8.GetBytes(c.Json)));
    }

    [Fact]
    public void Invalid_UTF8_in_a_value_is_refused_at_its_path_as_before()
    {
        var payload = Encoding.UTF8.GetBytes(Sv("{\"value\":\"AB\"}"));
        payload[Array.IndexOf(payload, (byte)'A')] = 0xC3;
        payload[Array.IndexOf(payload, (byte)'B')] = 0x28;
        Assert.Equal(Refused(OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[0].value"), Decode(payload));
    }

    [Theory]
    [InlineData("{\"value\":1,\"value\":\"2\"}", "")]
    [InlineData("{\"value\":\"\\ud800\"}", "  \n  ")]
    public void Refusals_the_walk_cannot_explain_keep_the_generated_deserializer_s_words(string sampledValue, string before)
    {
        var payload = Encoding.UTF8.GetBytes(before + Sv(sampledValue));
        Assert.False(OcppCodec.TryDecode(payload, MeterValues.RequestInfo, out _, out var violation));
        Assert.Equal(Generated(payload), violation);
        Assert.Contains("$.meterValue[0].sampledValue[0].value", violation!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_typed_decoder_uses_the_converter_too()
    {
        Assert.True(OcppCodec.TryDecode<MeterValuesRequest>(Encoding.UTF8.GetBytes(Sv(Full)), Ocpp16.Messages, out var request, out _));
        Assert.Equal(Measurand.EnergyActiveImportRegister, request!.MeterValue[0].SampledValue[0].Measurand);
        Assert.Equal(Phase.L1N, request.MeterValue[0].SampledValue[0].Phase);
        Assert.IsType<List<MeterValue>>(request.MeterValue);
        Assert.IsType<List<SampledValue>>(request.MeterValue[0].SampledValue);
    }

    public static TheoryData<string> EncodeCaseNames() => [.. EncodeCases.Keys];

    private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 24, 10, 15, 30, TimeSpan.FromHours(2)).AddTicks(1234567);

    private static readonly Dictionary<string, MeterValuesRequest> EncodeCases = new(StringComparer.Ordinal)
    {
        ["the sample"] = Samples.MeterValues(),
        ["text to escape, offset and ticks"] = Request(Now, new SampledValue { Value = "a\"b<>&'\u00e9\u0001\u2028\ud83d\ude00" }),
        ["whole seconds, transactionId"] = new() { ConnectorId = 0, TransactionId = -5, MeterValue = [new MeterValue { Timestamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), SampledValue = [] }] },
        ["milliseconds, negative offset"] = Request(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 120, TimeSpan.FromMinutes(-330))),
        ["every enum member"] = Request(Now, [
            .. Enum.GetValues<ReadingContext>().Select(v => new SampledValue { Value = "c", Context = v }),
            .. Enum.GetValues<ValueFormat>().Select(v => new SampledValue { Value = "f", Format = v }),
            .. Enum.GetValues<Measurand>().Select(v => new SampledValue { Value = "m", Measurand = v }),
            .. Enum.GetValues<Phase>().Select(v => new SampledValue { Value = "p", Phase = v }),
            .. Enum.GetValues<Location>().Select(v => new SampledValue { Value = "l", Location = v }),
            .. Enum.GetValues<UnitOfMeasure>().Select(v => new SampledValue { Value = "u", Unit = v })]),
        ["null value"] = Request(Now, new SampledValue { Value = null! }),
        ["null sampledValue list"] = new() { ConnectorId = 1, MeterValue = [new MeterValue { Timestamp = Now, SampledValue = null! }] },
        ["null meterValue list"] = new() { ConnectorId = 1, MeterValue = null! },
        ["null items"] = new() { ConnectorId = 1, MeterValue = [null!, new MeterValue { Timestamp = Now, SampledValue = [null!] }] },
        ["read-only collections"] = new() { ConnectorId = 1, MeterValue = new List<MeterValue> { new() { Timestamp = Now, SampledValue = new List<SampledValue> { new() { Value = "x" } }.AsReadOnly() } }.AsReadOnly() },
    };

    private static MeterValuesRequest Request(DateTimeOffset timestamp, params SampledValue[] sampledValues)
        => new() { ConnectorId = 1, MeterValue = [new MeterValue { Timestamp = timestamp, SampledValue = sampledValues }] };

    [Theory]
    [MemberData(nameof(EncodeCaseNames))]
    public void Written_bytes_are_those_of_the_generated_serializer(string name)
    {
        var request = EncodeCases[name];
        var expected = JsonSerializer.SerializeToUtf8Bytes(request, Ocpp16JsonContext.Default.MeterValuesRequest);
        var frame = OcppCodec.EncodeCall("id", MeterValues, request);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(frame)["[2,\"id\",\"MeterValues\",".Length..^1]);
    }

    [Fact]
    public void An_undefined_enum_value_is_not_written_as_before()
    {
        var request = Request(Now, new SampledValue { Value = "1", Measurand = (Measurand)99 });
        var expected = Assert.Throws<JsonException>(() => JsonSerializer.SerializeToUtf8Bytes(request, Ocpp16JsonContext.Default.MeterValuesRequest));
        var actual = Assert.Throws<JsonException>(() => OcppCodec.EncodeCall("id", MeterValues, request));
        Assert.Equal(expected.Message, actual.Message);
    }

    /// <summary>
    /// Mutated MeterValues frames, decoded with the converter and with the generated metadata: both must accept (and read
    /// the same message) or both refuse with the same violation.
    /// </summary>
    [Fact]
    public void Mutated_payloads_fare_alike_with_the_converter_and_the_generated_metadata()
    {
        var random = new Random(20261124);
        byte[][] seeds =
        [
            OcppCodec.EncodeCall("s1", MeterValues, Samples.MeterValues()),
            OcppCodec.EncodeCall("s2", MeterValues, Samples.MeterValues(3) with { TransactionId = null }),
            Encoding.UTF8.GetBytes($"[2,\"s3\",\"MeterValues\",{Sv(Full)}]"),
            Encoding.UTF8.GetBytes($"[2,\"s4\",\"MeterValues\",{Mv($"{{{T},\"sampledValue\":[{Full},null]}},null")}]"),
        ];
        var decoded = 0;
        var refused = 0;
        for (var i = 0; i < 40_000; i++)
        {
            var (_, frame) = FuzzTests.Mutate(random, seeds[random.Next(seeds.Length)]);
            if (!FrameParser.TryParse(frame, out var parsed, out _))
            {
                continue;
            }
            var actual = Decode(parsed.Payload, out var actualViolation);
            var expected = Decode(parsed.Payload, Ocpp16JsonContext.Default.MeterValuesRequest, out var expectedViolation);
            Assert.True(expected == actual && expectedViolation == actualViolation,
                $"payload {Encoding.UTF8.GetString(parsed.Payload.Span)}\n  converter: {actual.Payload} {actualViolation}\n  generated: {expected.Payload} {expectedViolation}");
            if (actual.Payload is null)
            {
                refused++;
            }
            else
            {
                decoded++;
            }
        }
        Assert.True(decoded > 1000 && refused > 1000, $"{decoded} decoded, {refused} refused: the mutations miss one path");
    }

    private static Outcome Decode(ReadOnlyMemory<byte> payload) => Decode(payload, out _);

    private static Outcome Decode(ReadOnlyMemory<byte> payload, out PayloadViolation? violation)
        => Decode(payload, MeterValues.RequestInfo, out violation);

    /// <summary>Decodes with the given metadata; an accepted message is written back with the generated serializer, so both paths compare alike.</summary>
    private static Outcome Decode(ReadOnlyMemory<byte> payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo info, out PayloadViolation? violation)
    {
        if (OcppCodec.TryDecode(payload, info, out var message, out violation))
        {
            return Accepted(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes((MeterValuesRequest)message!, Ocpp16JsonContext.Default.MeterValuesRequest)));
        }
        return Refused(violation!.Code, violation.Field);
    }

    private static PayloadViolation? Generated(byte[] payload)
    {
        OcppCodec.TryDecode(payload, Ocpp16JsonContext.Default.MeterValuesRequest, out _, out var violation);
        return violation;
    }
}
