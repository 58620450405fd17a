using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201;
using Simulator.Ocpp.V201.MeterValues;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.Tests.V201;

/// <summary>
/// TransactionEventRequest and MeterValuesRequest (2.0.1) are read and written by hand-written converters; the generated
/// metadata stays the reference: every payload below, and mutations of the samples, must fare alike with both (accepted
/// as the same message, or refused with the same violation), and the converters must write the generated serializer's
/// bytes. What the official schema refuses is checked through the codec by <see cref="ConstraintTests201"/> and
/// <see cref="InvalidPayloadTests201"/>.
/// </summary>
public class MeterValueConvertersTests201
{
    private static readonly ActionDescriptor TransactionEvent = Ocpp201.Messages.Of<TransactionEventRequest>();
    private static readonly ActionDescriptor MeterValues = Ocpp201.Messages.Of<MeterValuesRequest>();

    private const string T = "\"timestamp\":\"2026-11-24T10:00:00Z\"";
    private const string Info = "\"transactionInfo\":{\"transactionId\":\"tx-1\"}";
    private const string Head = $"\"eventType\":\"Updated\",{T},\"triggerReason\":\"MeterValuePeriodic\",\"seqNo\":2,{Info}";
    private const string Full = "{\"value\":15234.5,\"context\":\"Sample.Periodic\",\"measurand\":\"Energy.Active.Import.Register\",\"phase\":\"L1-N\",\"location\":\"Outlet\","
        + "\"signedMeterValue\":{\"signedMeterData\":\"AB\",\"signingMethod\":\"ECDSA\",\"encodingMethod\":\"OCMF\",\"publicKey\":\"PK\"},"
        + "\"unitOfMeasure\":{\"unit\":\"kWh\",\"multiplier\":3,\"customData\":{\"vendorId\":\"v\",\"x\":[1,null]}},\"customData\":{\"vendorId\":\"v\"}}";

    private static string Te(string members) => "{" + members + "}";

    private static string Sv(string sampledValue) => Te($"{Head},\"meterValue\":[{{{T},\"sampledValue\":[{sampledValue}]}}]");

    private static string Mv(string meterValue) => Te($"{Head},\"meterValue\":[{meterValue}]");

    /// <summary>TransactionEvent payloads, valid and not, each decoded with the converter and with the generated metadata.</summary>
    public static TheoryData<string> TransactionEventPayloads() =>
    [
        Te(Head),
        Sv(Full),
        Sv("{\"value\":1}"),
        Sv("{\"value\":-0.001}"),
        Sv("{\"value\":1e3}"),
        Sv("{\"value\":1E-2}"),
        Sv("{\"value\":123456789012345678901234567890}"),
        Sv("{\"value\":1e400}"),
        Sv("{\"value\":\"1\"}"),
        Sv("{\"value\":null}"),
        Sv("{\"value\":true}"),
        Sv("{\"measurand\":\"Voltage\"}"),
        Sv("{\"value\":1,\"value\":2}"),
        Sv("{\"value\":\"x\",\"value\":2}"),
        Sv("{\"value\":1,\"context\":null,\"measurand\":null,\"phase\":null,\"location\":null,\"signedMeterValue\":null,\"unitOfMeasure\":null,\"customData\":null}"),
        Sv("{\"value\":1,\"context\":\"Sample.Hourly\"}"),
        Sv("{\"value\":1,\"measurand\":\"voltage\"}"),
        Sv("{\"value\":1,\"phase\":\"L1\\u002DN\"}"),
        Sv("{\"v\\u0061lue\":1}"),
        Sv("{\"Value\":1}"),
        Sv("{\"value\":1,\"quality\":\"good\"}"),
        Sv("{\"value\":1,\"unitOfMeasure\":{}}"),
        Sv("{\"value\":1,\"unitOfMeasure\":{\"unit\":null,\"multiplier\":null}}"),
        Sv("{\"value\":1,\"unitOfMeasure\":{\"unit\":3}}"),
        Sv("{\"value\":1,\"unitOfMeasure\":{\"multiplier\":1.5}}"),
        Sv("{\"value\":1,\"unitOfMeasure\":{\"multiplier\":\"1\"}}"),
        Sv("{\"value\":1,\"unitOfMeasure\":{\"scale\":1}}"),
        Sv("{\"value\":1,\"unitOfMeasure\":\"kWh\"}"),
        Sv("{\"value\":1,\"unitOfMeasure\":{\"unit\":\"" + new string('W', 21) + "\"}}"),
        Sv("{\"value\":1,\"signedMeterValue\":{\"signedMeterData\":\"AB\"}}"),
        Sv("{\"value\":1,\"signedMeterValue\":[]}"),
        Sv("{\"value\":1,\"customData\":{}}"),
        Sv("{\"value\":1,\"customData\":{\"vendorId\":null}}"),
        Sv("{\"value\":1,\"customData\":{\"vendorId\":\"v\",\"deep\":{\"a\":[{}]}}}"),
        Sv("{\"value\":1,\"customData\":[]}"),
        Sv("null"),
        Sv("1"),
        Sv(""),
        Mv("null"),
        Mv($"{{{T}}}"),
        Mv("{\"sampledValue\":[{\"value\":1}]}"),
        Mv($"{{{T},\"sampledValue\":null}}"),
        Mv($"{{{T},\"sampledValue\":{{}}}}"),
        Mv($"{{\"timestamp\":null,\"sampledValue\":[{{\"value\":1}}]}}"),
        Mv($"{{\"timestamp\":\"2026-11-24 10:00:00Z\",\"sampledValue\":[{{\"value\":1}}]}}"),
        Mv($"{{\"timestamp\":\"2026-11-24t10:00:00z\",\"sampledValue\":[{{\"value\":1}}]}}"),
        Mv($"{{\"timestamp\":\"2026-11-24T10:00:00+02:00\",\"sampledValue\":[{{\"value\":1}}]}}"),
        Mv($"{{\"timestamp\":1764000000,\"sampledValue\":[{{\"value\":1}}]}}"),
        Mv($"{{{T},\"sampledValue\":[{{\"value\":1}}],\"customData\":{{\"vendorId\":\"v\"}}}}"),
        Mv($"{{{T},\"sampledValue\":[{{\"value\":1}}],\"extra\":1}}"),
        Te($"{Head},\"meterValue\":[]"),
        Te($"{Head},\"meterValue\":null"),
        Te($"{Head},\"meterValue\":{{}}"),
        Te($"{T},\"triggerReason\":\"Authorized\",\"seqNo\":0,{Info}"),
        Te($"\"eventType\":null,{T},\"triggerReason\":\"Authorized\",\"seqNo\":0,{Info}"),
        Te($"\"eventType\":\"Paused\",{T},\"triggerReason\":\"Authorized\",\"seqNo\":0,{Info}"),
        Te($"\"eventType\":\"Started\",{T},\"seqNo\":0,{Info}"),
        Te($"\"eventType\":\"Started\",{T},\"triggerReason\":\"Whatever\",\"seqNo\":0,{Info}"),
        Te($"\"eventType\":\"Started\",\"triggerReason\":\"Authorized\",\"seqNo\":0,{Info}"),
        Te($"\"eventType\":\"Started\",{T},\"triggerReason\":\"Authorized\",{Info}"),
        Te($"\"eventType\":\"Started\",{T},\"triggerReason\":\"Authorized\",\"seqNo\":null,{Info}"),
        Te($"\"eventType\":\"Started\",{T},\"triggerReason\":\"Authorized\",\"seqNo\":\"0\",{Info}"),
        Te($"\"eventType\":\"Started\",{T},\"triggerReason\":\"Authorized\",\"seqNo\":3000000000,{Info}"),
        Te($"\"eventType\":\"Started\",{T},\"triggerReason\":\"Authorized\",\"seqNo\":-1,{Info}"),
        Te($"\"eventType\":\"Started\",{T},\"triggerReason\":\"Authorized\",\"seqNo\":0"),
        Te($"\"eventType\":\"Started\",{T},\"triggerReason\":\"Authorized\",\"seqNo\":0,\"transactionInfo\":null"),
        Te($"\"eventType\":\"Started\",{T},\"triggerReason\":\"Authorized\",\"seqNo\":0,\"transactionInfo\":{{}}"),
        Te($"\"eventType\":\"Started\",{T},\"triggerReason\":\"Authorized\",\"seqNo\":0,\"transactionInfo\":{{\"transactionId\":null}}"),
        Te($"\"eventType\":\"Started\",{T},\"triggerReason\":\"Authorized\",\"seqNo\":0,\"transactionInfo\":{{\"transactionId\":7}}"),
        Te($"\"eventType\":\"Started\",{T},\"triggerReason\":\"Authorized\",\"seqNo\":0,\"transactionInfo\":{{\"transactionId\":\"{new string('x', 37)}\"}}"),
        Te($"\"eventType\":\"Started\",{T},\"triggerReason\":\"Authorized\",\"seqNo\":0,\"transactionInfo\":{{\"transactionId\":\"t\",\"chargingState\":\"Charging\",\"timeSpentCharging\":12,\"stoppedReason\":\"Local\",\"remoteStartId\":5,\"customData\":{{\"vendorId\":\"v\"}}}}"),
        Te($"\"eventType\":\"Started\",{T},\"triggerReason\":\"Authorized\",\"seqNo\":0,\"transactionInfo\":{{\"transactionId\":\"t\",\"chargingState\":null,\"timeSpentCharging\":null,\"stoppedReason\":null,\"remoteStartId\":null,\"customData\":null}}"),
        Te($"\"eventType\":\"Started\",{T},\"triggerReason\":\"Authorized\",\"seqNo\":0,\"transactionInfo\":{{\"transactionId\":\"t\",\"chargingState\":\"Resting\"}}"),
        Te($"\"eventType\":\"Started\",{T},\"triggerReason\":\"Authorized\",\"seqNo\":0,\"transactionInfo\":{{\"transactionId\":\"t\",\"timeSpentCharging\":1.5}}"),
        Te($"\"eventType\":\"Started\",{T},\"triggerReason\":\"Authorized\",\"seqNo\":0,\"transactionInfo\":{{\"transactionId\":\"t\",\"stoppedReason\":\"Boredom\"}}"),
        Te($"\"eventType\":\"Started\",{T},\"triggerReason\":\"Authorized\",\"seqNo\":0,\"transactionInfo\":{{\"transactionId\":\"t\",\"id\":1}}"),
        Te($"{Head},\"offline\":true,\"numberOfPhasesUsed\":3,\"cableMaxCurrent\":32,\"reservationId\":9"),
        Te($"{Head},\"offline\":null,\"numberOfPhasesUsed\":null,\"cableMaxCurrent\":null,\"reservationId\":null,\"evse\":null,\"idToken\":null,\"customData\":null"),
        Te($"{Head},\"offline\":\"true\""),
        Te($"{Head},\"offline\":1"),
        Te($"{Head},\"numberOfPhasesUsed\":\"3\""),
        Te($"{Head},\"cableMaxCurrent\":32.5"),
        Te($"{Head},\"reservationId\":{{}}"),
        Te($"{Head},\"evse\":{{\"id\":1,\"connectorId\":1}}"),
        Te($"{Head},\"evse\":{{\"connectorId\":1}}"),
        Te($"{Head},\"evse\":{{\"id\":1,\"port\":1}}"),
        Te($"{Head},\"evse\":1"),
        Te($"{Head},\"idToken\":{{\"idToken\":\"04A1\",\"type\":\"ISO14443\"}}"),
        Te($"{Head},\"idToken\":{{\"idToken\":\"04A1\",\"type\":\"Card\"}}"),
        Te($"{Head},\"idToken\":{{\"idToken\":\"04A1\"}}"),
        Te($"{Head},\"idToken\":{{\"idToken\":\"04A1\",\"type\":\"ISO14443\",\"additionalInfo\":[{{\"additionalIdToken\":\"a\",\"type\":\"b\"}}]}}"),
        Te($"{Head},\"customData\":{{\"vendorId\":\"com.acme\",\"rack\":{{\"row\":3}}}}"),
        Te($"{Head},\"customData\":{{\"rack\":1}}"),
        Te($"{Head},\"unknown\":1"),
        Te($"{Head},\"EventType\":\"Updated\""),
        Te($"{Head},\"seqNo\":5"),
        Te($"{Head},\"seqNo\":\"x\""),
        Te($"\"seqNo\":\"x\",{Head}"),
        Te($"{Head},\"eventType\":\"Ended\""),
        "{" + Head + "} x",
        "{" + Head + "}]",
        "{\"eventType\":\"Updated\",",
        "[]",
        "null",
        "\"x\"",
        "",
    ];

    /// <summary>MeterValues payloads: the members of its own, the meter values being the converter shared with TransactionEvent.</summary>
    public static TheoryData<string> MeterValuesPayloads() =>
    [
        $"{{\"evseId\":1,\"meterValue\":[{{{T},\"sampledValue\":[{Full}]}}]}}",
        $"{{\"meterValue\":[{{{T},\"sampledValue\":[{{\"value\":1}}]}}],\"evseId\":0,\"customData\":{{\"vendorId\":\"v\"}}}}",
        "{\"evseId\":1,\"meterValue\":[]}",
        "{\"evseId\":1,\"meterValue\":null}",
        "{\"evseId\":1}",
        "{\"meterValue\":[]}",
        "{\"evseId\":null,\"meterValue\":[]}",
        "{\"evseId\":\"1\",\"meterValue\":[]}",
        "{\"evseId\":1.0,\"meterValue\":[]}",
        "{\"evseId\":1,\"meterValue\":[],\"transactionId\":7}",
        "{\"evseId\":1,\"meterValue\":[null]}",
        $"{{\"evseId\":1,\"meterValue\":[{{{T},\"sampledValue\":[]}}]}}",
        "{\"evseId\":1,\"meterValue\":[],\"customData\":null}",
    ];

    [Fact]
    public void TransactionEvent_and_MeterValues_are_read_and_written_by_the_hand_written_converters()
    {
        Assert.IsType<TransactionEventRequestConverter>(TransactionEvent.RequestInfo.Converter);
        Assert.IsType<MeterValuesRequestConverter>(MeterValues.RequestInfo.Converter);
        Assert.NotEmpty(Ocpp201JsonContext.Default.TransactionEventRequest.Properties);
        Assert.NotEmpty(Ocpp201JsonContext.Default.MeterValuesRequest.Properties);
    }

    [Theory]
    [MemberData(nameof(TransactionEventPayloads))]
    public void TransactionEvent_payload_fares_as_with_the_generated_metadata(string json)
        => AssertAlike(Encoding.UTF8.GetBytes(json), TransactionEvent.RequestInfo, Ocpp201JsonContext.Default.TransactionEventRequest);

    [Theory]
    [MemberData(nameof(MeterValuesPayloads))]
    public void MeterValues_payload_fares_as_with_the_generated_metadata(string json)
        => AssertAlike(Encoding.UTF8.GetBytes(json), MeterValues.RequestInfo, Ocpp201JsonContext.Default.MeterValuesRequest);

    [Fact]
    public void A_valid_payload_is_read_into_the_records_and_a_refused_one_names_its_field()
    {
        Assert.True(OcppCodec.TryDecode<TransactionEventRequest>(Encoding.UTF8.GetBytes(Sv(Full)), Ocpp201.Messages, out var request, out _));
        var value = request!.MeterValue![0].SampledValue[0];
        Assert.Equal(15234.5m, value.Value);
        Assert.Equal(Phase.L1N, value.Phase);
        Assert.Equal(3, value.UnitOfMeasure!.Multiplier);
        Assert.Equal("OCMF", value.SignedMeterValue!.EncodingMethod);
        Assert.Equal(["x"], value.UnitOfMeasure.CustomData!.Properties!.Keys);

        Assert.False(OcppCodec.TryDecode(Encoding.UTF8.GetBytes(Sv("{\"value\":1,\"phase\":\"L4\"}")), TransactionEvent.RequestInfo, out _, out var violation));
        Assert.Equal((OcppErrorCode.FormatViolation, "meterValue[0].sampledValue[0].phase"), (violation!.Code, violation.Field));
        Assert.False(OcppCodec.TryDecode(Encoding.UTF8.GetBytes(Te($"{Head},\"seqNo\":\"x\"")), TransactionEvent.RequestInfo, out _, out violation));
        Assert.Equal((OcppErrorCode.TypeConstraintViolation, "seqNo"), (violation!.Code, violation.Field));
        Assert.False(OcppCodec.TryDecode(Encoding.UTF8.GetBytes(Te($"{Head},\"meterValue\":[]")), TransactionEvent.RequestInfo, out _, out violation));
        Assert.Equal("meterValue", violation!.Field);
    }

    public static TheoryData<string> EncodeCaseNames() => [.. EncodeCases.Keys];

    private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 24, 10, 15, 30, TimeSpan.FromHours(2)).AddTicks(1234567);

    private static readonly Dictionary<string, IOcppRequest> EncodeCases = new(StringComparer.Ordinal)
    {
        ["TransactionEvent sample"] = Samples201.Requests["TransactionEvent"],
        ["TransactionEvent Started sample"] = Samples201.RequestVariants.Single(v => v.Action == "TransactionEvent").Payload,
        ["MeterValues sample"] = Samples201.Requests["MeterValues"],
        ["text to escape, decimals, every enum member"] = new TransactionEventRequest
        {
            EventType = TransactionEventKind.Updated,
            Timestamp = Now,
            TriggerReason = TriggerReason.ChargingStateChanged,
            SeqNo = int.MaxValue,
            Offline = true,
            TransactionInfo = new Transaction { TransactionId = "a\"b<>&'\u00e9\u2028", StoppedReason = StopReason.SOCLimitReached },
            MeterValue =
            [
                new MeterValue
                {
                    Timestamp = Now,
                    SampledValue =
                    [
                        .. Enum.GetValues<ReadingContext>().Select(v => new SampledValue { Value = 0.1m, Context = v }),
                        .. Enum.GetValues<Measurand>().Select(v => new SampledValue { Value = -12345678901234567890.5m, Measurand = v }),
                        .. Enum.GetValues<Phase>().Select(v => new SampledValue { Value = 1.000m, Phase = v }),
                        .. Enum.GetValues<Location>().Select(v => new SampledValue { Value = decimal.MaxValue, Location = v, UnitOfMeasure = new UnitOfMeasure { Unit = "\u00e9", Multiplier = -3 } }),
                    ],
                    CustomData = new CustomData { VendorId = "v", Properties = new() { ["n"] = JsonDocument.Parse("[1,{\"a\":null}]").RootElement } },
                },
            ],
        },
        ["null required members and items"] = new TransactionEventRequest
        {
            EventType = TransactionEventKind.Ended,
            Timestamp = Now,
            TriggerReason = TriggerReason.EVDeparted,
            SeqNo = 0,
            TransactionInfo = new Transaction { TransactionId = null! },
            MeterValue = [null!, new MeterValue { Timestamp = Now, SampledValue = null! }, new MeterValue { Timestamp = Now, SampledValue = [null!] }],
        },
        ["no transactionInfo"] = new TransactionEventRequest { EventType = TransactionEventKind.Ended, Timestamp = Now, TriggerReason = TriggerReason.EVDeparted, SeqNo = 0, TransactionInfo = null! },
        ["MeterValues, null list"] = new MeterValuesRequest { EvseId = 2, MeterValue = null! },
        ["MeterValues, read-only collections"] = new MeterValuesRequest
        {
            EvseId = 1,
            MeterValue = new List<MeterValue> { new() { Timestamp = Now, SampledValue = new List<SampledValue> { new() { Value = 7m } }.AsReadOnly() } }.AsReadOnly(),
        },
    };

    [Theory]
    [MemberData(nameof(EncodeCaseNames))]
    public void Written_bytes_are_those_of_the_generated_serializer(string name)
    {
        var request = EncodeCases[name];
        var action = Ocpp201.Messages.Of(request);
        var expected = JsonSerializer.SerializeToUtf8Bytes(request, Ocpp201JsonContext.Default.GetTypeInfo(request.GetType())!);
        var frame = OcppCodec.EncodeCall("id", action, request);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(frame)[$"[2,\"id\",\"{action.Name}\",".Length..^1]);
    }

    [Fact]
    public void An_undefined_enum_value_is_not_written_as_before()
    {
        var request = new TransactionEventRequest
        {
            EventType = TransactionEventKind.Updated,
            Timestamp = Now,
            TriggerReason = TriggerReason.Trigger,
            SeqNo = 1,
            TransactionInfo = new Transaction { TransactionId = "t" },
            MeterValue = [new MeterValue { Timestamp = Now, SampledValue = [new SampledValue { Value = 1m, Measurand = (Measurand)99 }] }],
        };
        var expected = Assert.Throws<JsonException>(() => JsonSerializer.SerializeToUtf8Bytes(request, Ocpp201JsonContext.Default.TransactionEventRequest));
        var actual = Assert.Throws<JsonException>(() => OcppCodec.EncodeCall("id", TransactionEvent, request));
        Assert.Equal(expected.Message, actual.Message);
    }

    /// <summary>Mutated TransactionEvent and MeterValues frames fare alike with the converters and with the generated metadata.</summary>
    [Fact]
    public void Mutated_payloads_fare_alike_with_the_converters_and_the_generated_metadata()
    {
        var random = new Random(20261205);
        (byte[] Frame, ActionDescriptor Action, JsonTypeInfo Generated)[] seeds =
        [
            (OcppCodec.EncodeCall("s1", TransactionEvent, Samples201.Requests["TransactionEvent"]), TransactionEvent, Ocpp201JsonContext.Default.TransactionEventRequest),
            (OcppCodec.EncodeCall("s2", TransactionEvent, Samples201.RequestVariants.Single(v => v.Action == "TransactionEvent").Payload), TransactionEvent, Ocpp201JsonContext.Default.TransactionEventRequest),
            (Encoding.UTF8.GetBytes($"[2,\"s3\",\"TransactionEvent\",{Sv(Full)}]"), TransactionEvent, Ocpp201JsonContext.Default.TransactionEventRequest),
            (Encoding.UTF8.GetBytes($"[2,\"s4\",\"TransactionEvent\",{Mv($"{{{T},\"sampledValue\":[{Full},null]}},null")}]"), TransactionEvent, Ocpp201JsonContext.Default.TransactionEventRequest),
            (OcppCodec.EncodeCall("s5", MeterValues, Samples201.Requests["MeterValues"]), MeterValues, Ocpp201JsonContext.Default.MeterValuesRequest),
        ];
        var decoded = 0;
        var refused = 0;
        for (var i = 0; i < 40_000; i++)
        {
            var seed = seeds[random.Next(seeds.Length)];
            var (_, frame) = FuzzTests.Mutate(random, seed.Frame);
            if (!FrameParser.TryParse(frame, out var parsed, out _))
            {
                continue;
            }
            var actual = Decode(parsed.Payload, seed.Action.RequestInfo, seed.Generated, out var actualViolation);
            var expected = Decode(parsed.Payload, seed.Generated, seed.Generated, out var expectedViolation);
            Assert.True(expected == actual && expectedViolation == actualViolation,
                $"payload {Encoding.UTF8.GetString(parsed.Payload.Span)}\n  converter: {actual} {actualViolation}\n  generated: {expected} {expectedViolation}");
            if (actual is null)
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

    private static void AssertAlike(byte[] payload, JsonTypeInfo codec, JsonTypeInfo generated)
    {
        Assert.NotSame(codec, generated);
        var expected = Decode(payload, generated, generated, out var expectedViolation);
        var actual = Decode(payload, codec, generated, out var actualViolation);
        Assert.Equal(expectedViolation, actualViolation);
        Assert.Equal(expected, actual);
    }

    /// <summary>Decodes with <paramref name="info"/>; an accepted message is written back with the generated serializer, so both paths compare alike.</summary>
    private static string? Decode(ReadOnlyMemory<byte> payload, JsonTypeInfo info, JsonTypeInfo generated, out PayloadViolation? violation)
        => OcppCodec.TryDecode(payload, info, out var message, out violation)
            ? Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(message, generated))
            : null;
}
