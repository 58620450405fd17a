using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V201;

namespace Simulator.Ocpp.Tests.V201;

public class RegistryTests201
{
    private static OcppMessageSet Set => Ocpp201.Messages;

    [Fact]
    public void The_set_is_2_0_1_with_its_own_error_spelling()
    {
        Assert.Equal("2.0.1", Set.Version);
        Assert.Equal("ocpp2.0.1", Set.Subprotocol);
        Assert.Same(OcppErrorDialect.Ocpp201, Set.Errors);
        Assert.Equal("FormatViolation", Set.Errors.ToWire(OcppErrorCode.FormatViolation));
        Assert.Equal("OccurrenceConstraintViolation", Set.Errors.ToWire(OcppErrorCode.OccurrenceConstraintViolation));
    }

    [Fact]
    public void There_are_exactly_64_actions_with_unique_names()
    {
        Assert.Equal(64, Set.Actions.Count);
        Assert.Equal(64, Set.Actions.Select(a => a.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(64, Set.Actions.Select(a => a.RequestType).Distinct().Count());
        Assert.Equal(64, Set.Actions.Select(a => a.ResponseType).Distinct().Count());
    }

    [Fact]
    public void Every_schema_in_the_file_has_a_type_and_every_action_both_schemas()
    {
        var schemas = OfficialSchemas.Ocpp201;
        Assert.Equal(128, schemas.Ids.Count);
        foreach (var id in schemas.Ids)
        {
            var name = id["urn:".Length..id.LastIndexOf('.')];
            var action = Set.Find(name);
            Assert.True(action is not null, $"{id} has no action");
            var type = id.EndsWith(".req", StringComparison.Ordinal) ? action.RequestType : action.ResponseType;
            Assert.Equal(name + (id.EndsWith(".req", StringComparison.Ordinal) ? "Request" : "Response"), type.Name);
            Assert.Same(type, Set.TypeInfo(type).Type);
        }
        foreach (var action in Set.Actions)
        {
            Assert.Contains($"urn:{action.Name}.req", schemas.Ids);
            Assert.Contains($"urn:{action.Name}.conf", schemas.Ids);
        }
    }

    [Fact]
    public void Blocks_and_directions_follow_the_spec()
    {
        var byBlock = Set.Actions.GroupBy(Ocpp201.BlockOf).ToDictionary(g => g.Key, g => g.Select(a => a.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(Enum.GetValues<FunctionalBlock>().Length, byBlock.Count);
        Assert.Equal(["CertificateSigned", "SecurityEventNotification", "SignCertificate"], byBlock[FunctionalBlock.Security]);
        Assert.Equal(["BootNotification", "GetBaseReport", "GetReport", "GetVariables", "NotifyReport", "Reset", "SetNetworkProfile", "SetVariables"], byBlock[FunctionalBlock.Provisioning]);
        Assert.Equal(["Authorize", "ClearCache"], byBlock[FunctionalBlock.Authorization]);
        Assert.Equal(["GetLocalListVersion", "SendLocalList"], byBlock[FunctionalBlock.LocalAuthorizationList]);
        Assert.Equal(["GetTransactionStatus", "TransactionEvent"], byBlock[FunctionalBlock.Transactions]);
        Assert.Equal(["RequestStartTransaction", "RequestStopTransaction", "TriggerMessage", "UnlockConnector"], byBlock[FunctionalBlock.RemoteControl]);
        Assert.Equal(["ChangeAvailability", "Heartbeat", "StatusNotification"], byBlock[FunctionalBlock.Availability]);
        Assert.Equal(["CancelReservation", "ReservationStatusUpdate", "ReserveNow"], byBlock[FunctionalBlock.Reservation]);
        Assert.Equal(["CostUpdated"], byBlock[FunctionalBlock.TariffAndCost]);
        Assert.Equal(["MeterValues"], byBlock[FunctionalBlock.MeterValues]);
        Assert.Equal(
            ["ClearChargingProfile", "ClearedChargingLimit", "GetChargingProfiles", "GetCompositeSchedule", "NotifyChargingLimit", "NotifyEVChargingNeeds", "NotifyEVChargingSchedule", "ReportChargingProfiles", "SetChargingProfile"],
            byBlock[FunctionalBlock.SmartCharging]);
        Assert.Equal(["FirmwareStatusNotification", "PublishFirmware", "PublishFirmwareStatusNotification", "UnpublishFirmware", "UpdateFirmware"], byBlock[FunctionalBlock.FirmwareManagement]);
        Assert.Equal(["DeleteCertificate", "Get15118EVCertificate", "GetCertificateStatus", "GetInstalledCertificateIds", "InstallCertificate"], byBlock[FunctionalBlock.Iso15118CertificateManagement]);
        Assert.Equal(
            ["ClearVariableMonitoring", "CustomerInformation", "GetLog", "GetMonitoringReport", "LogStatusNotification", "NotifyCustomerInformation", "NotifyEvent", "NotifyMonitoringReport", "SetMonitoringBase", "SetMonitoringLevel", "SetVariableMonitoring"],
            byBlock[FunctionalBlock.Diagnostics]);
        Assert.Equal(["ClearDisplayMessage", "GetDisplayMessages", "NotifyDisplayMessages", "SetDisplayMessage"], byBlock[FunctionalBlock.DisplayMessage]);
        Assert.Equal(["DataTransfer"], byBlock[FunctionalBlock.DataTransfer]);

        Assert.Equal(ActionDirection.Both, Set.Find("DataTransfer")!.Direction);
        Assert.Single(Set.Actions, a => a.Direction == ActionDirection.Both);
        string[] fromStation =
        [
            "Authorize", "BootNotification", "ClearedChargingLimit", "DataTransfer", "FirmwareStatusNotification", "Get15118EVCertificate", "GetCertificateStatus",
            "Heartbeat", "LogStatusNotification", "MeterValues", "NotifyChargingLimit", "NotifyCustomerInformation", "NotifyDisplayMessages", "NotifyEVChargingNeeds",
            "NotifyEVChargingSchedule", "NotifyEvent", "NotifyMonitoringReport", "NotifyReport", "PublishFirmwareStatusNotification", "ReportChargingProfiles",
            "ReservationStatusUpdate", "SecurityEventNotification", "SignCertificate", "StatusNotification", "TransactionEvent",
        ];
        Assert.Equal(fromStation, Set.Actions.Where(a => a.Direction.HasFlag(ActionDirection.ChargePointToCsms)).Select(a => a.Name).Order(StringComparer.Ordinal));
        Assert.Equal(40, Set.Actions.Count(a => a.Direction.HasFlag(ActionDirection.CsmsToChargePoint)));
    }

    [Fact]
    public void Find_and_Of_agree()
    {
        foreach (var action in Set.Actions)
        {
            Assert.Same(action, Set.Find(action.Name));
            Assert.Same(action, Set.Of(Samples201.Requests[action.Name]));
        }
        Assert.Null(Set.Find("bootNotification"));
        Assert.Null(Set.Find("StartTransaction"));
        Assert.False(Set.Contains(Samples.Requests["BootNotification"]));
        Assert.Throws<ArgumentException>(() => Set.Of(Samples.Requests["BootNotification"]));
    }
}
