using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Simulator.Csms;
using Simulator.Fleet.Tests.EndToEnd;

namespace Simulator.Fleet.Tests.StrictCsms;

/// <summary>
/// The CSMS-initiated flows a backend team tests first, end to end against a CSMS that is not ours: ocpp-rpc in strict mode,
/// which checks every frame in both directions against the OCA OCPP 1.6 (+ security whitepaper) schemas. Every test also
/// asserts that the strict CSMS saw no schema-invalid or malformed message from FleetSim.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class StrictCsmsFlowTests
{
    private static readonly TimeSpan TriggerWait = TimeSpan.FromSeconds(5);

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string Str(JsonElement element, string property) => element.TryGetProperty(property, out var v) ? v.ToString() : "(absent)";

    /// <summary>The transactionId the strict CSMS gave in its answer to this StartTransaction.</summary>
    private static async Task<int> TransactionIdOfAsync(StrictCsmsHarness h, StrictEvent start)
    {
        await Await.ConditionAsync(() => h.Csms.AnswerTo(start) is not null, StrictCsmsHarness.Wait, "the strict CSMS's answer to StartTransaction");
        return h.Csms.AnswerTo(start)!.Value.GetProperty("transactionId").GetInt32();
    }

    private static bool IsStatus(StrictEvent call, int connectorId, string status) => call.ConnectorId == connectorId && Str(call.Payload, "status") == status;

    private static bool Carries(StrictEvent meterValues, int transactionId)
        => meterValues.Payload.TryGetProperty("transactionId", out var tx) && tx.GetInt32() == transactionId;

    [Fact]
    public async Task RemoteStartTransaction_on_an_idle_charge_point_starts_charging_and_meters_the_transaction_within_10_s()
    {
        await using var h = await StrictCsmsHarness.StartAsync();
        var id = await h.StartAcceptedAsync();
        var statusesBefore = h.Calls(id, "StatusNotification").Count;

        var reply = await h.AnsweredAsync(id, "RemoteStartTransaction", new { connectorId = 1, idTag = "STRICT-REMOTE" });
        Assert.Equal("Accepted", Str(reply, "status"));
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        TimeSpan Left() => deadline - DateTimeOffset.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.Zero;

        var start = await h.NextCallAsync(id, "StartTransaction", 0, timeout: Left());
        Assert.Equal(1, start.ConnectorId);
        Assert.Equal("STRICT-REMOTE", Str(start.Payload, "idTag"));
        var transactionId = await TransactionIdOfAsync(h, start);
        await h.NextCallAsync(id, "StatusNotification", statusesBefore, s => IsStatus(s, 1, "Charging"), Left());
        await h.NextCallAsync(id, "MeterValues", 0, m => Carries(m, transactionId), Left());
        h.Csms.AssertNoViolations();
    }

    [Fact]
    public async Task RemoteStopTransaction_stops_the_running_transaction_with_reason_Remote()
    {
        // The driver's own tag starts the session (the strict CSMS accepts every tag); the CSMS then stops it remotely.
        await using var h = await StrictCsmsHarness.StartAsync(behaviour: Plans.OneSession(TimeSpan.FromMinutes(10)));
        var id = await h.StartAcceptedAsync();
        var start = await h.NextCallAsync(id, "StartTransaction", 0);
        var transactionId = await TransactionIdOfAsync(h, start);

        var reply = await h.AnsweredAsync(id, "RemoteStopTransaction", new { transactionId });
        Assert.Equal("Accepted", Str(reply, "status"));
        var stop = await h.NextCallAsync(id, "StopTransaction", 0, s => s.Payload.GetProperty("transactionId").GetInt32() == transactionId);
        Assert.Equal("Remote", Str(stop.Payload, "reason"));

        var unknown = await h.AnsweredAsync(id, "RemoteStopTransaction", new { transactionId = transactionId + 1000 });
        Assert.Equal("Rejected", Str(unknown, "status"));
        h.Csms.AssertNoViolations();
    }

    [Fact]
    public async Task ReserveNow_reserves_the_connector_and_a_RemoteStart_with_its_idTag_starts_with_the_reservationId()
    {
        await using var h = await StrictCsmsHarness.StartAsync();
        var id = await h.StartAcceptedAsync();
        var statusesBefore = h.Calls(id, "StatusNotification").Count;

        var reserve = await h.AnsweredAsync(id, "ReserveNow",
            new { connectorId = 1, expiryDate = Iso(DateTimeOffset.UtcNow.AddMinutes(10)), idTag = "STRICT-RES", reservationId = 42 });
        Assert.Equal("Accepted", Str(reserve, "status"));
        await h.NextCallAsync(id, "StatusNotification", statusesBefore, s => IsStatus(s, 1, "Reserved"));

        var remote = await h.AnsweredAsync(id, "RemoteStartTransaction", new { connectorId = 1, idTag = "STRICT-RES" });
        Assert.Equal("Accepted", Str(remote, "status"));
        var start = await h.NextCallAsync(id, "StartTransaction", 0);
        Assert.Equal(1, start.ConnectorId);
        Assert.Equal("STRICT-RES", Str(start.Payload, "idTag"));
        Assert.Equal("42", Str(start.Payload, "reservationId"));
        h.Csms.AssertNoViolations();
    }

    /// <summary>A requested message, the CALL that must follow it, and what that CALL must carry.</summary>
    public sealed record Trigger(string Requested, string FollowedBy, int? ConnectorId = null, int? ExpectConnector = null);

    // BootNotification last: the new boot may make the charge point report again, which must not answer for another trigger.
    private static readonly Trigger[] TriggerMessages =
    [
        new("DiagnosticsStatusNotification", "DiagnosticsStatusNotification"),
        new("FirmwareStatusNotification", "FirmwareStatusNotification"),
        new("Heartbeat", "Heartbeat"),
        new("MeterValues", "MeterValues", ExpectConnector: 0),   // no connectorId: the main meter, connector 0
        new("StatusNotification", "StatusNotification", ConnectorId: 1, ExpectConnector: 1),
        new("BootNotification", "BootNotification"),
    ];

    private static readonly Trigger[] ExtendedTriggerMessages =
    [
        new("FirmwareStatusNotification", "SignedFirmwareStatusNotification"),
        new("Heartbeat", "Heartbeat"),
        new("LogStatusNotification", "LogStatusNotification"),
        new("MeterValues", "MeterValues", ExpectConnector: 0),
        new("SignChargePointCertificate", "SignCertificate"),
        new("StatusNotification", "StatusNotification", ConnectorId: 1, ExpectConnector: 1),
        new("BootNotification", "BootNotification"),
    ];

    /// <summary>Each trigger in turn: answered Accepted and followed by the requested message. Returns what went wrong, per trigger.</summary>
    private static async Task<List<string>> RunTriggersAsync(StrictCsmsHarness h, string id, string action, IEnumerable<Trigger> triggers, string phase)
    {
        var problems = new List<string>();
        foreach (var trigger in triggers)
        {
            var what = $"{action}({trigger.Requested}{(trigger.ConnectorId is { } c ? $", connector {c}" : "")}) while {phase}";
            var before = h.Calls(id, trigger.FollowedBy).Count;
            var result = await h.Csms.CallAsync(id, action, new { requestedMessage = trigger.Requested, connectorId = trigger.ConnectorId });
            if (result.Status != "Accepted")
            {
                problems.Add($"{what}: answered {result}");
                continue;
            }
            var deadline = DateTimeOffset.UtcNow + TriggerWait;
            while (!h.Calls(id, trigger.FollowedBy).Skip(before).Any(f => trigger.ExpectConnector is not { } e || f.ConnectorId == e) && DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            var followUps = h.Calls(id, trigger.FollowedBy).Skip(before).ToList();
            if (!followUps.Any(f => trigger.ExpectConnector is not { } e || f.ConnectorId == e))
            {
                problems.Add($"{what}: Accepted, but no {trigger.FollowedBy}{(trigger.ExpectConnector is { } x ? $" for connector {x}" : "")} within {TriggerWait.TotalSeconds:0} s"
                    + (followUps.Count > 0 ? $" (got: {string.Join(", ", followUps.Select(f => f.Payload.GetRawText()))})" : ""));
            }
        }
        return problems;
    }

    [Fact]
    public async Task TriggerMessage_of_every_kind_while_the_boot_is_Pending_is_Accepted_and_followed_by_the_message()
    {
        await using var h = await StrictCsmsHarness.StartAsync();
        var id = await h.StartPendingAsync();
        var problems = await RunTriggersAsync(h, id, "TriggerMessage", TriggerMessages, "Pending");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.DoesNotContain("Accepted", h.BootAnswers(id));
        h.Csms.AssertNoViolations();
    }

    [Fact]
    public async Task TriggerMessage_of_every_kind_while_Accepted_is_Accepted_and_followed_by_the_message()
    {
        await using var h = await StrictCsmsHarness.StartAsync();
        var id = await h.StartAcceptedAsync();
        var problems = await RunTriggersAsync(h, id, "TriggerMessage", TriggerMessages, "Accepted");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        h.Csms.AssertNoViolations();
    }

    [Fact]
    public async Task ExtendedTriggerMessage_of_every_kind_while_the_boot_is_Pending_is_Accepted_and_followed_by_the_message()
    {
        await using var h = await StrictCsmsHarness.StartAsync(securityProfile1: true);
        var id = await h.StartPendingAsync();
        var problems = await RunTriggersAsync(h, id, "ExtendedTriggerMessage", ExtendedTriggerMessages, "Pending");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        h.Csms.AssertNoViolations();
    }

    [Fact]
    public async Task ExtendedTriggerMessage_of_every_kind_while_Accepted_is_Accepted_and_followed_by_the_message()
    {
        await using var h = await StrictCsmsHarness.StartAsync(securityProfile1: true);
        var id = await h.StartAcceptedAsync();
        var problems = await RunTriggersAsync(h, id, "ExtendedTriggerMessage", ExtendedTriggerMessages, "Accepted");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        h.Csms.AssertNoViolations();
    }

    [Fact]
    public async Task ChangeConfiguration_AuthorizationKey_then_SecurityProfile_1_are_both_answered_on_the_same_connection_then_it_reconnects_with_Basic_auth()
    {
        const string newKey = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
        await using var h = await StrictCsmsHarness.StartAsync();
        var id = await h.StartAcceptedAsync();
        Assert.False(h.Csms.Of(id, "connect").Single().Json.GetProperty("basicAuth").GetBoolean());
        await h.Csms.SetPasswordAsync(id, newKey);   // from the next connection on, the CSMS wants the new key

        var key = await h.Csms.CallAsync(id, "ChangeConfiguration", new { key = "AuthorizationKey", value = newKey });
        var profile = await h.Csms.CallAsync(id, "ChangeConfiguration", new { key = "SecurityProfile", value = "1" });
        Assert.True(key.Status == "Accepted", key.ToString());
        Assert.True(profile.Status == "Accepted", profile.ToString());
        // Both answers came back on the first connection: before the second answer it was neither closed nor replaced.
        var beforeSecondAnswer = h.Csms.Events.Take(profile.EventsBefore).Where(e => e.ChargeBoxId == id).ToList();
        Assert.Single(beforeSecondAnswer, e => e.Kind == "connect");
        Assert.DoesNotContain(beforeSecondAnswer, e => e.Kind == "disconnect");

        await Await.ConditionAsync(() => h.Csms.Of(id, "connect").Skip(1).Any(c => c.Json.GetProperty("basicAuth").GetBoolean()),
            StrictCsmsHarness.Wait, "a new connection with Basic auth and the new key");
        var read = await h.AnsweredAsync(id, "GetConfiguration", new { key = new[] { "SecurityProfile" } });
        Assert.Equal("1", read.GetProperty("configurationKey")[0].GetProperty("value").GetString());
        h.Csms.AssertNoViolations();
    }

    [Fact]
    public async Task A_1_MiB_SendLocalList_Full_is_answered_Accepted()
    {
        await using var h = await StrictCsmsHarness.StartAsync(configuration: new Dictionary<string, string>
        {
            ["LocalAuthListMaxLength"] = "20000",
            ["SendLocalListMaxLength"] = "20000",
        });
        var id = await h.StartAcceptedAsync();
        var list = new List<object>();
        var expiry = Iso(DateTimeOffset.UtcNow.AddYears(1));
        var size = 0;
        while (size < 1024 * 1024)
        {
            var entry = new { idTag = $"STRICT-{list.Count:00000000}", idTagInfo = new { status = "Accepted", expiryDate = expiry, parentIdTag = "STRICT-PARENT-01" } };
            list.Add(entry);
            size += JsonSerializer.SerializeToUtf8Bytes(entry).Length + 1;
        }

        var reply = await h.AnsweredAsync(id, "SendLocalList", new { listVersion = 7, updateType = "Full", localAuthorizationList = list }, TimeSpan.FromSeconds(15));
        Assert.Equal("Accepted", Str(reply, "status"));
        var version = await h.AnsweredAsync(id, "GetLocalListVersion", new { });
        Assert.Equal(7, version.GetProperty("listVersion").GetInt32());
        Assert.Equal(1, h.Connections(id));
        h.Csms.AssertNoViolations();
    }

    [Fact]
    public async Task A_binary_frame_from_the_CSMS_is_ignored_and_a_TriggerMessage_still_works_on_the_same_connection()
    {
        await using var h = await StrictCsmsHarness.StartAsync();
        var id = await h.StartAcceptedAsync();
        await h.Csms.SendBinaryFrameAsync(id, [0x00, 0x01, 0x02, 0xFF, 0x5B, 0x32]);

        var before = h.Calls(id, "Heartbeat").Count;
        var trigger = await h.Csms.CallAsync(id, "TriggerMessage", new { requestedMessage = "Heartbeat" });
        Assert.True(trigger.Status == "Accepted", trigger.ToString());
        await h.NextCallAsync(id, "Heartbeat", before);
        Assert.Equal(1, h.Connections(id));
        Assert.Empty(h.Csms.Of(id, "disconnect"));
        h.Csms.AssertNoViolations();
    }

    [Fact]
    public async Task Every_other_core_and_management_action_is_answered_schema_valid_with_the_expected_status()
    {
        await using var files = await FileServer.StartAsync();
        await using var h = await StrictCsmsHarness.StartAsync();
        var id = await h.StartAcceptedAsync();
        async Task<JsonElement> Call(string action, object payload) => await h.AnsweredAsync(id, action, payload);

        Assert.Equal("Accepted", Str(await Call("ChangeAvailability", new { connectorId = 2, type = "Inoperative" }), "status"));
        Assert.Equal("Accepted", Str(await Call("ChangeAvailability", new { connectorId = 2, type = "Operative" }), "status"));
        Assert.Equal("Accepted", Str(await Call("ChangeConfiguration", new { key = "MeterValueSampleInterval", value = "5" }), "status"));
        Assert.Equal("NotSupported", Str(await Call("ChangeConfiguration", new { key = "NoSuchKeyAnywhere", value = "1" }), "status"));
        Assert.Equal("Accepted", Str(await Call("ClearCache", new { }), "status"));

        var echo = await Call("DataTransfer", new { vendorId = "FleetSim", messageId = "Echo", data = "strict" });
        Assert.Equal("Accepted", Str(echo, "status"));
        Assert.Equal("strict", Str(echo, "data"));
        Assert.Equal("UnknownVendorId", Str(await Call("DataTransfer", new { vendorId = "SomebodyElse" }), "status"));

        var configuration = await Call("GetConfiguration", new { key = new[] { "MeterValueSampleInterval", "NoSuchKeyAnywhere" } });
        Assert.Equal("5", configuration.GetProperty("configurationKey")[0].GetProperty("value").GetString());
        Assert.Equal("NoSuchKeyAnywhere", configuration.GetProperty("unknownKey")[0].GetString());
        Assert.True((await Call("GetConfiguration", new { })).GetProperty("configurationKey").GetArrayLength() > 20);

        Assert.Equal("Unlocked", Str(await Call("UnlockConnector", new { connectorId = 1 }), "status"));
        Assert.Equal(0, (await Call("GetLocalListVersion", new { })).GetProperty("listVersion").GetInt32());
        var full = new { listVersion = 3, updateType = "Full", localAuthorizationList = new[] { new { idTag = "STRICT-LOCAL-1", idTagInfo = new { status = "Accepted" } } } };
        Assert.Equal("Accepted", Str(await Call("SendLocalList", full), "status"));
        var differential = new { listVersion = 4, updateType = "Differential", localAuthorizationList = new[] { new { idTag = "STRICT-LOCAL-2", idTagInfo = new { status = "Blocked" } } } };
        Assert.Equal("Accepted", Str(await Call("SendLocalList", differential), "status"));
        Assert.Equal("VersionMismatch", Str(await Call("SendLocalList", differential), "status"));
        Assert.Equal(4, (await Call("GetLocalListVersion", new { })).GetProperty("listVersion").GetInt32());

        var expiry = Iso(DateTimeOffset.UtcNow.AddMinutes(10));
        Assert.Equal("Accepted", Str(await Call("ReserveNow", new { connectorId = 2, expiryDate = expiry, idTag = "STRICT-RES", reservationId = 7 }), "status"));
        Assert.Equal("Accepted", Str(await Call("CancelReservation", new { reservationId = 7 }), "status"));
        Assert.Equal("Rejected", Str(await Call("CancelReservation", new { reservationId = 7 }), "status"));

        var profile = new
        {
            chargingProfileId = 11,
            stackLevel = 0,
            chargingProfilePurpose = "TxDefaultProfile",
            chargingProfileKind = "Absolute",
            chargingSchedule = new
            {
                startSchedule = Iso(DateTimeOffset.UtcNow.AddMinutes(-1)),
                chargingRateUnit = "W",
                chargingSchedulePeriod = new[] { new { startPeriod = 0, limit = 7400.0 } },
            },
        };
        Assert.Equal("Accepted", Str(await Call("SetChargingProfile", new { connectorId = 1, csChargingProfiles = profile }), "status"));
        var composite = await Call("GetCompositeSchedule", new { connectorId = 1, duration = 600, chargingRateUnit = "W" });
        Assert.Equal("Accepted", Str(composite, "status"));
        Assert.All(composite.GetProperty("chargingSchedule").GetProperty("chargingSchedulePeriod").EnumerateArray(),
            p => Assert.True(p.GetProperty("limit").GetDouble() <= 7400, p.GetRawText()));
        Assert.Equal("Accepted", Str(await Call("ClearChargingProfile", new { id = 11 }), "status"));
        Assert.Equal("Unknown", Str(await Call("ClearChargingProfile", new { id = 11 }), "status"));

        var diagnostics = await Call("GetDiagnostics", new { location = new Uri(files.BaseUrl, "upload/").ToString() });
        var fileName = Str(diagnostics, "fileName");
        await Await.ConditionAsync(() => files.Uploads.ContainsKey(fileName), StrictCsmsHarness.Wait, $"the diagnostics file {fileName} uploaded");
        await h.NextCallAsync(id, "DiagnosticsStatusNotification", 0, d => Str(d.Payload, "status") == "Uploaded");

        // Retrieved an hour from now: answered now, nothing downloaded during the test.
        var firmware = await Call("UpdateFirmware", new { location = new Uri(files.BaseUrl, "firmware.bin").ToString(), retrieveDate = Iso(DateTimeOffset.UtcNow.AddHours(1)) });
        Assert.Equal(JsonValueKind.Object, firmware.ValueKind);

        var boots = h.Calls(id, "BootNotification").Count;
        Assert.Equal("Accepted", Str(await Call("Reset", new { type = "Soft" }), "status"));
        await h.NextCallAsync(id, "BootNotification", boots);
        Assert.NotEmpty(h.Csms.Of(id, "disconnect"));
        h.Csms.AssertNoViolations();
    }

    [Fact]
    public async Task Every_security_action_is_answered_schema_valid_with_the_expected_status()
    {
        await using var files = await FileServer.StartAsync();
        using var centralRoot = CertificateAuthority.Create("Strict CSMS root", "Strict CPO");
        using var manufacturer = CertificateAuthority.Create("Strict manufacturer root", "Strict Manufacturer");
        await using var h = await StrictCsmsHarness.StartAsync(securityProfile1: true);
        var id = await h.StartAcceptedAsync();
        async Task<JsonElement> Call(string action, object payload) => await h.AnsweredAsync(id, action, payload);

        Assert.Equal("NotFound", Str(await Call("GetInstalledCertificateIds", new { certificateType = "CentralSystemRootCertificate" }), "status"));
        Assert.Equal("Accepted", Str(await Call("InstallCertificate", new { certificateType = "CentralSystemRootCertificate", certificate = centralRoot.CertificatePem }), "status"));
        Assert.Equal("Rejected", Str(await Call("InstallCertificate", new { certificateType = "CentralSystemRootCertificate", certificate = "-----BEGIN CERTIFICATE-----\nnot one\n-----END CERTIFICATE-----" }), "status"));
        var installed = await Call("GetInstalledCertificateIds", new { certificateType = "CentralSystemRootCertificate" });
        Assert.Equal("Accepted", Str(installed, "status"));
        var hash = installed.GetProperty("certificateHashData")[0];
        Assert.Equal(Convert.ToHexString(SHA256.HashData(centralRoot.Certificate.IssuerName.RawData)), hash.GetProperty("issuerNameHash").GetString(), ignoreCase: true);

        // A02: trigger the CSR, sign it with the installed root, send the chain back.
        var signs = h.Calls(id, "SignCertificate").Count;
        Assert.Equal("Accepted", Str(await Call("ExtendedTriggerMessage", new { requestedMessage = "SignChargePointCertificate" }), "status"));
        var csr = Str((await h.NextCallAsync(id, "SignCertificate", signs)).Payload, "csr");
        var chain = centralRoot.SignCsr(csr, id, "Strict CPO", TimeSpan.FromDays(30));
        Assert.Equal("Accepted", Str(await Call("CertificateSigned", new { certificateChain = chain }), "status"));
        Assert.Equal("Rejected", Str(await Call("CertificateSigned", new { certificateChain = chain }), "status"));   // no CSR pending any more

        Assert.Equal("Accepted", Str(await Call("DeleteCertificate", new { certificateHashData = hash }), "status"));
        Assert.Equal("NotFound", Str(await Call("DeleteCertificate", new { certificateHashData = hash }), "status"));

        var log = await Call("GetLog", new { logType = "SecurityLog", requestId = 3, log = new { remoteLocation = new Uri(files.BaseUrl, "upload/").ToString() } });
        Assert.Equal("Accepted", Str(log, "status"));
        var logFile = Str(log, "filename");
        await Await.ConditionAsync(() => files.Uploads.ContainsKey(logFile), StrictCsmsHarness.Wait, $"the security log {logFile} uploaded");
        await h.NextCallAsync(id, "LogStatusNotification", 0, l => Str(l.Payload, "status") == "Uploaded" && Str(l.Payload, "requestId") == "3");

        // L01: the signing certificate must chain to an installed ManufacturerRoot; retrieved an hour from now.
        using var signing = manufacturer.IssueClientCertificate("firmware-signer", "Strict Manufacturer");
        using var key = signing.GetECDsaPrivateKey()!;
        var signed = new
        {
            requestId = 4,
            firmware = new
            {
                location = new Uri(files.BaseUrl, "firmware.bin").ToString(),
                retrieveDateTime = Iso(DateTimeOffset.UtcNow.AddHours(1)),
                signingCertificate = signing.ExportCertificatePem(),
                signature = Convert.ToBase64String(key.SignData(files.Firmware, HashAlgorithmName.SHA256)),
            },
        };
        Assert.Equal("InvalidCertificate", Str(await Call("SignedUpdateFirmware", signed), "status"));
        Assert.Equal("Accepted", Str(await Call("InstallCertificate", new { certificateType = "ManufacturerRootCertificate", certificate = manufacturer.CertificatePem }), "status"));
        Assert.Equal("Accepted", Str(await Call("SignedUpdateFirmware", signed), "status"));

        // The legacy UpdateFirmware is replaced by SignedUpdateFirmware on a charge point with the security extension (L01.FR.20).
        var legacy = await h.Csms.CallAsync(id, "UpdateFirmware", new { location = new Uri(files.BaseUrl, "firmware.bin").ToString(), retrieveDate = Iso(DateTimeOffset.UtcNow.AddHours(1)) });
        Assert.Equal("NotSupported", legacy.ErrorCode);
        h.Csms.AssertNoViolations();
    }
}
