using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Simulator.ChargePoint.V201;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V201.Availability;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.RemoteControl;
using Simulator.Ocpp.V201.Types;
using static Simulator.ChargePoint.Tests.HarnessBase;
using static Simulator.ChargePoint.Tests.V201.StationHarness;

namespace Simulator.ChargePoint.Tests.V201;

public sealed class ProvisioningTests
{
    [Fact]
    public void Boot_pending_holds_everything_but_triggered_messages_then_accepted_reports_statuses_and_beats()
    {
        var h = new StationHarness();
        var pending = true;
        h.Override = m => m.Request is BootNotificationRequest && pending
            ? new BootNotificationResponse { Status = RegistrationStatus.Pending, CurrentTime = h.Clock.GetUtcNow(), Interval = 20 }
            : null;
        h.Model.OnConnected();
        h.Pump();
        var boot = Assert.Single(h.SentOf<BootNotificationRequest>());
        Assert.Equal(BootReason.PowerUp, boot.Reason);
        Assert.Equal(RegistrationStatus.Pending, h.Model.Registration);
        Assert.Empty(h.SentOf<StatusNotificationRequest>());

        // While Pending the CSMS may configure and trigger: a triggered StatusNotification goes, a Heartbeat of our own does not.
        Assert.Equal(TriggerMessageStatus.Accepted, h.Call<TriggerMessageResponse>(new TriggerMessageRequest { RequestedMessage = MessageTrigger.StatusNotification, Evse = new Evse { Id = 1 } }).Status);
        h.Pump();
        Assert.Single(h.SentOf<StatusNotificationRequest>());
        // A report asked for while Pending goes too (B02: the CSMS provisions the station before accepting it), all of its parts.
        Assert.Equal(GenericDeviceModelStatus.Accepted, h.Call<GetBaseReportResponse>(new GetBaseReportRequest { RequestId = 1, ReportBase = ReportBase.FullInventory }).Status);
        h.Pump();
        Assert.True(h.SentOf<NotifyReportRequest>().Count() > 1);
        Assert.NotEqual(true, h.SentOf<NotifyReportRequest>().Last().Tbc);
        h.Run(TimeSpan.FromSeconds(19));
        Assert.Single(h.SentOf<BootNotificationRequest>());
        Assert.Empty(h.SentOf<HeartbeatRequest>());

        pending = false;
        h.Run(TimeSpan.FromSeconds(1));
        Assert.Equal(2, h.SentOf<BootNotificationRequest>().Count());
        Assert.True(h.Model.IsBooted);
        Assert.Equal([1, 1, 2], h.SentOf<StatusNotificationRequest>().Select(s => s.EvseId).Order());
        h.Run(TimeSpan.FromSeconds(300));
        Assert.Single(h.SentOf<HeartbeatRequest>());
    }

    [Fact]
    public void Rejected_boot_retries_after_the_interval_and_rejects_triggers_other_than_boot()
    {
        var h = new StationHarness();
        var rejected = true;
        h.Override = m => m.Request is BootNotificationRequest && rejected
            ? new BootNotificationResponse { Status = RegistrationStatus.Rejected, CurrentTime = h.Clock.GetUtcNow(), Interval = 60 }
            : null;
        h.Model.OnConnected();
        h.Pump();
        Assert.Equal(TriggerMessageStatus.Rejected, h.Call<TriggerMessageResponse>(new TriggerMessageRequest { RequestedMessage = MessageTrigger.Heartbeat }).Status);
        h.Run(TimeSpan.FromSeconds(59));
        Assert.Single(h.SentOf<BootNotificationRequest>());
        rejected = false;
        h.Run(TimeSpan.FromSeconds(1));
        Assert.True(h.Model.IsBooted);
        Assert.Equal(TriggerMessageStatus.Rejected, h.Call<TriggerMessageResponse>(new TriggerMessageRequest { RequestedMessage = MessageTrigger.BootNotification }).Status);
    }

    [Fact]
    public void GetVariables_answers_every_status_and_never_reveals_the_write_only_password()
    {
        var h = new StationHarness(new() { ["AuthorizationKey"] = "0123456789abcdef0123", ["SecurityProfile"] = "1" }).Boot();
        Assert.Equal("0123456789abcdef0123", h.Model.AuthorizationKey);
        Assert.Equal(1, h.Model.SecurityProfile);
        var response = h.Call<GetVariablesResponse>(new GetVariablesRequest
        {
            GetVariableData =
            [
                new() { Component = Comp("OCPPCommCtrlr"), Variable = Var("HeartbeatInterval") },
                new() { Component = Comp("SecurityCtrlr"), Variable = Var("BasicAuthPassword") },
                new() { Component = Comp("NoSuchCtrlr"), Variable = Var("HeartbeatInterval") },
                new() { Component = Comp("OCPPCommCtrlr"), Variable = Var("NoSuchVariable") },
                new() { Component = Comp("OCPPCommCtrlr"), Variable = Var("HeartbeatInterval"), AttributeType = AttributeKind.Target },
                new() { Component = Comp("EVSE", 2), Variable = Var("AvailabilityState") },
                new() { Component = Comp("EVSE", 3), Variable = Var("AvailabilityState") },
                new() { Component = Comp("OCPPCommCtrlr"), Variable = Var("MessageAttempts", "TransactionEvent") },
                new() { Component = Comp("SecurityCtrlr"), Variable = Var("SecurityProfile") },
            ],
        });
        var results = response.GetVariableResult;
        Assert.Equal((GetVariableStatus.Accepted, "300"), (results[0].AttributeStatus, results[0].AttributeValue));
        Assert.Equal(GetVariableStatus.Rejected, results[1].AttributeStatus);
        Assert.Null(results[1].AttributeValue);
        Assert.Equal(GetVariableStatus.UnknownComponent, results[2].AttributeStatus);
        Assert.Equal(GetVariableStatus.UnknownVariable, results[3].AttributeStatus);
        Assert.Equal(GetVariableStatus.NotSupportedAttributeType, results[4].AttributeStatus);
        Assert.Equal((GetVariableStatus.Accepted, "Available"), (results[5].AttributeStatus, results[5].AttributeValue));
        Assert.Equal(GetVariableStatus.UnknownComponent, results[6].AttributeStatus);
        Assert.Equal((GetVariableStatus.Accepted, "3"), (results[7].AttributeStatus, results[7].AttributeValue));
        Assert.Equal((GetVariableStatus.Accepted, "1"), (results[8].AttributeStatus, results[8].AttributeValue));
    }

    [Fact]
    public void SetVariables_answers_every_status_and_applies_what_it_accepts()
    {
        var h = new StationHarness(new() { ["SecurityProfile"] = "1", ["AuthorizationKey"] = "0123456789abcdef0123" }).Boot();
        var response = h.Call<SetVariablesResponse>(new SetVariablesRequest
        {
            SetVariableData =
            [
                new() { Component = Comp("OCPPCommCtrlr"), Variable = Var("HeartbeatInterval"), AttributeValue = "60" },
                new() { Component = Comp("OCPPCommCtrlr"), Variable = Var("HeartbeatInterval"), AttributeValue = "soon" },
                new() { Component = Comp("SecurityCtrlr"), Variable = Var("SecurityProfile"), AttributeValue = "3" },
                new() { Component = Comp("NoSuchCtrlr"), Variable = Var("X"), AttributeValue = "1" },
                new() { Component = Comp("TxCtrlr"), Variable = Var("NoSuchVariable"), AttributeValue = "1" },
                new() { Component = Comp("TxCtrlr"), Variable = Var("EVConnectionTimeOut"), AttributeValue = "30", AttributeType = AttributeKind.MaxSet },
                new() { Component = Comp("OCPPCommCtrlr"), Variable = Var("NetworkConfigurationPriority"), AttributeValue = "1,0" },
                new() { Component = Comp("TxCtrlr"), Variable = Var("TxStartPoint"), AttributeValue = "EVConnected,Teleport" },
                new() { Component = Comp("SecurityCtrlr"), Variable = Var("BasicAuthPassword"), AttributeValue = "fedcba9876543210fedc" },
            ],
        });
        Assert.Equal(
            [
                SetVariableStatus.Accepted, SetVariableStatus.Rejected, SetVariableStatus.Rejected, SetVariableStatus.UnknownComponent,
                SetVariableStatus.UnknownVariable, SetVariableStatus.NotSupportedAttributeType, SetVariableStatus.RebootRequired,
                SetVariableStatus.Rejected, SetVariableStatus.Accepted,
            ],
            response.SetVariableResult.Select(r => r.AttributeStatus));
        Assert.Equal("60", h.Model.Device.Get(Simulator.ChargePoint.V201.DeviceModel.Components.OCPPCommCtrlr, Simulator.ChargePoint.V201.DeviceModel.Variables.HeartbeatInterval));
        Assert.Equal("fedcba9876543210fedc", h.Model.AuthorizationKey);
        h.DrainSignals();
        var changed = h.SignalsOf<ConfigurationChanged>().Single(c => c.Key.Contains("BasicAuthPassword", StringComparison.Ordinal));
        Assert.Equal("***", changed.Value);
        // At security profile 1 the new password is used from a new connection, after the grace period.
        h.Run(h.Options.SecurityReconnectGrace);
        Assert.Single(h.SignalsOf<ReconnectRequested>());
    }

    [Fact]
    public void HeartbeatInterval_set_by_SetVariables_changes_the_heartbeat()
    {
        var h = new StationHarness().Boot();
        h.Run(TimeSpan.FromSeconds(300));
        Assert.Single(h.SentOf<HeartbeatRequest>());
        var status = h.Call<SetVariablesResponse>(new SetVariablesRequest
        {
            SetVariableData = [new() { Component = Comp("OCPPCommCtrlr"), Variable = Var("HeartbeatInterval"), AttributeValue = "30" }],
        }).SetVariableResult[0].AttributeStatus;
        Assert.Equal(SetVariableStatus.Accepted, status);
        h.Run(TimeSpan.FromSeconds(120));
        Assert.Equal(5, h.SentOf<HeartbeatRequest>().Count());
    }

    [Theory]
    [InlineData(ReportBase.FullInventory)]
    [InlineData(ReportBase.ConfigurationInventory)]
    [InlineData(ReportBase.SummaryInventory)]
    public void GetBaseReport_comes_in_NotifyReport_parts_whose_variables_round_trip_through_GetVariables(ReportBase reportBase)
    {
        var h = new StationHarness(new() { ["AuthorizationKey"] = "0123456789abcdef0123" }).Boot();
        h.Sent.Clear();
        Assert.Equal(GenericDeviceModelStatus.Accepted, h.Call<GetBaseReportResponse>(new GetBaseReportRequest { RequestId = 42, ReportBase = reportBase }).Status);
        h.Pump();
        var parts = h.SentOf<NotifyReportRequest>().ToList();
        var limit = h.Model.Device.GetInt(Simulator.ChargePoint.V201.DeviceModel.Components.DeviceDataCtrlr, Simulator.ChargePoint.V201.DeviceModel.Variables.ItemsPerMessage("GetReport"));
        Assert.All(parts, p => Assert.Equal(42, p.RequestId));
        Assert.Equal(Enumerable.Range(0, parts.Count), parts.Select(p => p.SeqNo));
        Assert.All(parts.SkipLast(1), p => Assert.True(p.Tbc));
        Assert.NotEqual(true, parts[^1].Tbc);
        Assert.All(parts, p => Assert.InRange(p.ReportData!.Count, 1, limit));
        var data = parts.SelectMany(p => p.ReportData!).ToList();
        if (reportBase == ReportBase.FullInventory)
        {
            Assert.True(parts.Count > 1, "the full inventory needs more than one part");
            Assert.All(data, d => Assert.NotNull(d.VariableCharacteristics));
            Assert.Contains(data, d => d.Component.Name == "Connector" && d.Component.Evse is { Id: 2, ConnectorId: 1 });
        }
        if (reportBase == ReportBase.ConfigurationInventory)
        {
            Assert.DoesNotContain(data, d => d.VariableAttribute[0].Mutability == Mutability.ReadOnly);
        }
        // Every reported readable value is what GetVariables answers (in chunks of ItemsPerMessage[GetVariables]).
        var readable = data.Where(d => d.VariableAttribute[0].Mutability != Mutability.WriteOnly && d.Variable.Name != "DateTime").ToList();
        foreach (var chunk in readable.Chunk(20))
        {
            var results = h.Call<GetVariablesResponse>(new GetVariablesRequest
            {
                GetVariableData = [.. chunk.Select(d => new GetVariableData { Component = d.Component, Variable = d.Variable })],
            }).GetVariableResult;
            for (var i = 0; i < chunk.Length; i++)
            {
                Assert.Equal(GetVariableStatus.Accepted, results[i].AttributeStatus);
                Assert.Equal(chunk[i].VariableAttribute[0].Value, results[i].AttributeValue);
            }
        }
        var password = data.Where(d => d.Variable.Name == "BasicAuthPassword").ToList();
        Assert.All(password, p => Assert.Null(p.VariableAttribute[0].Value));
        Assert.Equal(reportBase == ReportBase.SummaryInventory ? 0 : 1, password.Count);
    }

    [Fact]
    public void GetReport_selects_by_component_variable_and_criteria_or_answers_EmptyResultSet()
    {
        var h = new StationHarness(new() { ["ReservationCtrlr.Enabled"] = "false" }).Boot();
        h.Sent.Clear();
        Assert.Equal(GenericDeviceModelStatus.Accepted, h.Call<GetReportResponse>(new GetReportRequest
        {
            RequestId = 7,
            ComponentVariable = [new() { Component = Comp("EVSE", 1) }, new() { Component = Comp("TxCtrlr"), Variable = Var("TxStartPoint") }],
        }).Status);
        h.Pump();
        var data = h.SentOf<NotifyReportRequest>().SelectMany(p => p.ReportData!).ToList();
        Assert.Contains(data, d => d.Component.Name == "TxCtrlr" && d.Variable.Name == "TxStartPoint");
        Assert.All(data.Where(d => d.Component.Name != "TxCtrlr"), d => Assert.Equal(1, d.Component.Evse!.Id));
        Assert.Single(data, d => d.Component.Name == "TxCtrlr");

        Assert.Equal(GenericDeviceModelStatus.Accepted, h.Call<GetReportResponse>(new GetReportRequest { RequestId = 8, ComponentCriteria = [ComponentCriterion.Enabled] }).Status);
        Assert.Equal(GenericDeviceModelStatus.EmptyResultSet, h.Call<GetReportResponse>(new GetReportRequest
        {
            RequestId = 9,
            ComponentVariable = [new() { Component = Comp("ReservationCtrlr") }],
            ComponentCriteria = [ComponentCriterion.Enabled],
        }).Status);
    }

    [Fact]
    public void Too_many_GetVariables_entries_are_an_OccurrenceConstraintViolation()
    {
        var h = new StationHarness().Boot();
        var reply = h.Model.HandleCall(new GetVariablesRequest
        {
            GetVariableData = [.. Enumerable.Range(0, 21).Select(_ => new GetVariableData { Component = Comp("OCPPCommCtrlr"), Variable = Var("HeartbeatInterval") })],
        });
        Assert.Equal(OcppErrorCode.OccurrenceConstraintViolation, reply.ErrorCode);
    }

    [Fact]
    public void Configuration_overrides_set_the_device_model_and_bad_ones_name_the_key()
    {
        var h = new StationHarness(new() { ["TxCtrlr.EVConnectionTimeOut"] = "45", ["SampledDataCtrlr.TxUpdatedInterval"] = "10" });
        Assert.Equal(45, h.Model.Device.GetInt(Simulator.ChargePoint.V201.DeviceModel.Components.TxCtrlr, Simulator.ChargePoint.V201.DeviceModel.Variables.EVConnectionTimeOut));
        var unknown = Assert.Throws<ArgumentException>(() => new StationHarness(new() { ["NoSuchKey"] = "1" }));
        Assert.Contains("NoSuchKey", unknown.Message, StringComparison.Ordinal);
        var bad = Assert.Throws<ArgumentException>(() => new StationHarness(new() { ["HeartbeatInterval"] = "often" }));
        Assert.Contains("HeartbeatInterval", bad.Message, StringComparison.Ordinal);
        var ambiguous = Assert.Throws<ArgumentException>(() => new StationHarness(new() { ["Enabled"] = "true" }));
        Assert.Contains("ambiguous", ambiguous.Message, StringComparison.Ordinal);
        var secret = Assert.Throws<ArgumentException>(() => new StationHarness(new() { ["AuthorizationKey"] = new string('x', 41) }));
        Assert.DoesNotContain("xxxx", secret.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetNetworkProfile_stores_a_valid_profile_and_rejects_a_downgrade()
    {
        var h = new StationHarness(new() { ["SecurityProfile"] = "2" }).Boot();
        // Profile 3 needs a CSMS root and a station certificate (A05): the station has both.
        using var csms = new Simulator.ChargePoint.Tests.Security.TestPki("CSMS Root");
        h.Call<Simulator.Ocpp.V201.Iso15118CertificateManagement.InstallCertificateResponse>(new Simulator.Ocpp.V201.Iso15118CertificateManagement.InstallCertificateRequest
        {
            CertificateType = Simulator.Ocpp.V201.Iso15118CertificateManagement.InstallCertificateUse.CSMSRootCertificate, Certificate = csms.RootPem,
        });
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = csms.Sign(new CertificateRequest(Simulator.ChargePoint.Tests.Security.TestPki.Name("CS-1", "TestOrg"), key, HashAlgorithmName.SHA256));
        h.Model.ProvisionChargePointCertificate(issued.CopyWithPrivateKey(key));
        NetworkConnectionProfile Profile(int securityProfile, string url) => new()
        {
            OcppVersion = OcppVersion.OCPP20, OcppTransport = OcppTransport.JSON, OcppCsmsUrl = url, MessageTimeout = 30,
            SecurityProfile = securityProfile, OcppInterface = OcppInterface.Wired0,
        };
        Assert.Equal(SetNetworkProfileStatus.Accepted, h.Call<SetNetworkProfileResponse>(new SetNetworkProfileRequest { ConfigurationSlot = 1, ConnectionData = Profile(3, "wss://csms.example/ocpp") }).Status);
        Assert.Equal(SetNetworkProfileStatus.Rejected, h.Call<SetNetworkProfileResponse>(new SetNetworkProfileRequest { ConfigurationSlot = 2, ConnectionData = Profile(1, "ws://csms.example/ocpp") }).Status);
        Assert.Equal(SetNetworkProfileStatus.Rejected, h.Call<SetNetworkProfileResponse>(new SetNetworkProfileRequest { ConfigurationSlot = 9, ConnectionData = Profile(3, "wss://csms.example/ocpp") }).Status);
        Assert.Single(h.Model.NetworkProfiles);
    }

    [Fact]
    public void Reset_reboots_with_RemoteReset_and_OnIdle_waits_for_the_transaction()
    {
        var h = new StationHarness().Boot();
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        Assert.Equal(ResetStatus.Scheduled, h.Call<ResetResponse>(new ResetRequest { Type = ResetKind.OnIdle }).Status);
        h.Pump();
        Assert.Empty(h.SignalsOf<RebootRequested>());
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        var reboot = Assert.Single(h.SignalsOf<RebootRequested>());
        Assert.Equal(RebootKind.SoftReset, reboot.Kind);
        h.Model.OnConnected();
        h.Pump();
        Assert.Equal(BootReason.ScheduledReset, h.SentOf<BootNotificationRequest>().Last().Reason);

        Assert.Equal(ResetStatus.Accepted, h.Call<ResetResponse>(new ResetRequest { Type = ResetKind.Immediate }).Status);
        h.Pump();
        Assert.Equal(RebootKind.HardReset, h.SignalsOf<RebootRequested>().Last().Kind);
        h.Model.OnConnected();
        h.Pump();
        Assert.Equal(BootReason.RemoteReset, h.SentOf<BootNotificationRequest>().Last().Reason);
        Assert.Equal(ResetStatus.Rejected, h.Call<ResetResponse>(new ResetRequest { Type = ResetKind.Immediate, EvseId = 5 }).Status);
    }
}
