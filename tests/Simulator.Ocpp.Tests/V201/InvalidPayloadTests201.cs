using System.Text;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V201;

namespace Simulator.Ocpp.Tests.V201;

/// <summary>
/// Crafted invalid 2.0.1 payloads, per functional block: the mistakes a backend or station really makes (1.6 habits
/// among them). Each must be rejected by the official schema AND by our decoder, with ocpp-rpc's CALLERROR code and the
/// field's path.
/// </summary>
public class InvalidPayloadTests201
{
    private const OcppErrorCode Missing = OcppErrorCode.OccurrenceConstraintViolation;
    private const OcppErrorCode Extra = OcppErrorCode.PropertyConstraintViolation;
    private const OcppErrorCode WrongType = OcppErrorCode.TypeConstraintViolation;
    private const OcppErrorCode Format = OcppErrorCode.FormatViolation;
    private const OcppErrorCode Occurrence = OcppErrorCode.OccurrenceConstraintViolation;

    private static string X(int length) => new('x', length);

    private const string T = "\"2026-11-24T10:15:30.250Z\"";
    private const string Token = "{\"idToken\":\"04A2B3C4D5E680\",\"type\":\"ISO14443\"}";
    private const string Station = "{\"model\":\"FS-22-AC\",\"vendorName\":\"FleetSim\"}";
    private const string Evse = "{\"name\":\"EVSE\",\"evse\":{\"id\":1}}";
    private const string Power = "{\"name\":\"Power\"}";
    private const string Period = "{\"startPeriod\":0,\"limit\":16.0}";

    private static string Schedule(int id = 1, string extra = "") => $"{{\"id\":{id},\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[{Period}]{extra}}}";

    private static string Profile(string schedules, string purpose = "TxDefaultProfile")
        => $"{{\"id\":7,\"stackLevel\":0,\"chargingProfilePurpose\":\"{purpose}\",\"chargingProfileKind\":\"Absolute\",\"chargingSchedule\":[{schedules}]}}";

    private static string Transaction(string transactionId = "tx-1", string extra = "")
        => $"{{\"eventType\":\"Started\",\"timestamp\":{T},\"triggerReason\":\"CablePluggedIn\",\"seqNo\":0,\"transactionInfo\":{{\"transactionId\":\"{transactionId}\"}}{extra}}}";

    public sealed record InvalidCase(string Name, string Action, bool Request, string Json, OcppErrorCode Code, string Field);

    public static IReadOnlyList<InvalidCase> Cases { get; } =
    [
        // ---- A Security
        new("SignCertificate: csr of 5501 characters", "SignCertificate", true, $"{{\"csr\":\"{X(5501)}\"}}", Format, "csr"),
        new("CertificateSigned: certificateType is not a 2.0.1 use", "CertificateSigned", true, "{\"certificateChain\":\"c\",\"certificateType\":\"CentralSystemRootCertificate\"}", Format, "certificateType"),
        new("SecurityEventNotification: missing timestamp", "SecurityEventNotification", true, "{\"type\":\"FirmwareUpdated\"}", Missing, "timestamp"),
        new("SignCertificate.conf: status Failed (not in GenericStatus)", "SignCertificate", false, "{\"status\":\"Failed\"}", Format, "status"),

        // ---- B Provisioning
        new("BootNotification: a 1.6 payload", "BootNotification", true, "{\"chargePointVendor\":\"FleetSim\",\"chargePointModel\":\"FS-22-AC\"}", Extra, "chargePointVendor"),
        new("BootNotification: model of 21 characters", "BootNotification", true, $"{{\"reason\":\"PowerUp\",\"chargingStation\":{{\"model\":\"{X(21)}\",\"vendorName\":\"FleetSim\"}}}}", Format, "chargingStation.model"),
        new("BootNotification: unknown reason", "BootNotification", true, $"{{\"reason\":\"Reboot\",\"chargingStation\":{Station}}}", Format, "reason"),
        new("BootNotification: missing chargingStation", "BootNotification", true, "{\"reason\":\"PowerUp\"}", Missing, "chargingStation"),
        new("BootNotification.conf: interval is a string", "BootNotification", false, $"{{\"currentTime\":{T},\"interval\":\"300\",\"status\":\"Accepted\"}}", WrongType, "interval"),
        new("GetVariables: empty getVariableData", "GetVariables", true, "{\"getVariableData\":[]}", Occurrence, "getVariableData"),
        new("GetVariables: variable without a name", "GetVariables", true, $"{{\"getVariableData\":[{{\"component\":{Evse},\"variable\":{{\"instance\":\"Offered\"}}}}]}}", Missing, "getVariableData[0].variable.name"),
        new("SetVariables: attributeValue of 1001 characters", "SetVariables", true,
            $"{{\"setVariableData\":[{{\"attributeValue\":\"{X(1001)}\",\"component\":{Evse},\"variable\":{Power}}}]}}", Format, "setVariableData[0].attributeValue"),
        new("NotifyReport: bad generatedAt", "NotifyReport", true, "{\"requestId\":1,\"generatedAt\":\"now\",\"seqNo\":0}", Format, "generatedAt"),
        new("Reset: a 1.6 type", "Reset", true, "{\"type\":\"Hard\"}", Format, "type"),
        new("GetBaseReport: unknown reportBase", "GetBaseReport", true, "{\"requestId\":1,\"reportBase\":\"Everything\"}", Format, "reportBase"),
        new("SetNetworkProfile: securityProfile is a string", "SetNetworkProfile", true,
            "{\"configurationSlot\":1,\"connectionData\":{\"ocppVersion\":\"OCPP20\",\"ocppTransport\":\"JSON\",\"ocppCsmsUrl\":\"wss://csms/\",\"messageTimeout\":30,\"securityProfile\":\"2\",\"ocppInterface\":\"Wired0\"}}",
            WrongType, "connectionData.securityProfile"),

        // ---- C Authorization
        new("Authorize: a 1.6 idTag", "Authorize", true, "{\"idTag\":\"04A2B3C4D5E680\"}", Extra, "idTag"),
        new("Authorize: idToken is a string", "Authorize", true, "{\"idToken\":\"04A2B3C4D5E680\"}", WrongType, "idToken"),
        new("Authorize: idToken without its type", "Authorize", true, "{\"idToken\":{\"idToken\":\"04A2B3C4D5E680\"}}", Missing, "idToken.type"),
        new("Authorize: five OCSP requests (at most four)", "Authorize", true,
            $"{{\"idToken\":{Token},\"iso15118CertificateHashData\":[{string.Join(",", Enumerable.Repeat("{\"hashAlgorithm\":\"SHA256\",\"issuerNameHash\":\"a\",\"issuerKeyHash\":\"b\",\"serialNumber\":\"c\",\"responderURL\":\"http://o\"}", 5))}]}}",
            Occurrence, "iso15118CertificateHashData"),
        new("Authorize.conf: idTokenInfo with an empty evseId list", "Authorize", false, "{\"idTokenInfo\":{\"status\":\"Accepted\",\"evseId\":[]}}", Occurrence, "idTokenInfo.evseId"),

        // ---- D LocalAuthorizationList
        new("SendLocalList: missing versionNumber", "SendLocalList", true, "{\"updateType\":\"Full\"}", Missing, "versionNumber"),
        new("SendLocalList: empty localAuthorizationList", "SendLocalList", true, "{\"versionNumber\":2,\"updateType\":\"Full\",\"localAuthorizationList\":[]}", Occurrence, "localAuthorizationList"),
        new("SendLocalList: a 1.6 idTag in the list", "SendLocalList", true, "{\"versionNumber\":2,\"updateType\":\"Full\",\"localAuthorizationList\":[{\"idTag\":\"A\"}]}", Extra, "localAuthorizationList[0].idTag"),

        // ---- E Transactions
        new("TransactionEvent: transactionId of 37 characters", "TransactionEvent", true, Transaction(X(37)), Format, "transactionInfo.transactionId"),
        new("TransactionEvent: seqNo is a string", "TransactionEvent", true, Transaction().Replace("\"seqNo\":0", "\"seqNo\":\"0\"", StringComparison.Ordinal), WrongType, "seqNo"),
        new("TransactionEvent: a 1.6 event name", "TransactionEvent", true, Transaction().Replace("\"Started\"", "\"StartTransaction\"", StringComparison.Ordinal), Format, "eventType"),
        new("TransactionEvent: empty meterValue", "TransactionEvent", true, Transaction(extra: ",\"meterValue\":[]"), Occurrence, "meterValue"),
        new("TransactionEvent: a 1.6 sampled value (value as a string)", "TransactionEvent", true,
            Transaction(extra: $",\"meterValue\":[{{\"timestamp\":{T},\"sampledValue\":[{{\"value\":\"15034\"}}]}}]"), WrongType, "meterValue[0].sampledValue[0].value"),
        new("GetTransactionStatus.conf: missing messagesInQueue", "GetTransactionStatus", false, "{\"ongoingIndicator\":true}", Missing, "messagesInQueue"),

        // ---- F RemoteControl
        new("RequestStartTransaction: missing remoteStartId", "RequestStartTransaction", true, $"{{\"idToken\":{Token}}}", Missing, "remoteStartId"),
        new("TriggerMessage: a 1.6-only message", "TriggerMessage", true, "{\"requestedMessage\":\"DiagnosticsStatusNotification\"}", Format, "requestedMessage"),
        new("UnlockConnector: missing evseId", "UnlockConnector", true, "{\"connectorId\":1}", Missing, "evseId"),
        new("RequestStopTransaction.conf: a 1.6 status", "RequestStopTransaction", false, "{\"status\":\"Unlocked\"}", Format, "status"),

        // ---- G Availability
        new("StatusNotification: a 1.6 status", "StatusNotification", true, $"{{\"timestamp\":{T},\"connectorStatus\":\"Charging\",\"evseId\":1,\"connectorId\":1}}", Format, "connectorStatus"),
        new("ChangeAvailability: a 1.6 type member", "ChangeAvailability", true, "{\"operationalStatus\":\"Operative\",\"type\":\"Operative\"}", Extra, "type"),
        new("Heartbeat.conf: bad currentTime", "Heartbeat", false, "{\"currentTime\":\"yesterday at noon\"}", Format, "currentTime"),

        // ---- H Reservation
        new("ReserveNow: a connector type spelt without its prefix", "ReserveNow", true, $"{{\"id\":1,\"expiryDateTime\":{T},\"idToken\":{Token},\"connectorType\":\"Type2\"}}", Format, "connectorType"),
        new("ReserveNow: missing expiryDateTime", "ReserveNow", true, $"{{\"id\":1,\"idToken\":{Token}}}", Missing, "expiryDateTime"),

        // ---- I TariffAndCost
        new("CostUpdated: totalCost is a string", "CostUpdated", true, "{\"totalCost\":\"4.87\",\"transactionId\":\"tx-1\"}", WrongType, "totalCost"),

        // ---- J MeterValues
        new("MeterValues: a 1.6 connectorId", "MeterValues", true, $"{{\"connectorId\":1,\"evseId\":1,\"meterValue\":[{{\"timestamp\":{T},\"sampledValue\":[{{\"value\":1}}]}}]}}", Extra, "connectorId"),
        new("MeterValues: empty sampledValue", "MeterValues", true, $"{{\"evseId\":1,\"meterValue\":[{{\"timestamp\":{T},\"sampledValue\":[]}}]}}", Occurrence, "meterValue[0].sampledValue"),
        new("MeterValues: unit of measure of 21 characters", "MeterValues", true,
            $"{{\"evseId\":1,\"meterValue\":[{{\"timestamp\":{T},\"sampledValue\":[{{\"value\":1,\"unitOfMeasure\":{{\"unit\":\"{X(21)}\"}}}}]}}]}}", Format, "meterValue[0].sampledValue[0].unitOfMeasure.unit"),

        // ---- K SmartCharging
        new("SetChargingProfile: four schedules (at most three)", "SetChargingProfile", true,
            $"{{\"evseId\":0,\"chargingProfile\":{Profile(string.Join(",", Enumerable.Range(1, 4).Select(i => Schedule(i))))}}}", Occurrence, "chargingProfile.chargingSchedule"),
        new("SetChargingProfile: a 1.6 purpose", "SetChargingProfile", true, $"{{\"evseId\":0,\"chargingProfile\":{Profile(Schedule(), "ChargePointMaxProfile")}}}", Format, "chargingProfile.chargingProfilePurpose"),
        new("SetChargingProfile: a 1.6 csChargingProfiles", "SetChargingProfile", true, $"{{\"evseId\":0,\"csChargingProfiles\":{Profile(Schedule())}}}", Extra, "csChargingProfiles"),
        new("SetChargingProfile: negative ePriceLevel", "SetChargingProfile", true,
            $"{{\"evseId\":0,\"chargingProfile\":{Profile(Schedule(extra: ",\"salesTariff\":{\"id\":1,\"salesTariffEntry\":[{\"relativeTimeInterval\":{\"start\":0},\"ePriceLevel\":-1}]}"))}}}",
            Format, "chargingProfile.chargingSchedule[0].salesTariff.salesTariffEntry[0].ePriceLevel"),
        new("NotifyEVChargingNeeds: state of charge 101 %", "NotifyEVChargingNeeds", true,
            "{\"evseId\":1,\"chargingNeeds\":{\"requestedEnergyTransfer\":\"DC\",\"dcChargingParameters\":{\"evMaxCurrent\":200,\"evMaxVoltage\":800,\"stateOfCharge\":101}}}",
            Format, "chargingNeeds.dcChargingParameters.stateOfCharge"),
        new("NotifyChargingLimit: missing chargingLimit", "NotifyChargingLimit", true, $"{{\"evseId\":1,\"chargingSchedule\":[{Schedule()}]}}", Missing, "chargingLimit"),
        new("GetCompositeSchedule.conf: period limit is a string", "GetCompositeSchedule", false,
            $"{{\"status\":\"Accepted\",\"schedule\":{{\"evseId\":1,\"duration\":60,\"scheduleStart\":{T},\"chargingRateUnit\":\"A\",\"chargingSchedulePeriod\":[{{\"startPeriod\":0,\"limit\":\"16\"}}]}}}}",
            WrongType, "schedule.chargingSchedulePeriod[0].limit"),

        // ---- L FirmwareManagement
        new("UpdateFirmware: location of 513 characters", "UpdateFirmware", true, $"{{\"requestId\":1,\"firmware\":{{\"location\":\"{X(513)}\",\"retrieveDateTime\":{T}}}}}", Format, "firmware.location"),
        new("UpdateFirmware: a 1.6 retrieveDate", "UpdateFirmware", true, $"{{\"requestId\":1,\"firmware\":{{\"location\":\"https://h/f\",\"retrieveDate\":{T}}}}}", Extra, "firmware.retrieveDate"),
        new("PublishFirmwareStatusNotification: empty location list", "PublishFirmwareStatusNotification", true, "{\"status\":\"Published\",\"location\":[]}", Occurrence, "location"),
        new("PublishFirmware: checksum of 33 characters", "PublishFirmware", true, $"{{\"location\":\"https://h/f\",\"checksum\":\"{X(33)}\",\"requestId\":1}}", Format, "checksum"),

        // ---- M Iso15118CertificateManagement
        new("Get15118EVCertificate: exiRequest of 5601 characters", "Get15118EVCertificate", true,
            $"{{\"iso15118SchemaVersion\":\"urn:iso:15118:2:2013:MsgDef\",\"action\":\"Install\",\"exiRequest\":\"{X(5601)}\"}}", Format, "exiRequest"),
        new("InstallCertificate: a 1.6 certificate use", "InstallCertificate", true, "{\"certificateType\":\"CentralSystemRootCertificate\",\"certificate\":\"c\"}", Format, "certificateType"),
        new("GetCertificateStatus: missing responderURL", "GetCertificateStatus", true,
            "{\"ocspRequestData\":{\"hashAlgorithm\":\"SHA256\",\"issuerNameHash\":\"a\",\"issuerKeyHash\":\"b\",\"serialNumber\":\"c\"}}", Missing, "ocspRequestData.responderURL"),

        // ---- N Diagnostics
        new("GetLog: missing log", "GetLog", true, "{\"logType\":\"DiagnosticsLog\",\"requestId\":1}", Missing, "log"),
        new("SetMonitoringLevel: severity is a string", "SetMonitoringLevel", true, "{\"severity\":\"4\"}", WrongType, "severity"),
        new("NotifyEvent: unknown trigger", "NotifyEvent", true,
            $"{{\"generatedAt\":{T},\"seqNo\":0,\"eventData\":[{{\"eventId\":1,\"timestamp\":{T},\"trigger\":\"Tripped\",\"actualValue\":\"1\",\"eventNotificationType\":\"HardWiredMonitor\",\"component\":{Evse},\"variable\":{Power}}}]}}",
            Format, "eventData[0].trigger"),
        new("CustomerInformation: customerIdentifier of 65 characters", "CustomerInformation", true, $"{{\"requestId\":1,\"report\":true,\"clear\":false,\"customerIdentifier\":\"{X(65)}\"}}", Format, "customerIdentifier"),
        new("ClearVariableMonitoring: empty id list", "ClearVariableMonitoring", true, "{\"id\":[]}", Occurrence, "id"),

        // ---- O DisplayMessage
        new("SetDisplayMessage: content of 513 characters", "SetDisplayMessage", true,
            $"{{\"message\":{{\"id\":1,\"priority\":\"NormalCycle\",\"message\":{{\"format\":\"UTF8\",\"content\":\"{X(513)}\"}}}}}}", Format, "message.message.content"),
        new("GetDisplayMessages: empty id list", "GetDisplayMessages", true, "{\"requestId\":1,\"id\":[]}", Occurrence, "id"),

        // ---- P DataTransfer
        new("DataTransfer: vendorId of 256 characters", "DataTransfer", true, $"{{\"vendorId\":\"{X(256)}\"}}", Format, "vendorId"),
        new("DataTransfer.conf: unknown status", "DataTransfer", false, "{\"status\":\"Ok\"}", Format, "status"),

        // ---- customData, on any object
        new("customData without its vendorId", "Heartbeat", true, "{\"customData\":{\"build\":42}}", Missing, "customData.vendorId"),
        new("customData is a string", "StatusNotification", true, $"{{\"timestamp\":{T},\"connectorStatus\":\"Available\",\"evseId\":1,\"connectorId\":1,\"customData\":\"acme\"}}", WrongType, "customData"),
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

        var official = OfficialSchemas.Ocpp201.Evaluate(c.Action, c.Request, payload);
        Assert.False(official.IsValid, $"the official schema accepts {c.Json}");

        var descriptor = Ocpp201.Messages.Find(c.Action)!;
        var info = c.Request ? descriptor.RequestInfo : descriptor.ResponseInfo;
        Assert.False(OcppCodec.TryDecode(payload, info, out var message, out var violation), $"our decoder accepts {c.Json}");
        Assert.Null(message);
        Assert.NotNull(violation);
        Assert.Equal((c.Code, c.Field), (violation.Code, violation.Field));
        Assert.False(string.IsNullOrWhiteSpace(violation.Reason));
    }

    [Fact]
    public void Every_block_and_every_kind_of_fault_is_covered()
    {
        var blocks = Cases.Select(c => Ocpp201.Messages.Find(c.Action)!.Group).ToHashSet();
        Assert.Equal(Enum.GetNames<FunctionalBlock>().Order(), blocks.Order());
        foreach (var code in new[] { Missing, Extra, WrongType, Format })
        {
            Assert.Contains(Cases, c => c.Code == code);
        }
        Assert.Contains(Cases, c => c.Name.Contains("at most", StringComparison.Ordinal));
        Assert.Contains(Cases, c => c.Name.Contains("empty", StringComparison.Ordinal));
        Assert.Contains(Cases, c => c.Name.Contains("101 %", StringComparison.Ordinal));
        Assert.Equal(Cases.Count, Cases.Select(c => c.Name).Distinct().Count());
    }
}
