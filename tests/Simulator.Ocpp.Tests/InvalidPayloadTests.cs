using Simulator.Ocpp.V16;
using System.Text;
using Simulator.Ocpp.Framing;

namespace Simulator.Ocpp.Tests;

/// <summary>
/// Crafted invalid payloads, per feature profile. Each must be rejected by the official schema AND by our decoder, and our
/// violation must carry the CALLERROR code of ocpp-rpc's strict mapping and name the field path.
/// </summary>
public class InvalidPayloadTests
{
    private const OcppErrorCode Missing = OcppErrorCode.OccurrenceConstraintViolation;
    private const OcppErrorCode Extra = OcppErrorCode.PropertyConstraintViolation;
    private const OcppErrorCode WrongType = OcppErrorCode.TypeConstraintViolation;
    private const OcppErrorCode Formation = OcppErrorCode.FormatViolation;
    private const OcppErrorCode MultipleOf = OcppErrorCode.OccurrenceConstraintViolation;

    private static string X(int length) => new('x', length);

    private const string Sv = "{\"value\":\"1\"}";
    private const string Period = "{\"startPeriod\":0,\"limit\":16.0}";
    private const string Hash = "\"hashAlgorithm\":\"SHA256\",\"issuerNameHash\":\"ab\",\"issuerKeyHash\":\"cd\"";

    private static string Profile(string scheduleExtra = "", string periods = Period, string profileExtra = "")
        => $"{{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxDefaultProfile\",\"chargingProfileKind\":\"Absolute\"{profileExtra}," +
           $"\"chargingSchedule\":{{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[{periods}]{scheduleExtra}}}}}";

    public sealed record InvalidCase(string Name, string Action, bool Request, string Json, OcppErrorCode Code, string Field);

    public static IReadOnlyList<InvalidCase> Cases { get; } =
    [
        // ---- Core
        new("Authorize: missing required idTag", "Authorize", true, "{}", Missing, "idTag"),
        new("Authorize: idTag of 21 characters", "Authorize", true, $"{{\"idTag\":\"{X(21)}\"}}", Formation, "idTag"),
        new("Authorize: unknown extra property", "Authorize", true, "{\"idTag\":\"A1\",\"pin\":\"1234\"}", Extra, "pin"),
        new("Authorize: idTag is a number", "Authorize", true, "{\"idTag\":1234}", WrongType, "idTag"),
        new("Authorize: idTag is null", "Authorize", true, "{\"idTag\":null}", WrongType, "idTag"),
        new("Authorize.conf: unknown status", "Authorize", false, "{\"idTagInfo\":{\"status\":\"Maybe\"}}", Formation, "idTagInfo.status"),
        new("Authorize.conf: bad expiryDate", "Authorize", false, "{\"idTagInfo\":{\"status\":\"Accepted\",\"expiryDate\":\"tomorrow\"}}", Formation, "idTagInfo.expiryDate"),
        new("Authorize.conf: parentIdTag too long", "Authorize", false, $"{{\"idTagInfo\":{{\"status\":\"Accepted\",\"parentIdTag\":\"{X(21)}\"}}}}", Formation, "idTagInfo.parentIdTag"),
        new("BootNotification: vendor of 21 characters", "BootNotification", true, $"{{\"chargePointVendor\":\"{X(21)}\",\"chargePointModel\":\"M\"}}", Formation, "chargePointVendor"),
        new("BootNotification: missing model", "BootNotification", true, "{\"chargePointVendor\":\"V\"}", Missing, "chargePointModel"),
        new("BootNotification.conf: interval is a string", "BootNotification", false, "{\"status\":\"Accepted\",\"currentTime\":\"2026-11-24T10:00:00Z\",\"interval\":\"300\"}", WrongType, "interval"),
        new("BootNotification.conf: 30 February", "BootNotification", false, "{\"status\":\"Accepted\",\"currentTime\":\"2026-02-30T10:00:00Z\",\"interval\":300}", Formation, "currentTime"),
        new("BootNotification.conf: status null", "BootNotification", false, "{\"status\":null,\"currentTime\":\"2026-11-24T10:00:00Z\",\"interval\":300}", WrongType, "status"),
        new("Heartbeat: unknown extra property", "Heartbeat", true, "{\"ping\":1}", Extra, "ping"),
        new("Heartbeat.conf: hour 25", "Heartbeat", false, "{\"currentTime\":\"2026-11-24T25:00:00Z\"}", Formation, "currentTime"),
        new("MeterValues: unknown measurand deep in the list", "MeterValues", true,
            $"{{\"connectorId\":1,\"meterValue\":[{{\"timestamp\":\"2026-11-24T10:00:00Z\",\"sampledValue\":[{Sv},{{\"value\":\"2\",\"measurand\":\"Energy.Active.Import\"}}]}}]}}",
            Formation, "meterValue[0].sampledValue[1].measurand"),
        new("MeterValues: missing timestamp of the second reading", "MeterValues", true,
            $"{{\"connectorId\":1,\"meterValue\":[{{\"timestamp\":\"2026-11-24T10:00:00Z\",\"sampledValue\":[{Sv}]}},{{\"sampledValue\":[{Sv}]}}]}}",
            Missing, "meterValue[1].timestamp"),
        new("MeterValues: extra property in a sampled value", "MeterValues", true,
            $"{{\"connectorId\":1,\"meterValue\":[{{\"timestamp\":\"2026-11-24T10:00:00Z\",\"sampledValue\":[{{\"value\":\"1\",\"quality\":\"good\"}}]}}]}}",
            Extra, "meterValue[0].sampledValue[0].quality"),
        new("MeterValues: meterValue is an object", "MeterValues", true,
            $"{{\"connectorId\":1,\"meterValue\":{{\"timestamp\":\"2026-11-24T10:00:00Z\",\"sampledValue\":[{Sv}]}}}}", WrongType, "meterValue"),
        new("MeterValues: a null sampled value", "MeterValues", true,
            $"{{\"connectorId\":1,\"meterValue\":[{{\"timestamp\":\"2026-11-24T10:00:00Z\",\"sampledValue\":[{Sv},null]}}]}}", WrongType, "meterValue[0].sampledValue[1]"),
        new("GetConfiguration: a null key", "GetConfiguration", true, "{\"key\":[\"HeartbeatInterval\",null]}", WrongType, "key[1]"),
        new("MeterValues: sampled value is a number", "MeterValues", true,
            "{\"connectorId\":1,\"meterValue\":[{\"timestamp\":\"2026-11-24T10:00:00Z\",\"sampledValue\":[{\"value\":15.2}]}]}", WrongType, "meterValue[0].sampledValue[0].value"),
        new("StartTransaction: meterStart is fractional", "StartTransaction", true,
            "{\"connectorId\":1,\"idTag\":\"A\",\"meterStart\":1.5,\"timestamp\":\"2026-11-24T10:00:00Z\"}", WrongType, "meterStart"),
        new("StartTransaction: timestamp is not a date", "StartTransaction", true,
            "{\"connectorId\":1,\"idTag\":\"A\",\"meterStart\":0,\"timestamp\":\"24/11/2026 10:00\"}", Formation, "timestamp"),
        new("StopTransaction: unknown unit in transactionData", "StopTransaction", true,
            "{\"meterStop\":1,\"timestamp\":\"2026-11-24T10:00:00Z\",\"transactionId\":5,\"transactionData\":[{\"timestamp\":\"2026-11-24T10:00:00Z\",\"sampledValue\":[{\"value\":\"1\",\"unit\":\"kwh\"}]}]}",
            Formation, "transactionData[0].sampledValue[0].unit"),
        new("StopTransaction: unknown reason", "StopTransaction", true, "{\"meterStop\":1,\"timestamp\":\"2026-11-24T10:00:00Z\",\"transactionId\":5,\"reason\":\"Stolen\"}", Formation, "reason"),
        new("StatusNotification: info of 51 characters", "StatusNotification", true,
            $"{{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"Available\",\"info\":\"{X(51)}\"}}", Formation, "info"),
        new("StatusNotification: unknown errorCode", "StatusNotification", true, "{\"connectorId\":1,\"errorCode\":\"Overheated\",\"status\":\"Available\"}", Formation, "errorCode"),
        new("StatusNotification: enum value in the wrong case", "StatusNotification", true, "{\"connectorId\":1,\"errorCode\":\"NoError\",\"status\":\"available\"}", Formation, "status"),
        new("GetConfiguration: second key of 51 characters", "GetConfiguration", true, $"{{\"key\":[\"HeartbeatInterval\",\"{X(51)}\"]}}", Formation, "key[1]"),
        new("GetConfiguration.conf: readonly is a string", "GetConfiguration", false, "{\"configurationKey\":[{\"key\":\"K\",\"readonly\":\"yes\"}]}", WrongType, "configurationKey[0].readonly"),
        new("GetConfiguration.conf: value of 501 characters", "GetConfiguration", false, $"{{\"configurationKey\":[{{\"key\":\"K\",\"readonly\":true,\"value\":\"{X(501)}\"}}]}}", Formation, "configurationKey[0].value"),
        new("ChangeConfiguration: missing value", "ChangeConfiguration", true, "{\"key\":\"HeartbeatInterval\"}", Missing, "value"),
        new("ChangeAvailability: unknown type", "ChangeAvailability", true, "{\"connectorId\":0,\"type\":\"Closed\"}", Formation, "type"),
        new("DataTransfer: vendorId of 256 characters", "DataTransfer", true, $"{{\"vendorId\":\"{X(256)}\"}}", Formation, "vendorId"),
        new("DataTransfer: data is an object", "DataTransfer", true, "{\"vendorId\":\"v\",\"data\":{\"a\":1}}", WrongType, "data"),
        new("Reset: extra property", "Reset", true, "{\"type\":\"Hard\",\"delay\":5}", Extra, "delay"),
        new("UnlockConnector.conf: status of another message", "UnlockConnector", false, "{\"status\":\"Accepted\"}", Formation, "status"),

        // ---- FirmwareManagement
        new("GetDiagnostics: missing location", "GetDiagnostics", true, "{\"retries\":3}", Missing, "location"),
        new("GetDiagnostics: bad startTime", "GetDiagnostics", true, "{\"location\":\"ftp://h/d\",\"startTime\":\"2026-11-24T10:61:00Z\"}", Formation, "startTime"),
        new("GetDiagnostics.conf: fileName of 256 characters", "GetDiagnostics", false, $"{{\"fileName\":\"{X(256)}\"}}", Formation, "fileName"),
        new("UpdateFirmware: retries is a string", "UpdateFirmware", true, "{\"location\":\"https://h/f.bin\",\"retrieveDate\":\"2026-11-24T10:00:00Z\",\"retries\":\"3\"}", WrongType, "retries"),
        new("FirmwareStatusNotification: a signed-firmware status", "FirmwareStatusNotification", true, "{\"status\":\"SignatureVerified\"}", Formation, "status"),
        new("DiagnosticsStatusNotification.conf: extra property", "DiagnosticsStatusNotification", false, "{\"ok\":true}", Extra, "ok"),

        // ---- LocalAuthListManagement
        new("SendLocalList: unknown status deep in the list", "SendLocalList", true,
            "{\"listVersion\":1,\"updateType\":\"Full\",\"localAuthorizationList\":[{\"idTag\":\"A\"},{\"idTag\":\"B\",\"idTagInfo\":{\"status\":\"Unknown\"}}]}",
            Formation, "localAuthorizationList[1].idTagInfo.status"),
        new("SendLocalList: idTag of 21 characters", "SendLocalList", true, $"{{\"listVersion\":1,\"updateType\":\"Full\",\"localAuthorizationList\":[{{\"idTag\":\"{X(21)}\"}}]}}", Formation, "localAuthorizationList[0].idTag"),
        new("SendLocalList: missing updateType", "SendLocalList", true, "{\"listVersion\":1}", Missing, "updateType"),
        new("GetLocalListVersion.conf: listVersion null", "GetLocalListVersion", false, "{\"listVersion\":null}", WrongType, "listVersion"),

        // ---- Reservation
        new("ReserveNow: bad expiryDate", "ReserveNow", true, "{\"connectorId\":1,\"expiryDate\":\"24/11/2026\",\"idTag\":\"A\",\"reservationId\":1}", Formation, "expiryDate"),
        new("ReserveNow: parentIdTag of 21 characters", "ReserveNow", true,
            $"{{\"connectorId\":1,\"expiryDate\":\"2026-11-24T10:00:00Z\",\"idTag\":\"A\",\"parentIdTag\":\"{X(21)}\",\"reservationId\":1}}", Formation, "parentIdTag"),
        new("ReserveNow: missing reservationId", "ReserveNow", true, "{\"connectorId\":1,\"expiryDate\":\"2026-11-24T10:00:00Z\",\"idTag\":\"A\"}", Missing, "reservationId"),
        new("CancelReservation: reservationId is a string", "CancelReservation", true, "{\"reservationId\":\"1\"}", WrongType, "reservationId"),
        new("ReserveNow.conf: unknown status", "ReserveNow", false, "{\"status\":\"Busy\"}", Formation, "status"),

        // ---- RemoteTrigger
        new("TriggerMessage: a message only ExtendedTriggerMessage can request", "TriggerMessage", true, "{\"requestedMessage\":\"SignChargePointCertificate\"}", Formation, "requestedMessage"),
        new("TriggerMessage: missing requestedMessage", "TriggerMessage", true, "{\"connectorId\":1}", Missing, "requestedMessage"),
        new("TriggerMessage: connectorId is a boolean", "TriggerMessage", true, "{\"requestedMessage\":\"Heartbeat\",\"connectorId\":true}", WrongType, "connectorId"),
        new("TriggerMessage.conf: extra property", "TriggerMessage", false, "{\"status\":\"Accepted\",\"reason\":\"x\"}", Extra, "reason"),

        // ---- SmartCharging
        new("SetChargingProfile: limit 16.05 is not a multiple of 0.1", "SetChargingProfile", true,
            $"{{\"connectorId\":1,\"csChargingProfiles\":{Profile(periods: Period + ",{\"startPeriod\":600,\"limit\":16.05}")}}}",
            MultipleOf, "csChargingProfiles.chargingSchedule.chargingSchedulePeriod[1].limit"),
        new("SetChargingProfile: minChargingRate 6.01 is not a multiple of 0.1", "SetChargingProfile", true,
            $"{{\"connectorId\":1,\"csChargingProfiles\":{Profile(scheduleExtra: ",\"minChargingRate\":6.01")}}}", MultipleOf, "csChargingProfiles.chargingSchedule.minChargingRate"),
        new("SetChargingProfile: missing chargingSchedule", "SetChargingProfile", true,
            "{\"connectorId\":1,\"csChargingProfiles\":{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxDefaultProfile\",\"chargingProfileKind\":\"Absolute\"}}",
            Missing, "csChargingProfiles.chargingSchedule"),
        new("SetChargingProfile: limit is a string", "SetChargingProfile", true,
            $"{{\"connectorId\":1,\"csChargingProfiles\":{Profile(periods: "{\"startPeriod\":0,\"limit\":\"16\"}")}}}", WrongType, "csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit"),
        new("SetChargingProfile: bad validTo", "SetChargingProfile", true,
            $"{{\"connectorId\":1,\"csChargingProfiles\":{Profile(profileExtra: ",\"validTo\":\"never\"")}}}", Formation, "csChargingProfiles.validTo"),
        new("RemoteStartTransaction: unknown chargingProfileKind", "RemoteStartTransaction", true,
            "{\"idTag\":\"A\",\"chargingProfile\":{\"chargingProfileId\":1,\"stackLevel\":0,\"chargingProfilePurpose\":\"TxProfile\",\"chargingProfileKind\":\"Sometimes\",\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[]}}}",
            Formation, "chargingProfile.chargingProfileKind"),
        new("GetCompositeSchedule.conf: limit 7.25 is not a multiple of 0.1", "GetCompositeSchedule", false,
            "{\"status\":\"Accepted\",\"chargingSchedule\":{\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[{\"startPeriod\":0,\"limit\":7.25}]}}",
            MultipleOf, "chargingSchedule.chargingSchedulePeriod[0].limit"),
        new("GetCompositeSchedule: unknown chargingRateUnit", "GetCompositeSchedule", true, "{\"connectorId\":1,\"duration\":60,\"chargingRateUnit\":\"kW\"}", Formation, "chargingRateUnit"),
        new("ClearChargingProfile: id is a string", "ClearChargingProfile", true, "{\"id\":\"101\"}", WrongType, "id"),

        // ---- Security
        new("SignCertificate: csr of 5501 characters", "SignCertificate", true, $"{{\"csr\":\"{X(5501)}\"}}", Formation, "csr"),
        new("CertificateSigned: chain of 10001 characters", "CertificateSigned", true, $"{{\"certificateChain\":\"{X(10001)}\"}}", Formation, "certificateChain"),
        new("DeleteCertificate: unknown hashAlgorithm", "DeleteCertificate", true,
            "{\"certificateHashData\":{\"hashAlgorithm\":\"MD5\",\"issuerNameHash\":\"ab\",\"issuerKeyHash\":\"cd\",\"serialNumber\":\"01\"}}", Formation, "certificateHashData.hashAlgorithm"),
        new("DeleteCertificate: missing serialNumber", "DeleteCertificate", true, $"{{\"certificateHashData\":{{{Hash}}}}}", Missing, "certificateHashData.serialNumber"),
        new("DeleteCertificate: serialNumber of 41 characters", "DeleteCertificate", true, $"{{\"certificateHashData\":{{{Hash},\"serialNumber\":\"{X(41)}\"}}}}", Formation, "certificateHashData.serialNumber"),
        new("GetInstalledCertificateIds.conf: empty certificateHashData (minItems 1)", "GetInstalledCertificateIds", false, "{\"status\":\"Accepted\",\"certificateHashData\":[]}", Missing, "certificateHashData"),
        new("GetInstalledCertificateIds.conf: issuerKeyHash of 129 characters", "GetInstalledCertificateIds", false,
            $"{{\"status\":\"Accepted\",\"certificateHashData\":[{{\"hashAlgorithm\":\"SHA256\",\"issuerNameHash\":\"ab\",\"issuerKeyHash\":\"{X(129)}\",\"serialNumber\":\"01\"}}]}}",
            Formation, "certificateHashData[0].issuerKeyHash"),
        new("GetLog: bad oldestTimestamp", "GetLog", true, "{\"logType\":\"SecurityLog\",\"requestId\":1,\"log\":{\"remoteLocation\":\"ftp://h/\",\"oldestTimestamp\":\"last week\"}}", Formation, "log.oldestTimestamp"),
        new("GetLog: remoteLocation of 513 characters", "GetLog", true, $"{{\"logType\":\"SecurityLog\",\"requestId\":1,\"log\":{{\"remoteLocation\":\"{X(513)}\"}}}}", Formation, "log.remoteLocation"),
        new("GetLog: missing log", "GetLog", true, "{\"logType\":\"DiagnosticsLog\",\"requestId\":1}", Missing, "log"),
        new("SignedUpdateFirmware: signature of 801 characters", "SignedUpdateFirmware", true,
            $"{{\"requestId\":1,\"firmware\":{{\"location\":\"https://h/f\",\"retrieveDateTime\":\"2026-11-24T10:00:00Z\",\"signingCertificate\":\"c\",\"signature\":\"{X(801)}\"}}}}",
            Formation, "firmware.signature"),
        new("SignedUpdateFirmware: extra property in firmware", "SignedUpdateFirmware", true,
            "{\"requestId\":1,\"firmware\":{\"location\":\"https://h/f\",\"retrieveDateTime\":\"2026-11-24T10:00:00Z\",\"signingCertificate\":\"c\",\"signature\":\"s\",\"sha256\":\"00\"}}",
            Extra, "firmware.sha256"),
        new("SignedUpdateFirmware: bad installDateTime", "SignedUpdateFirmware", true,
            "{\"requestId\":1,\"firmware\":{\"location\":\"https://h/f\",\"retrieveDateTime\":\"2026-11-24T10:00:00Z\",\"installDateTime\":\"soon\",\"signingCertificate\":\"c\",\"signature\":\"s\"}}",
            Formation, "firmware.installDateTime"),
        new("SecurityEventNotification: missing timestamp", "SecurityEventNotification", true, "{\"type\":\"FirmwareUpdated\"}", Missing, "timestamp"),
        new("SecurityEventNotification: type of 51 characters", "SecurityEventNotification", true, $"{{\"type\":\"{X(51)}\",\"timestamp\":\"2026-11-24T10:00:00Z\"}}", Formation, "type"),
        new("ExtendedTriggerMessage: connectorId is a boolean", "ExtendedTriggerMessage", true, "{\"requestedMessage\":\"Heartbeat\",\"connectorId\":true}", WrongType, "connectorId"),
        new("ExtendedTriggerMessage: a message only TriggerMessage can request", "ExtendedTriggerMessage", true, "{\"requestedMessage\":\"DiagnosticsStatusNotification\"}", Formation, "requestedMessage"),
        new("LogStatusNotification: unknown status", "LogStatusNotification", true, "{\"status\":\"Uploading...\"}", Formation, "status"),
        new("InstallCertificate: certificateType null", "InstallCertificate", true, "{\"certificateType\":null,\"certificate\":\"c\"}", WrongType, "certificateType"),
        new("SignedFirmwareStatusNotification: requestId is fractional", "SignedFirmwareStatusNotification", true, "{\"status\":\"Idle\",\"requestId\":1.5}", WrongType, "requestId"),
        new("SignedUpdateFirmware.conf: a 1.6 status name", "SignedUpdateFirmware", false, "{\"status\":\"NotSupported\"}", Formation, "status"),
        new("LogStatusNotification.conf: extra property", "LogStatusNotification", false, "{\"status\":\"Accepted\"}", Extra, "status"),
    ];

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases)
        {
            data.Add(c.Name);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Invalid_payload_fails_the_official_schema_and_our_decoder_alike(string name)
    {
        var c = Cases.Single(x => x.Name == name);
        var payload = Encoding.UTF8.GetBytes(c.Json);

        var official = OfficialSchemas.Ocpp16.Evaluate(c.Action, c.Request, payload);
        Assert.False(official.IsValid, $"the official schema accepts {c.Json}");

        var descriptor = Ocpp16.Messages.Find(c.Action)!;
        var info = c.Request ? descriptor.RequestInfo : descriptor.ResponseInfo;
        Assert.False(OcppCodec.TryDecode(payload, info, out var message, out var violation), $"our decoder accepts {c.Json}");
        Assert.Null(message);
        Assert.NotNull(violation);
        Assert.Equal((c.Code, c.Field), (violation.Code, violation.Field));
        Assert.False(string.IsNullOrWhiteSpace(violation.Reason));
    }

    [Fact]
    public void Every_profile_and_every_kind_of_fault_is_covered()
    {
        var profiles = Cases.Select(c => Ocpp16.Messages.Find(c.Action)!.Group).ToHashSet();
        Assert.Equal(Enum.GetNames<FeatureProfile>().Length, profiles.Count);
        Assert.Contains(Cases, c => c.Json.Contains("null", StringComparison.Ordinal));
        foreach (var code in new[] { Missing, Extra, WrongType, Formation })
        {
            Assert.Contains(Cases, c => c.Code == code);
        }
        Assert.Contains(Cases, c => c.Name.Contains("multiple of 0.1", StringComparison.Ordinal));
        Assert.Equal(Cases.Count, Cases.Select(c => c.Name).Distinct().Count());
    }
}
