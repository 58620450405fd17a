using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.Tests;

/// <summary>
/// The 1.6 payloads every charge point sends at boot and per session (and their answers) are read and written by
/// hand-written converters; the generated metadata stays the reference. Every payload is written with both and the bytes
/// compared; read with both, explicit cases and mutated payloads must fare alike (same message, or same violation), and
/// the explicit refusals name the field.
/// </summary>
public class HandWrittenConverters16Tests
{
    private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 11, 24, 10, 15, 30, TimeSpan.FromHours(2)).AddTicks(1234567);
    private const string T = "2026-11-24T10:00:00Z";

    /// <summary>Accepted, and written back (by the generated serializer) as <see cref="Payload"/>; or refused with <see cref="Code"/> naming <see cref="Field"/>.</summary>
    public sealed record Outcome(string? Payload, OcppErrorCode? Code, string? Field);

    private static Outcome Accepted(string payload) => new(payload, null, null);

    private static Outcome Refused(OcppErrorCode code, string field) => new(null, code, field);

    /// <summary>A payload type with its hand-written converter: values to write, payloads to read, and the member names mutations duplicate.</summary>
    private sealed record Payload(
        Type Type,
        Type ConverterType,
        IReadOnlyDictionary<string, object> Values,
        IReadOnlyList<(string Name, string Json, Outcome Expected)> Cases,
        IReadOnlyList<string> Members)
    {
        public JsonTypeInfo Codec => Ocpp16.Messages.TypeInfo(Type);

        public ActionDescriptor Action => Ocpp16.Messages.Actions.Single(a => a.RequestType == Type || a.ResponseType == Type);

        public JsonTypeInfo Generated => Ocpp16JsonContext.Default.GetTypeInfo(Type)!;
    }

    private static readonly Dictionary<string, Payload> Payloads = new(StringComparer.Ordinal)
    {
        ["StopTransactionRequest"] = new(typeof(StopTransactionRequest), typeof(StopTransactionRequestConverter), StopTransactionValues(), StopTransactionCases(),
            ["idTag", "meterStop", "timestamp", "transactionId", "reason", "transactionData", "sampledValue", "value", "unit", "measurand"]),
        ["StatusNotificationRequest"] = new(typeof(StatusNotificationRequest), typeof(StatusNotificationRequestConverter), StatusNotificationValues(), StatusNotificationCases(),
            ["connectorId", "errorCode", "info", "status", "timestamp", "vendorId", "vendorErrorCode"]),
        ["BootNotificationRequest"] = new(typeof(BootNotificationRequest), typeof(BootNotificationRequestConverter), BootNotificationValues(), BootNotificationCases(),
            ["chargePointVendor", "chargePointModel", "chargePointSerialNumber", "chargeBoxSerialNumber", "firmwareVersion", "iccid", "imsi", "meterType", "meterSerialNumber"]),
        ["StartTransactionRequest"] = new(typeof(StartTransactionRequest), typeof(StartTransactionRequestConverter), StartTransactionValues(), StartTransactionCases(),
            ["connectorId", "idTag", "meterStart", "reservationId", "timestamp"]),
        ["BootNotificationResponse"] = new(typeof(BootNotificationResponse), typeof(BootNotificationResponseConverter), BootNotificationResponseValues(), BootNotificationResponseCases(),
            ["status", "currentTime", "interval"]),
        ["StartTransactionResponse"] = new(typeof(StartTransactionResponse), typeof(StartTransactionResponseConverter), StartTransactionResponseValues(), StartTransactionResponseCases(),
            ["idTagInfo", "transactionId", "expiryDate", "parentIdTag", "status"]),
        ["StopTransactionResponse"] = new(typeof(StopTransactionResponse), typeof(StopTransactionResponseConverter), StopTransactionResponseValues(), StopTransactionResponseCases(),
            ["idTagInfo", "expiryDate", "parentIdTag", "status"]),
        ["AuthorizeRequest"] = new(typeof(AuthorizeRequest), typeof(AuthorizeRequestConverter), AuthorizeValues(), AuthorizeCases(), ["idTag"]),
        ["AuthorizeResponse"] = new(typeof(AuthorizeResponse), typeof(AuthorizeResponseConverter), AuthorizeResponseValues(), AuthorizeResponseCases(),
            ["idTagInfo", "expiryDate", "parentIdTag", "status"]),
        ["HeartbeatResponse"] = new(typeof(HeartbeatResponse), typeof(HeartbeatResponseConverter), HeartbeatResponseValues(), HeartbeatResponseCases(), ["currentTime"]),
        ["HeartbeatRequest"] = Empty<HeartbeatRequest>(),
        ["StatusNotificationResponse"] = Empty<StatusNotificationResponse>(),
        ["MeterValuesResponse"] = Empty<MeterValuesResponse>(),
    };

    private const string Escapes = "a\"b<>&'\u00e9\u0001\u2028\ud83d\ude00";

    // ───────────────────────── StopTransaction.req ─────────────────────────

    private static Dictionary<string, object> StopTransactionValues()
    {
        var full = (StopTransactionRequest)Samples.Requests["StopTransaction"];
        var values = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["the sample, every field"] = full,
            ["required fields only"] = new StopTransactionRequest { MeterStop = 0, Timestamp = Now, TransactionId = 1 },
            ["edge numbers, whole seconds"] = new StopTransactionRequest { MeterStop = int.MinValue, Timestamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), TransactionId = int.MaxValue },
            ["negative offset, escaped idTag"] = new StopTransactionRequest { IdTag = Escapes, MeterStop = -1, Timestamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 120, TimeSpan.FromMinutes(-330)), TransactionId = -7 },
            ["empty idTag and transactionData"] = new StopTransactionRequest { IdTag = "", MeterStop = 5, Timestamp = Now, TransactionId = 2, TransactionData = [] },
            ["every sampled-value enum member"] = full with
            {
                TransactionData =
                [
                    new MeterValue
                    {
                        Timestamp = Now,
                        SampledValue =
                        [
                            .. Enum.GetValues<ReadingContext>().Select(v => new SampledValue { Value = "c", Context = v }),
                            .. Enum.GetValues<ValueFormat>().Select(v => new SampledValue { Value = "f", Format = v }),
                            .. Enum.GetValues<Measurand>().Select(v => new SampledValue { Value = "m", Measurand = v }),
                            .. Enum.GetValues<Phase>().Select(v => new SampledValue { Value = "p", Phase = v }),
                            .. Enum.GetValues<Location>().Select(v => new SampledValue { Value = "l", Location = v }),
                            .. Enum.GetValues<UnitOfMeasure>().Select(v => new SampledValue { Value = "u", Unit = v }),
                        ],
                    },
                ],
            },
            ["null items and lists"] = full with { TransactionData = [null!, new MeterValue { Timestamp = Now, SampledValue = null! }, new MeterValue { Timestamp = Now, SampledValue = [null!, new SampledValue { Value = null! }] }] },
            ["read-only transactionData"] = full with { TransactionData = new List<MeterValue> { new() { Timestamp = Now, SampledValue = new List<SampledValue> { new() { Value = "x" } }.AsReadOnly() } }.AsReadOnly() },
        };
        foreach (var reason in Enum.GetValues<StopReason>())
        {
            values[$"reason {reason}"] = full with { Reason = reason };
        }
        return values;
    }

    private static List<(string, string, Outcome)> StopTransactionCases()
    {
        const string Req = $"\"meterStop\":27543,\"timestamp\":\"{T}\",\"transactionId\":4711";
        const string W = "\"meterStop\":27543,\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"transactionId\":4711";
        static string P(string members) => $"{{{members}}}";
        return
        [
            ("required fields only", P(Req), Accepted(P(W))),
            ("every field", P($"\"idTag\":\"04A2\",{Req},\"reason\":\"EVDisconnected\",\"transactionData\":[{{\"timestamp\":\"{T}\",\"sampledValue\":[{{\"value\":\"1\",\"unit\":\"kWh\"}}]}}]"),
                Accepted(P($"\"idTag\":\"04A2\",{W},\"reason\":\"EVDisconnected\",\"transactionData\":[{{\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"sampledValue\":[{{\"value\":\"1\",\"unit\":\"kWh\"}}]}}]"))),
            ("another order", P($"\"transactionData\":[],\"reason\":\"Local\",\"transactionId\":1,\"timestamp\":\"{T}\",\"meterStop\":2,\"idTag\":\"x\""),
                Accepted(P("\"idTag\":\"x\",\"meterStop\":2,\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"transactionId\":1,\"reason\":\"Local\",\"transactionData\":[]"))),
            ("nulls for the optional fields", P($"\"idTag\":null,{Req},\"reason\":null,\"transactionData\":null"), Accepted(P(W))),
            ("duplicate idTag, last wins", P($"\"idTag\":\"a\",\"idTag\":null,{Req}"), Accepted(P(W))),
            ("duplicate transactionData, last wins", P($"{Req},\"transactionData\":[null],\"transactionData\":[]"), Accepted(P($"{W},\"transactionData\":[]"))),
            ("timestamp with an offset", P($"\"meterStop\":1,\"timestamp\":\"2026-11-24T10:00:00+02:00\",\"transactionId\":1"), Accepted(P("\"meterStop\":1,\"timestamp\":\"2026-11-24T08:00:00.000Z\",\"transactionId\":1"))),
            ("escaped names and values", P($"\"id\\u0054ag\":\"\\u00e9\",{Req},\"reason\":\"Rem\\u006fte\""), Accepted(P($"\"idTag\":\"\\u00E9\",{W},\"reason\":\"Remote\""))),
            ("idTag too long", P($"\"idTag\":\"123456789012345678901\",{Req}"), Refused(OcppErrorCode.FormatViolation, "idTag")),
            ("idTag a number", P($"\"idTag\":1,{Req}"), Refused(OcppErrorCode.TypeConstraintViolation, "idTag")),
            ("meterStop missing", P($"\"timestamp\":\"{T}\",\"transactionId\":1"), Refused(OcppErrorCode.OccurrenceConstraintViolation, "meterStop")),
            ("meterStop null", P($"\"meterStop\":null,\"timestamp\":\"{T}\",\"transactionId\":1"), Refused(OcppErrorCode.TypeConstraintViolation, "meterStop")),
            ("meterStop a fraction", P($"\"meterStop\":1.5,\"timestamp\":\"{T}\",\"transactionId\":1"), Refused(OcppErrorCode.TypeConstraintViolation, "meterStop")),
            ("meterStop a string", P($"\"meterStop\":\"1\",\"timestamp\":\"{T}\",\"transactionId\":1"), Refused(OcppErrorCode.TypeConstraintViolation, "meterStop")),
            ("meterStop too big", P($"\"meterStop\":3000000000,\"timestamp\":\"{T}\",\"transactionId\":1"), Refused(OcppErrorCode.FormatViolation, "meterStop")),
            ("timestamp missing", P("\"meterStop\":1,\"transactionId\":1"), Refused(OcppErrorCode.OccurrenceConstraintViolation, "timestamp")),
            ("timestamp null", P("\"meterStop\":1,\"timestamp\":null,\"transactionId\":1"), Refused(OcppErrorCode.TypeConstraintViolation, "timestamp")),
            ("timestamp not a date", P("\"meterStop\":1,\"timestamp\":\"yesterday\",\"transactionId\":1"), Refused(OcppErrorCode.FormatViolation, "timestamp")),
            ("transactionId missing", P($"\"meterStop\":1,\"timestamp\":\"{T}\""), Refused(OcppErrorCode.OccurrenceConstraintViolation, "transactionId")),
            ("transactionId null", P($"\"meterStop\":1,\"timestamp\":\"{T}\",\"transactionId\":null"), Refused(OcppErrorCode.TypeConstraintViolation, "transactionId")),
            ("reason unknown", P($"{Req},\"reason\":\"Unplugged\""), Refused(OcppErrorCode.FormatViolation, "reason")),
            ("reason a number", P($"{Req},\"reason\":1"), Refused(OcppErrorCode.TypeConstraintViolation, "reason")),
            ("transactionData an object", P($"{Req},\"transactionData\":{{}}"), Refused(OcppErrorCode.TypeConstraintViolation, "transactionData")),
            ("transactionData null item", P($"{Req},\"transactionData\":[null]"), Refused(OcppErrorCode.TypeConstraintViolation, "transactionData[0]")),
            ("sampled value without value", P($"{Req},\"transactionData\":[{{\"timestamp\":\"{T}\",\"sampledValue\":[{{\"unit\":\"Wh\"}}]}}]"), Refused(OcppErrorCode.OccurrenceConstraintViolation, "transactionData[0].sampledValue[0].value")),
            ("sampled value with an unknown unit", P($"{Req},\"transactionData\":[{{\"timestamp\":\"{T}\",\"sampledValue\":[{{\"value\":\"1\",\"unit\":\"kJ\"}}]}}]"), Refused(OcppErrorCode.FormatViolation, "transactionData[0].sampledValue[0].unit")),
            ("unknown member", P($"{Req},\"connectorId\":1"), Refused(OcppErrorCode.PropertyConstraintViolation, "connectorId")),
            ("unknown member in a meter value", P($"{Req},\"transactionData\":[{{\"timestamp\":\"{T}\",\"sampledValue\":[],\"x\":1}}]"), Refused(OcppErrorCode.PropertyConstraintViolation, "transactionData[0].x")),
            ("duplicate meterStop, first a string", P($"\"meterStop\":\"1\",{Req}"), Refused(OcppErrorCode.FormatViolation, "meterStop")),
            ("payload an array", "[]", Refused(OcppErrorCode.TypeConstraintViolation, "")),
            ("payload null", "null", Refused(OcppErrorCode.FormatViolation, "")),
        ];
    }

    // ───────────────────────── StatusNotification.req ─────────────────────────

    private static Dictionary<string, object> StatusNotificationValues()
    {
        var full = (StatusNotificationRequest)Samples.Requests["StatusNotification"];
        var values = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["the sample, every field"] = full,
            ["required fields only"] = new StatusNotificationRequest { ConnectorId = 0, ErrorCode = ChargePointErrorCode.NoError, Status = ChargePointStatus.Available },
            ["edge numbers, escapes, ticks and offset"] = full with { ConnectorId = int.MinValue, Info = Escapes, VendorId = "", VendorErrorCode = "\u0000", Timestamp = Now },
            ["int max, negative offset"] = full with { ConnectorId = int.MaxValue, Timestamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 120, TimeSpan.FromMinutes(-330)), Info = null, VendorErrorCode = null },
        };
        foreach (var code in Enum.GetValues<ChargePointErrorCode>())
        {
            values[$"errorCode {code}"] = full with { ErrorCode = code };
        }
        foreach (var status in Enum.GetValues<ChargePointStatus>())
        {
            values[$"status {status}"] = full with { Status = status, Timestamp = null };
        }
        return values;
    }

    private static List<(string, string, Outcome)> StatusNotificationCases()
    {
        const string Req = "\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Available\"";
        static string P(string members) => $"{{{members}}}";
        return
        [
            ("required fields only", P(Req), Accepted(P(Req))),
            ("every field, another order", P($"\"vendorErrorCode\":\"E1\",\"vendorId\":\"v\",\"timestamp\":\"{T}\",\"status\":\"Faulted\",\"info\":\"i\",\"errorCode\":\"OtherError\",\"connectorId\":2"),
                Accepted(P("\"connectorId\":2,\"errorCode\":\"OtherError\",\"info\":\"i\",\"status\":\"Faulted\",\"timestamp\":\"2026-11-24T10:00:00.000Z\",\"vendorId\":\"v\",\"vendorErrorCode\":\"E1\""))),
            ("nulls for the optional fields", P($"{Req},\"info\":null,\"timestamp\":null,\"vendorId\":null,\"vendorErrorCode\":null"), Accepted(P(Req))),
            ("duplicate status, last wins", P($"\"status\":\"Charging\",{Req}"), Accepted(P(Req))),
            ("escaped enum value", P("\"connectorId\":1,\"errorCode\":\"NoErr\\u006fr\",\"status\":\"Available\""), Accepted(P(Req))),
            ("connectorId missing", P("\"errorCode\":\"NoError\",\"status\":\"Available\""), Refused(OcppErrorCode.OccurrenceConstraintViolation, "connectorId")),
            ("connectorId a string", P("\"connectorId\":\"1\",\"errorCode\":\"NoError\",\"status\":\"Available\""), Refused(OcppErrorCode.TypeConstraintViolation, "connectorId")),
            ("errorCode missing", P("\"connectorId\":1,\"status\":\"Available\""), Refused(OcppErrorCode.OccurrenceConstraintViolation, "errorCode")),
            ("errorCode null", P("\"connectorId\":1,\"errorCode\":null,\"status\":\"Available\""), Refused(OcppErrorCode.TypeConstraintViolation, "errorCode")),
            ("errorCode unknown", P("\"connectorId\":1,\"errorCode\":\"Broken\",\"status\":\"Available\""), Refused(OcppErrorCode.FormatViolation, "errorCode")),
            ("duplicate errorCode, first null", P($"\"errorCode\":null,{Req}"), Refused(OcppErrorCode.FormatViolation, "errorCode")),
            ("status missing", P("\"connectorId\":1,\"errorCode\":\"NoError\""), Refused(OcppErrorCode.OccurrenceConstraintViolation, "status")),
            ("status in the wrong case", P("\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"available\""), Refused(OcppErrorCode.FormatViolation, "status")),
            ("status a number", P("\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":0"), Refused(OcppErrorCode.TypeConstraintViolation, "status")),
            ("timestamp not a date", P($"{Req},\"timestamp\":\"now\""), Refused(OcppErrorCode.FormatViolation, "timestamp")),
            ("timestamp a number", P($"{Req},\"timestamp\":1"), Refused(OcppErrorCode.TypeConstraintViolation, "timestamp")),
            ("info too long", P($"{Req},\"info\":\"{new string('i', 51)}\""), Refused(OcppErrorCode.FormatViolation, "info")),
            ("info at its limit", P($"{Req},\"info\":\"{new string('i', 50)}\""), Accepted(P($"\"connectorId\":1,\"errorCode\":\"NoError\",\"info\":\"{new string('i', 50)}\",\"status\":\"Available\""))),
            ("vendorId too long", P($"{Req},\"vendorId\":\"{new string('v', 256)}\""), Refused(OcppErrorCode.FormatViolation, "vendorId")),
            ("vendorErrorCode too long", P($"{Req},\"vendorErrorCode\":\"{new string('e', 51)}\""), Refused(OcppErrorCode.FormatViolation, "vendorErrorCode")),
            ("vendorErrorCode an object", P($"{Req},\"vendorErrorCode\":{{}}"), Refused(OcppErrorCode.TypeConstraintViolation, "vendorErrorCode")),
            ("unknown member", P($"{Req},\"evseId\":1"), Refused(OcppErrorCode.PropertyConstraintViolation, "evseId")),
            ("payload a string", "\"x\"", Refused(OcppErrorCode.TypeConstraintViolation, "")),
        ];
    }

    // ───────────────────────── BootNotification.req ─────────────────────────

    private static Dictionary<string, object> BootNotificationValues()
    {
        var full = (BootNotificationRequest)Samples.Requests["BootNotification"];
        return new(StringComparer.Ordinal)
        {
            ["the sample, every field"] = full,
            ["required fields only"] = new BootNotificationRequest { ChargePointVendor = "FleetSim", ChargePointModel = "FS-1" },
            ["empty and escaped strings"] = full with { ChargePointVendor = "", ChargePointModel = Escapes, Iccid = "", MeterType = "\u007f\t" },
            ["null required members"] = new BootNotificationRequest { ChargePointVendor = null!, ChargePointModel = null!, Imsi = "1" },
            ["some optional fields"] = full with { ChargePointSerialNumber = null, FirmwareVersion = null, MeterSerialNumber = null },
        };
    }

    private static List<(string, string, Outcome)> BootNotificationCases()
    {
        const string Req = "\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"";
        const string All = "\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\",\"chargePointSerialNumber\":\"a\",\"chargeBoxSerialNumber\":\"b\",\"firmwareVersion\":\"c\",\"iccid\":\"d\",\"imsi\":\"e\",\"meterType\":\"f\",\"meterSerialNumber\":\"g\"";
        static string P(string members) => $"{{{members}}}";
        return
        [
            ("required fields only", P(Req), Accepted(P(Req))),
            ("every field, reversed", P("\"meterSerialNumber\":\"g\",\"meterType\":\"f\",\"imsi\":\"e\",\"iccid\":\"d\",\"firmwareVersion\":\"c\",\"chargeBoxSerialNumber\":\"b\",\"chargePointSerialNumber\":\"a\",\"chargePointModel\":\"M\",\"chargePointVendor\":\"V\""), Accepted(P(All))),
            ("nulls for the optional fields", P($"{Req},\"chargePointSerialNumber\":null,\"chargeBoxSerialNumber\":null,\"firmwareVersion\":null,\"iccid\":null,\"imsi\":null,\"meterType\":null,\"meterSerialNumber\":null"), Accepted(P(Req))),
            ("duplicate vendor, last wins", P($"\"chargePointVendor\":\"X\",{Req}"), Accepted(P(Req))),
            ("escaped name and value", P("\"chargePointVend\\u006fr\":\"\\u0056\",\"chargePointModel\":\"M\""), Accepted(P(Req))),
            ("vendor missing", P("\"chargePointModel\":\"M\""), Refused(OcppErrorCode.OccurrenceConstraintViolation, "chargePointVendor")),
            ("model missing", P("\"chargePointVendor\":\"V\""), Refused(OcppErrorCode.OccurrenceConstraintViolation, "chargePointModel")),
            ("vendor null", P("\"chargePointVendor\":null,\"chargePointModel\":\"M\""), Refused(OcppErrorCode.TypeConstraintViolation, "chargePointVendor")),
            ("model a number", P("\"chargePointVendor\":\"V\",\"chargePointModel\":1"), Refused(OcppErrorCode.TypeConstraintViolation, "chargePointModel")),
            ("duplicate model, first null", P($"\"chargePointModel\":null,{Req}"), Refused(OcppErrorCode.FormatViolation, "chargePointModel")),
            ("vendor too long", P("\"chargePointVendor\":\"123456789012345678901\",\"chargePointModel\":\"M\""), Refused(OcppErrorCode.FormatViolation, "chargePointVendor")),
            ("vendor at its limit", P("\"chargePointVendor\":\"12345678901234567890\",\"chargePointModel\":\"M\""), Accepted(P("\"chargePointVendor\":\"12345678901234567890\",\"chargePointModel\":\"M\""))),
            ("firmwareVersion too long", P($"{Req},\"firmwareVersion\":\"{new string('f', 51)}\""), Refused(OcppErrorCode.FormatViolation, "firmwareVersion")),
            ("meterSerialNumber too long", P($"{Req},\"meterSerialNumber\":\"{new string('m', 26)}\""), Refused(OcppErrorCode.FormatViolation, "meterSerialNumber")),
            ("iccid true", P($"{Req},\"iccid\":true"), Refused(OcppErrorCode.TypeConstraintViolation, "iccid")),
            ("unknown member", P($"{Req},\"chargingStation\":{{}}"), Refused(OcppErrorCode.PropertyConstraintViolation, "chargingStation")),
            ("payload a number", "1", Refused(OcppErrorCode.TypeConstraintViolation, "")),
        ];
    }

    // ───────────────────────── StartTransaction.req ─────────────────────────

    private static Dictionary<string, object> StartTransactionValues()
    {
        var full = (StartTransactionRequest)Samples.Requests["StartTransaction"];
        return new(StringComparer.Ordinal)
        {
            ["the sample, every field"] = full,
            ["required fields only"] = full with { ReservationId = null },
            ["edge numbers, ticks and offset"] = new StartTransactionRequest { ConnectorId = int.MinValue, IdTag = Escapes, MeterStart = int.MaxValue, ReservationId = int.MinValue, Timestamp = Now },
            ["zeros, negative offset"] = new StartTransactionRequest { ConnectorId = 0, IdTag = "", MeterStart = 0, ReservationId = 0, Timestamp = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 120, TimeSpan.FromMinutes(-330)) },
            ["null idTag"] = full with { IdTag = null! },
        };
    }

    private static List<(string, string, Outcome)> StartTransactionCases()
    {
        const string Req = $"\"connectorId\":1,\"idTag\":\"04A2\",\"meterStart\":15034,\"timestamp\":\"{T}\"";
        const string W = "\"connectorId\":1,\"idTag\":\"04A2\",\"meterStart\":15034,\"timestamp\":\"2026-11-24T10:00:00.000Z\"";
        static string P(string members) => $"{{{members}}}";
        return
        [
            ("required fields only", P(Req), Accepted(P(W))),
            ("every field, reversed", P($"\"timestamp\":\"{T}\",\"reservationId\":9,\"meterStart\":15034,\"idTag\":\"04A2\",\"connectorId\":1"),
                Accepted(P("\"connectorId\":1,\"idTag\":\"04A2\",\"meterStart\":15034,\"reservationId\":9,\"timestamp\":\"2026-11-24T10:00:00.000Z\""))),
            ("reservationId null", P($"{Req},\"reservationId\":null"), Accepted(P(W))),
            ("duplicate reservationId, last wins", P($"\"reservationId\":1,{Req},\"reservationId\":null"), Accepted(P(W))),
            ("timestamp with 7 fraction digits", P("\"connectorId\":1,\"idTag\":\"04A2\",\"meterStart\":15034,\"timestamp\":\"2026-11-24T10:00:00.1234567Z\""),
                Accepted(P("\"connectorId\":1,\"idTag\":\"04A2\",\"meterStart\":15034,\"timestamp\":\"2026-11-24T10:00:00.123Z\""))),
            ("connectorId missing", P($"\"idTag\":\"04A2\",\"meterStart\":1,\"timestamp\":\"{T}\""), Refused(OcppErrorCode.OccurrenceConstraintViolation, "connectorId")),
            ("idTag missing", P($"\"connectorId\":1,\"meterStart\":1,\"timestamp\":\"{T}\""), Refused(OcppErrorCode.OccurrenceConstraintViolation, "idTag")),
            ("idTag null", P($"\"connectorId\":1,\"idTag\":null,\"meterStart\":1,\"timestamp\":\"{T}\""), Refused(OcppErrorCode.TypeConstraintViolation, "idTag")),
            ("idTag too long", P($"\"connectorId\":1,\"idTag\":\"123456789012345678901\",\"meterStart\":1,\"timestamp\":\"{T}\""), Refused(OcppErrorCode.FormatViolation, "idTag")),
            ("meterStart missing", P($"\"connectorId\":1,\"idTag\":\"x\",\"timestamp\":\"{T}\""), Refused(OcppErrorCode.OccurrenceConstraintViolation, "meterStart")),
            ("meterStart a fraction", P($"\"connectorId\":1,\"idTag\":\"x\",\"meterStart\":1.5,\"timestamp\":\"{T}\""), Refused(OcppErrorCode.TypeConstraintViolation, "meterStart")),
            ("meterStart too big", P($"\"connectorId\":1,\"idTag\":\"x\",\"meterStart\":3000000000,\"timestamp\":\"{T}\""), Refused(OcppErrorCode.FormatViolation, "meterStart")),
            ("reservationId a string", P($"{Req},\"reservationId\":\"1\""), Refused(OcppErrorCode.TypeConstraintViolation, "reservationId")),
            ("timestamp missing", P("\"connectorId\":1,\"idTag\":\"x\",\"meterStart\":1"), Refused(OcppErrorCode.OccurrenceConstraintViolation, "timestamp")),
            ("timestamp with a space", P("\"connectorId\":1,\"idTag\":\"x\",\"meterStart\":1,\"timestamp\":\"2026-11-24 10:00:00Z\""), Refused(OcppErrorCode.FormatViolation, "timestamp")),
            ("duplicate timestamp, first invalid", P($"\"timestamp\":\"x\",{Req}"), Refused(OcppErrorCode.FormatViolation, "timestamp")),
            ("unknown member", P($"{Req},\"transactionId\":1"), Refused(OcppErrorCode.PropertyConstraintViolation, "transactionId")),
            ("payload an array", "[{}]", Refused(OcppErrorCode.TypeConstraintViolation, "")),
        ];
    }

    // ───────────────────────── BootNotification.conf ─────────────────────────

    private static Dictionary<string, object> BootNotificationResponseValues()
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["the sample"] = Samples.Responses["BootNotification"],
            ["ticks and offset, edge interval"] = new BootNotificationResponse { Status = RegistrationStatus.Pending, CurrentTime = Now, Interval = int.MinValue },
            ["negative offset, int max"] = new BootNotificationResponse { Status = RegistrationStatus.Rejected, CurrentTime = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 120, TimeSpan.FromMinutes(-330)), Interval = int.MaxValue },
        };
        foreach (var status in Enum.GetValues<RegistrationStatus>())
        {
            values[$"status {status}"] = new BootNotificationResponse { Status = status, CurrentTime = Samples.Now, Interval = 0 };
        }
        return values;
    }

    private static List<(string, string, Outcome)> BootNotificationResponseCases()
    {
        const string Req = $"\"status\":\"Accepted\",\"currentTime\":\"{T}\",\"interval\":300";
        const string W = "\"status\":\"Accepted\",\"currentTime\":\"2026-11-24T10:00:00.000Z\",\"interval\":300";
        static string P(string members) => $"{{{members}}}";
        return
        [
            ("every field", P(Req), Accepted(P(W))),
            ("reversed", P($"\"interval\":300,\"currentTime\":\"{T}\",\"status\":\"Accepted\""), Accepted(P(W))),
            ("duplicate interval, last wins", P($"\"interval\":1,{Req}"), Accepted(P(W))),
            ("currentTime with an offset", P("\"status\":\"Accepted\",\"currentTime\":\"2026-11-24T12:00:00+02:00\",\"interval\":300"), Accepted(P(W))),
            ("status missing", P($"\"currentTime\":\"{T}\",\"interval\":300"), Refused(OcppErrorCode.OccurrenceConstraintViolation, "status")),
            ("status unknown", P($"\"status\":\"Registered\",\"currentTime\":\"{T}\",\"interval\":300"), Refused(OcppErrorCode.FormatViolation, "status")),
            ("status null", P($"\"status\":null,\"currentTime\":\"{T}\",\"interval\":300"), Refused(OcppErrorCode.TypeConstraintViolation, "status")),
            ("currentTime missing", P("\"status\":\"Accepted\",\"interval\":300"), Refused(OcppErrorCode.OccurrenceConstraintViolation, "currentTime")),
            ("currentTime not a date", P("\"status\":\"Accepted\",\"currentTime\":\"2026-13-01T00:00:00Z\",\"interval\":300"), Refused(OcppErrorCode.FormatViolation, "currentTime")),
            ("interval missing", P($"\"status\":\"Accepted\",\"currentTime\":\"{T}\""), Refused(OcppErrorCode.OccurrenceConstraintViolation, "interval")),
            ("interval a fraction", P($"\"status\":\"Accepted\",\"currentTime\":\"{T}\",\"interval\":300.5"), Refused(OcppErrorCode.TypeConstraintViolation, "interval")),
            ("interval a string", P($"\"status\":\"Accepted\",\"currentTime\":\"{T}\",\"interval\":\"300\""), Refused(OcppErrorCode.TypeConstraintViolation, "interval")),
            ("unknown member", P($"{Req},\"statusInfo\":{{}}"), Refused(OcppErrorCode.PropertyConstraintViolation, "statusInfo")),
        ];
    }

    // ───────────────────────── StartTransaction.conf, StopTransaction.conf ─────────────────────────

    private static Dictionary<string, object> StartTransactionResponseValues()
    {
        var full = (StartTransactionResponse)Samples.Responses["StartTransaction"];
        var values = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["the sample"] = full,
            ["status only"] = new StartTransactionResponse { IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Invalid }, TransactionId = int.MinValue },
            ["ticks, offset and escapes"] = new StartTransactionResponse { IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Blocked, ExpiryDate = Now, ParentIdTag = Escapes }, TransactionId = int.MaxValue },
            ["null idTagInfo"] = new StartTransactionResponse { IdTagInfo = null!, TransactionId = 0 },
        };
        foreach (var status in Enum.GetValues<AuthorizationStatus>())
        {
            values[$"status {status}"] = full with { IdTagInfo = full.IdTagInfo with { Status = status } };
        }
        return values;
    }

    private static Dictionary<string, object> StopTransactionResponseValues()
    {
        var full = (StopTransactionResponse)Samples.Responses["StopTransaction"];
        var values = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["the sample"] = full,
            ["nothing"] = new StopTransactionResponse(),
            ["status only"] = new StopTransactionResponse { IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Accepted } },
            ["ticks, offset and escapes"] = new StopTransactionResponse { IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.ConcurrentTx, ExpiryDate = Now, ParentIdTag = Escapes } },
        };
        foreach (var status in Enum.GetValues<AuthorizationStatus>())
        {
            values[$"status {status}"] = full with { IdTagInfo = full.IdTagInfo! with { Status = status } };
        }
        return values;
    }

    private static List<(string, string, Outcome)> StartTransactionResponseCases()
    {
        static string P(string idTagInfo) => $"{{\"idTagInfo\":{idTagInfo},\"transactionId\":7}}";
        return
        [
            .. IdTagInfoCases(P),
            ("transactionId missing", "{\"idTagInfo\":{\"status\":\"Accepted\"}}", Refused(OcppErrorCode.OccurrenceConstraintViolation, "transactionId")),
            ("transactionId too big", "{\"idTagInfo\":{\"status\":\"Accepted\"},\"transactionId\":3000000000}", Refused(OcppErrorCode.FormatViolation, "transactionId")),
            ("idTagInfo missing", "{\"transactionId\":7}", Refused(OcppErrorCode.OccurrenceConstraintViolation, "idTagInfo")),
            ("idTagInfo null", P("null"), Refused(OcppErrorCode.TypeConstraintViolation, "idTagInfo")),
            ("reversed", "{\"transactionId\":7,\"idTagInfo\":{\"status\":\"Accepted\"}}", Accepted(P("{\"status\":\"Accepted\"}"))),
            ("unknown member", "{\"idTagInfo\":{\"status\":\"Accepted\"},\"transactionId\":7,\"x\":null}", Refused(OcppErrorCode.PropertyConstraintViolation, "x")),
        ];
    }

    private static List<(string, string, Outcome)> StopTransactionResponseCases()
    {
        static string P(string idTagInfo) => $"{{\"idTagInfo\":{idTagInfo}}}";
        return
        [
            .. IdTagInfoCases(P),
            ("empty", "{}", Accepted("{}")),
            ("idTagInfo null", P("null"), Accepted("{}")),
            ("duplicate idTagInfo, last null", "{\"idTagInfo\":{\"status\":\"Accepted\"},\"idTagInfo\":null}", Accepted("{}")),
            ("unknown member", "{\"transactionId\":7}", Refused(OcppErrorCode.PropertyConstraintViolation, "transactionId")),
        ];
    }

    /// <summary>An idTagInfo in every shape, inside the answer <paramref name="payload"/> makes of it.</summary>
    private static List<(string, string, Outcome)> IdTagInfoCases(Func<string, string> payload) =>
    [
        ("status only", payload("{\"status\":\"Accepted\"}"), Accepted(payload("{\"status\":\"Accepted\"}"))),
        ("every field, reversed", payload($"{{\"status\":\"Blocked\",\"parentIdTag\":\"P\",\"expiryDate\":\"{T}\"}}"), Accepted(payload("{\"expiryDate\":\"2026-11-24T10:00:00.000Z\",\"parentIdTag\":\"P\",\"status\":\"Blocked\"}"))),
        ("nulls for the optional fields", payload("{\"expiryDate\":null,\"parentIdTag\":null,\"status\":\"Expired\"}"), Accepted(payload("{\"status\":\"Expired\"}"))),
        ("status missing", payload("{\"parentIdTag\":\"P\"}"), Refused(OcppErrorCode.OccurrenceConstraintViolation, "idTagInfo.status")),
        ("status unknown", payload("{\"status\":\"Unknown\"}"), Refused(OcppErrorCode.FormatViolation, "idTagInfo.status")),
        ("status null", payload("{\"status\":null}"), Refused(OcppErrorCode.TypeConstraintViolation, "idTagInfo.status")),
        ("duplicate status, first null", payload("{\"status\":null,\"status\":\"Accepted\"}"), Refused(OcppErrorCode.FormatViolation, "idTagInfo.status")),
        ("expiryDate not a date", payload("{\"expiryDate\":\"soon\",\"status\":\"Accepted\"}"), Refused(OcppErrorCode.FormatViolation, "idTagInfo.expiryDate")),
        ("parentIdTag too long", payload("{\"parentIdTag\":\"123456789012345678901\",\"status\":\"Accepted\"}"), Refused(OcppErrorCode.FormatViolation, "idTagInfo.parentIdTag")),
        ("parentIdTag a number", payload("{\"parentIdTag\":1,\"status\":\"Accepted\"}"), Refused(OcppErrorCode.TypeConstraintViolation, "idTagInfo.parentIdTag")),
        ("idTagInfo an array", payload("[]"), Refused(OcppErrorCode.TypeConstraintViolation, "idTagInfo")),
        ("unknown member in idTagInfo", payload("{\"status\":\"Accepted\",\"groupIdToken\":{}}"), Refused(OcppErrorCode.PropertyConstraintViolation, "idTagInfo.groupIdToken")),
    ];

    // ───────────────────────── Authorize ─────────────────────────

    private static Dictionary<string, object> AuthorizeValues() => new(StringComparer.Ordinal)
    {
        ["the sample"] = Samples.Requests["Authorize"],
        ["empty idTag"] = new AuthorizeRequest { IdTag = "" },
        ["escapes"] = new AuthorizeRequest { IdTag = Escapes },
        ["null idTag"] = new AuthorizeRequest { IdTag = null! },
    };

    private static List<(string, string, Outcome)> AuthorizeCases() =>
    [
        ("idTag", "{\"idTag\":\"04A2\"}", Accepted("{\"idTag\":\"04A2\"}")),
        ("duplicate idTag, last wins", "{\"idTag\":\"x\",\"idTag\":\"04A2\"}", Accepted("{\"idTag\":\"04A2\"}")),
        ("idTag at its limit", "{\"idTag\":\"12345678901234567890\"}", Accepted("{\"idTag\":\"12345678901234567890\"}")),
        ("idTag too long", "{\"idTag\":\"123456789012345678901\"}", Refused(OcppErrorCode.FormatViolation, "idTag")),
        ("idTag missing", "{}", Refused(OcppErrorCode.OccurrenceConstraintViolation, "idTag")),
        ("idTag null", "{\"idTag\":null}", Refused(OcppErrorCode.TypeConstraintViolation, "idTag")),
        ("idTag a number", "{\"idTag\":4}", Refused(OcppErrorCode.TypeConstraintViolation, "idTag")),
        ("duplicate idTag, first null", "{\"idTag\":null,\"idTag\":\"04A2\"}", Refused(OcppErrorCode.FormatViolation, "idTag")),
        ("unknown member", "{\"idTag\":\"04A2\",\"idToken\":{}}", Refused(OcppErrorCode.PropertyConstraintViolation, "idToken")),
    ];

    private static Dictionary<string, object> AuthorizeResponseValues()
    {
        var full = (AuthorizeResponse)Samples.Responses["Authorize"];
        var values = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["the sample"] = full,
            ["status only"] = new AuthorizeResponse { IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Invalid } },
            ["ticks, offset and escapes"] = new AuthorizeResponse { IdTagInfo = new IdTagInfo { Status = AuthorizationStatus.Blocked, ExpiryDate = Now, ParentIdTag = Escapes } },
            ["null idTagInfo"] = new AuthorizeResponse { IdTagInfo = null! },
        };
        foreach (var status in Enum.GetValues<AuthorizationStatus>())
        {
            values[$"status {status}"] = full with { IdTagInfo = full.IdTagInfo with { Status = status } };
        }
        return values;
    }

    private static List<(string, string, Outcome)> AuthorizeResponseCases()
    {
        static string P(string idTagInfo) => $"{{\"idTagInfo\":{idTagInfo}}}";
        return
        [
            .. IdTagInfoCases(P),
            ("idTagInfo missing", "{}", Refused(OcppErrorCode.OccurrenceConstraintViolation, "idTagInfo")),
            ("idTagInfo null", P("null"), Refused(OcppErrorCode.TypeConstraintViolation, "idTagInfo")),
            ("unknown member", "{\"idTagInfo\":{\"status\":\"Accepted\"},\"x\":1}", Refused(OcppErrorCode.PropertyConstraintViolation, "x")),
        ];
    }

    // ───────────────────────── Heartbeat, and the payloads without members ─────────────────────────

    private static Dictionary<string, object> HeartbeatResponseValues() => new(StringComparer.Ordinal)
    {
        ["the sample"] = Samples.Responses["Heartbeat"],
        ["ticks and offset"] = new HeartbeatResponse { CurrentTime = Now },
        ["negative offset"] = new HeartbeatResponse { CurrentTime = new DateTimeOffset(2026, 1, 2, 3, 4, 5, 120, TimeSpan.FromMinutes(-330)) },
        ["the smallest time"] = new HeartbeatResponse { CurrentTime = DateTimeOffset.MinValue },
    };

    private static List<(string, string, Outcome)> HeartbeatResponseCases() =>
    [
        ("currentTime", $"{{\"currentTime\":\"{T}\"}}", Accepted("{\"currentTime\":\"2026-11-24T10:00:00.000Z\"}")),
        ("currentTime lower-case t and z", "{\"currentTime\":\"2026-11-24t10:00:00z\"}", Accepted("{\"currentTime\":\"2026-11-24T10:00:00.000Z\"}")),
        ("currentTime missing", "{}", Refused(OcppErrorCode.OccurrenceConstraintViolation, "currentTime")),
        ("currentTime null", "{\"currentTime\":null}", Refused(OcppErrorCode.TypeConstraintViolation, "currentTime")),
        ("currentTime a number", "{\"currentTime\":1}", Refused(OcppErrorCode.TypeConstraintViolation, "currentTime")),
        ("currentTime not a date", "{\"currentTime\":\"noon\"}", Refused(OcppErrorCode.FormatViolation, "currentTime")),
        ("unknown member", $"{{\"currentTime\":\"{T}\",\"interval\":1}}", Refused(OcppErrorCode.PropertyConstraintViolation, "interval")),
    ];

    private static Payload Empty<TPayload>() where TPayload : class, new() => new(
        typeof(TPayload),
        typeof(EmptyPayloadConverter<TPayload>),
        new Dictionary<string, object>(StringComparer.Ordinal) { ["empty"] = new TPayload() },
        [
            ("empty", "{}", Accepted("{}")),
            ("whitespace", " { \n } ", Accepted("{}")),
            ("a member", "{\"status\":\"Accepted\"}", Refused(OcppErrorCode.PropertyConstraintViolation, "status")),
            ("a null member", "{\"x\":null}", Refused(OcppErrorCode.PropertyConstraintViolation, "x")),
            ("an array", "[]", Refused(OcppErrorCode.TypeConstraintViolation, "")),
            ("a string", "\"{}\"", Refused(OcppErrorCode.TypeConstraintViolation, "")),
        ],
        ["status", "currentTime", "x"]);

    // ───────────────────────── the tests, for every payload ─────────────────────────

    public static TheoryData<string> PayloadNames() => [.. Payloads.Keys];

    public static TheoryData<string, string> EncodeCaseNames() => Pairs(Payloads.SelectMany(p => p.Value.Values.Keys.Select(k => (p.Key, k))));

    public static TheoryData<string, string> DecodeCaseNames() => Pairs(Payloads.SelectMany(p => p.Value.Cases.Select(c => (p.Key, c.Name))));

    private static TheoryData<string, string> Pairs(IEnumerable<(string, string)> pairs)
    {
        var data = new TheoryData<string, string>();
        foreach (var (a, b) in pairs)
        {
            data.Add(a, b);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PayloadNames))]
    public void The_codec_reads_and_writes_the_payload_with_its_converter_and_the_generated_metadata_stays_whole(string payload)
    {
        var p = Payloads[payload];
        Assert.IsType(p.ConverterType, p.Codec.Converter);
        Assert.IsType(p.ConverterType, Ocpp16JsonContext.CodecTypeInfo(p.Type).Converter);
        Assert.Equal(JsonTypeInfoKind.Object, p.Generated.Kind);
    }

    [Theory]
    [InlineData("HeartbeatRequest")]
    [InlineData("StatusNotificationResponse")]
    [InlineData("MeterValuesResponse")]
    public void A_payload_without_members_is_read_as_one_shared_instance(string payload)
    {
        var p = Payloads[payload];
        Assert.True(OcppCodec.TryDecode("{}"u8.ToArray(), p.Codec, out var first, out _));
        Assert.True(OcppCodec.TryDecode(" { } "u8.ToArray(), p.Codec, out var second, out _));
        Assert.Same(first, second);
        Assert.Equal(Activator.CreateInstance(p.Type), first);
    }

    [Theory]
    [MemberData(nameof(EncodeCaseNames))]
    public void Written_bytes_are_those_of_the_generated_serializer(string payload, string name)
    {
        var p = Payloads[payload];
        var value = p.Values[name];
        var expected = Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(value, p.Generated));
        Assert.Equal(expected, Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(value, p.Codec)));
        // Through the codec's frame writer too (its own writer options).
        var frame = Encoding.UTF8.GetString(value is IOcppRequest request
            ? OcppCodec.EncodeCall("id", p.Action, request)
            : OcppCodec.EncodeCallResult("id", p.Action, (IOcppResponse)value));
        Assert.EndsWith("," + expected + "]", frame, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DecodeCaseNames))]
    public void Payload_fares_as_with_the_generated_metadata_and_a_refusal_names_the_field(string payload, string name)
    {
        var p = Payloads[payload];
        var c = p.Cases.Single(x => x.Name == name);
        var bytes = Encoding.UTF8.GetBytes(c.Json);
        Assert.Equal(c.Expected, Decode(bytes, p.Generated, p, out var expectedViolation));
        Assert.Equal(c.Expected, Decode(bytes, p.Codec, p, out var actualViolation));
        Assert.Equal(expectedViolation, actualViolation);
    }

    [Theory]
    [MemberData(nameof(PayloadNames))]
    public void Mutated_payloads_fare_alike_with_the_converter_and_the_generated_metadata(string payload)
    {
        var p = Payloads[payload];
        var random = new Random(20261205);
        var seeds = p.Values.Values
            .Select(v => v is IOcppRequest request ? OcppCodec.EncodeCall("s", p.Action, request) : OcppCodec.EncodeCallResult("s", p.Action, (IOcppResponse)v))
            .Concat(p.Cases.Where(c => c.Expected.Payload is not null).Select(c => Encoding.UTF8.GetBytes($"[2,\"s\",\"X\",{c.Expected.Payload}]")))
            .ToArray();
        string[] values = ["null", "1", "-0", "1.5", "3000000000", "\"x\"", "\"\"", $"\"{T}\"", "true", "[]", "{}", "[null]", "\"Accepted\"", "\"Wh\""];
        var decoded = 0;
        var refused = 0;
        for (var i = 0; i < 15_000; i++)
        {
            var seed = seeds[random.Next(seeds.Length)];
            byte[] frame;
            if (random.Next(4) == 0)
            {
                // A member (often a duplicate) with any value, put at the start of a random object.
                var text = Encoding.UTF8.GetString(seed);
                var at = text.IndexOf('{', random.Next(text.Length));
                if (at < 0)
                {
                    continue;
                }
                var member = $"\"{p.Members[random.Next(p.Members.Count)]}\":{values[random.Next(values.Length)]}";
                frame = Encoding.UTF8.GetBytes(text[..(at + 1)] + member + (text[at + 1] == '}' ? "" : ",") + text[(at + 1)..]);
            }
            else
            {
                frame = FuzzTests.Mutate(random, seed).Frame;
            }
            if (!FrameParser.TryParse(frame, out var parsed, out _))
            {
                continue;
            }
            var actual = Decode(parsed.Payload, p.Codec, p, out var actualViolation);
            var expected = Decode(parsed.Payload, p.Generated, p, out var expectedViolation);
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
        Assert.True(decoded > 200 && refused > 200, $"{decoded} decoded, {refused} refused: the mutations miss one path");
    }

    /// <summary>Decodes with the given metadata; an accepted message is written back with the generated serializer, so both paths compare alike.</summary>
    private static Outcome Decode(ReadOnlyMemory<byte> payload, JsonTypeInfo info, Payload p, out PayloadViolation? violation)
    {
        if (OcppCodec.TryDecode(payload, info, out var message, out violation))
        {
            Assert.IsType(p.Type, message);
            return Accepted(Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(message, p.Generated)));
        }
        return Refused(violation!.Code, violation.Field);
    }
}
