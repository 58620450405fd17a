using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.FirmwareManagement;
using Simulator.Ocpp.V16.Security;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Csms.Tests;

public sealed class HandlerTests
{
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task BootNotification_is_accepted_with_the_configured_interval_and_the_charge_point_is_booted()
    {
        await using var csms = await Support.StartAsync(new CsmsOptions { HeartbeatInterval = 123 });
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var boot = await cp.AskDecodedAsync(new BootNotificationRequest { ChargePointVendor = "Acme", ChargePointModel = "X1", FirmwareVersion = "1.0" });
        Assert.Equal(RegistrationStatus.Accepted, boot.Status);
        Assert.Equal(123, boot.Interval);
        Assert.True(boot.CurrentTime >= before);
        var state = csms.Registry.Find("CP-1")!.Snapshot();
        Assert.True(state.Booted);
        Assert.True(state.Connected);
        Assert.Equal("Acme", state.Vendor);
    }

    [Fact]
    public async Task BootNotification_answers_Pending_or_Rejected_on_command()
    {
        await using var csms = await Support.StartAsync();
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        csms.SetBootResponse(RegistrationStatus.Pending, 7);
        var pending = await cp.AskDecodedAsync(new BootNotificationRequest { ChargePointVendor = "Acme", ChargePointModel = "X1" });
        Assert.Equal((RegistrationStatus.Pending, 7), (pending.Status, pending.Interval));
        csms.SetBootResponse(RegistrationStatus.Rejected, 9);
        var rejected = await cp.AskDecodedAsync(new BootNotificationRequest { ChargePointVendor = "Acme", ChargePointModel = "X1" });
        Assert.Equal((RegistrationStatus.Rejected, 9), (rejected.Status, rejected.Interval));
        Assert.False(csms.Registry.Find("CP-1")!.Snapshot().Booted);
    }

    [Fact]
    public async Task Heartbeat_answers_the_current_time()
    {
        await using var csms = await Support.StartAsync();
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var beat = await cp.AskDecodedAsync(new HeartbeatRequest());
        Assert.InRange(beat.CurrentTime, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.NotNull(csms.Registry.Find("CP-1")!.Snapshot().LastHeartbeat);
    }

    [Fact]
    public async Task Authorize_follows_the_id_tag_policy()
    {
        await using var csms = await Support.StartAsync();
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        var expiry = DateTimeOffset.UtcNow.AddDays(30);
        Assert.Equal(AuthorizationStatus.Accepted, (await cp.AskDecodedAsync(new AuthorizeRequest { IdTag = "ANY" })).IdTagInfo.Status);

        csms.IdTags.AllowListOnly = true;
        csms.IdTags.Set("GOOD", new IdTagEntry(AuthorizationStatus.Accepted, "GROUP", expiry));
        csms.IdTags.Set("BAD", new IdTagEntry(AuthorizationStatus.Blocked));
        csms.IdTags.Set("OLD", new IdTagEntry(AuthorizationStatus.Accepted, null, DateTimeOffset.UtcNow.AddDays(-1)));
        var good = (await cp.AskDecodedAsync(new AuthorizeRequest { IdTag = "GOOD" })).IdTagInfo;
        Assert.Equal(AuthorizationStatus.Accepted, good.Status);
        Assert.Equal("GROUP", good.ParentIdTag);
        Assert.Equal(expiry.ToUnixTimeSeconds(), good.ExpiryDate!.Value.ToUnixTimeSeconds());
        Assert.Equal(AuthorizationStatus.Blocked, (await cp.AskDecodedAsync(new AuthorizeRequest { IdTag = "BAD" })).IdTagInfo.Status);
        Assert.Equal(AuthorizationStatus.Expired, (await cp.AskDecodedAsync(new AuthorizeRequest { IdTag = "OLD" })).IdTagInfo.Status);
        Assert.Equal(AuthorizationStatus.Invalid, (await cp.AskDecodedAsync(new AuthorizeRequest { IdTag = "STRANGER" })).IdTagInfo.Status);
    }

    [Fact]
    public async Task Transactions_get_unique_increasing_ids_and_stop_closes_them()
    {
        await using var csms = await Support.StartAsync();
        csms.IdTags.Set("BAD", new IdTagEntry(AuthorizationStatus.Blocked));
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        var first = await cp.AskDecodedAsync(new StartTransactionRequest { ConnectorId = 1, IdTag = "TAG", MeterStart = 100, Timestamp = T0 });
        var second = await cp.AskDecodedAsync(new StartTransactionRequest { ConnectorId = 2, IdTag = "BAD", MeterStart = 0, Timestamp = T0 });
        Assert.Equal(AuthorizationStatus.Accepted, first.IdTagInfo.Status);
        Assert.Equal(AuthorizationStatus.Blocked, second.IdTagInfo.Status);
        Assert.True(second.TransactionId > first.TransactionId);
        Assert.Equal(2, csms.Registry.Find("CP-1")!.Snapshot().ActiveTransactions.Count);

        var stopWithTag = await cp.AskDecodedAsync(new StopTransactionRequest { TransactionId = first.TransactionId, MeterStop = 500, Timestamp = T0.AddMinutes(30), IdTag = "TAG" });
        Assert.Equal(AuthorizationStatus.Accepted, stopWithTag.IdTagInfo!.Status);
        var stopWithout = await cp.AskDecodedAsync(new StopTransactionRequest { TransactionId = second.TransactionId, MeterStop = 10, Timestamp = T0.AddMinutes(31) });
        Assert.Null(stopWithout.IdTagInfo);
        Assert.Empty(csms.Registry.Find("CP-1")!.Snapshot().ActiveTransactions);
    }

    [Fact]
    public async Task MeterValues_and_StatusNotification_are_answered_and_the_last_status_per_connector_is_kept()
    {
        await using var csms = await Support.StartAsync();
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        await cp.AskDecodedAsync(new StatusNotificationRequest { ConnectorId = 1, ErrorCode = ChargePointErrorCode.NoError, Status = ChargePointStatus.Preparing });
        await cp.AskDecodedAsync(new StatusNotificationRequest { ConnectorId = 1, ErrorCode = ChargePointErrorCode.NoError, Status = ChargePointStatus.Charging });
        await cp.AskDecodedAsync(new StatusNotificationRequest { ConnectorId = 2, ErrorCode = ChargePointErrorCode.GroundFailure, Status = ChargePointStatus.Faulted });
        await cp.AskDecodedAsync(new MeterValuesRequest
        {
            ConnectorId = 1,
            MeterValue = [new MeterValue { Timestamp = T0, SampledValue = [new SampledValue { Value = "42", Measurand = Measurand.EnergyActiveImportRegister }] }],
        });
        var state = csms.Registry.Find("CP-1")!;
        Assert.Equal(ChargePointStatus.Charging, state.Connector(1)!.Status);
        Assert.Equal(ChargePointStatus.Faulted, state.Connector(2)!.Status);
        Assert.Equal(ChargePointErrorCode.GroundFailure, state.Connector(2)!.ErrorCode);
        Assert.Equal(1, csms.Ledger.CountsFor("CP-1").MeterValuesDelivered);
    }

    [Fact]
    public async Task DataTransfer_accepts_known_vendors_only()
    {
        await using var csms = await Support.StartAsync(new CsmsOptions { KnownVendorIds = ["com.acme"] });
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        Assert.Equal(DataTransferStatus.Accepted, (await cp.AskDecodedAsync(new DataTransferRequest { VendorId = "com.acme", MessageId = "x", Data = "y" })).Status);
        Assert.Equal(DataTransferStatus.UnknownVendorId, (await cp.AskDecodedAsync(new DataTransferRequest { VendorId = "com.other" })).Status);
    }

    [Fact]
    public async Task Firmware_diagnostics_log_and_security_notifications_are_answered_and_recorded()
    {
        await using var csms = await Support.StartAsync();
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        await cp.AskDecodedAsync(new DiagnosticsStatusNotificationRequest { Status = DiagnosticsStatus.Uploaded });
        await cp.AskDecodedAsync(new FirmwareStatusNotificationRequest { Status = FirmwareStatus.Installed });
        await cp.AskDecodedAsync(new LogStatusNotificationRequest { Status = UploadLogStatus.Uploading, RequestId = 4 });
        await cp.AskDecodedAsync(new SignedFirmwareStatusNotificationRequest { Status = SignedFirmwareStatus.SignatureVerified, RequestId = 5 });
        await cp.AskDecodedAsync(new SecurityEventNotificationRequest { Type = "StartupOfTheDevice", Timestamp = T0, TechInfo = "cold boot" });
        await cp.AskDecodedAsync(new SecurityEventNotificationRequest { Type = "ResetOrReboot", Timestamp = T0.AddSeconds(1) });
        var state = csms.Registry.Find("CP-1")!.Snapshot();
        Assert.Equal("Uploaded", state.DiagnosticsStatus);
        Assert.Equal("Installed", state.FirmwareStatus);
        Assert.Equal("Uploading", state.LogStatus);
        Assert.Equal("SignatureVerified", state.SignedFirmwareStatus);
        Assert.Equal(2, state.SecurityEventCount);
        Assert.Equal(["StartupOfTheDevice", "ResetOrReboot"], state.RecentSecurityEvents.Select(e => e.Type));
    }

    [Fact]
    public async Task A_broken_call_gets_a_CALLERROR_and_an_unknown_action_NotImplemented()
    {
        await using var csms = await Support.StartAsync();
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        // A CSMS-to-CP action sent by a charge point is refused by the CSMS role.
        var failed = Assert.IsType<Simulator.Ocpp.Rpc.CallFailed>(await cp.CallAsync(new ResetRequest { Type = ResetType.Hard }));
        Assert.Equal(Simulator.Ocpp.Framing.OcppErrorCode.NotSupported, failed.ErrorCode);
        Assert.Equal(AuthorizationStatus.Accepted, (await cp.AskDecodedAsync(new AuthorizeRequest { IdTag = "X" })).IdTagInfo.Status);
    }

    [Fact]
    public async Task A_handshake_without_an_OCPP_subprotocol_the_CSMS_speaks_is_refused_with_400()
    {
        await using var csms = await Support.StartAsync();
        var (status, client) = await TestChargePoint.TryConnectAsync(csms.Url, "CP-1");
        Assert.Null(client);
        Assert.Equal(400, status);
        var (wrong, other) = await TestChargePoint.TryConnectAsync(csms.Url, "CP-1", o => o.AddSubProtocol("ocpp2.1"));
        Assert.Null(other);
        Assert.Equal(400, wrong);
        Assert.Equal(2, csms.GetStats().Refused.NoSubprotocol);
        Assert.Equal(0, csms.ConnectionCount);
    }

    [Fact]
    public async Task A_second_connection_with_the_same_id_replaces_the_first()
    {
        await using var csms = await Support.StartAsync();
        await using var first = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        await using var second = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        var end = await first.Ended.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, end.CloseStatus);
        await second.AskDecodedAsync(new HeartbeatRequest());
        Assert.Equal(1, csms.ConnectionCount);
        Assert.True(csms.Registry.Find("CP-1")!.Snapshot().Connected);
        Assert.Equal(1, csms.GetStats().ConnectionsReplaced);
    }
}
