using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Simulator.Csms;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Plan;
using Simulator.Metrics;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Security;
using Simulator.Ocpp.V16.Types;
using Simulator.Transport;
using static Simulator.Fleet.Tests.Security.SecureFleet;
using Firmware = Simulator.Ocpp.V16.Types.Firmware;

namespace Simulator.Fleet.Tests.Security;

/// <summary>Charge-point actors against the embedded CSMS at security profiles 1–3, with certificates the tests make.</summary>
[Collection("security end-to-end")]
public class SecurityEndToEndTests
{
    private static SecurityPlan Plan(int profile, string? key = Key) => new() { Profile = profile, AuthorizationKey = key, CpoName = Cpo };

    private static FleetSecurityMaterials Trusting(CertificateAuthority authority, IClientCertificateIssuer? issuer = null) =>
        new() { CentralSystemRoots = [authority.Certificate], ClientCertificateIssuer = issuer };

    private static TestIssuer CsmsIssuer(CertificateAuthority authority) => new(authority.Certificate, (id, o) => authority.IssueClientCertificate(id, o));

    [Fact]
    public async Task Profile_1_connects_with_the_key_and_a_wrong_password_gives_FailedToAuthenticationAtCentralSystem()
    {
        await using (var good = await StartAsync(1, Plan(1)))
        {
            good.StartAll();
            await good.WaitBootedAsync(good.Ids[0]);
        }
        await using var bad = await StartAsync(1, Plan(1, "ffeeddccbbaa99887766554433221100"));
        bad.StartAll();
        await WaitUntilAsync(() => bad.Attempts(ConnectResults.Http(401)) >= 2 && bad.SecurityEvents("FailedToAuthenticationAtCentralSystem") >= 2, "401s and events", describe: bad.Describe);
        Assert.False(bad.State(bad.Ids[0]).Snapshot().Booted);
    }

    [Fact]
    public async Task Profile_2_trusts_the_installed_root_and_an_untrusted_server_gives_InvalidCentralSystemCertificate()
    {
        await using (var good = await StartAsync(2, Plan(2), materials: a => Trusting(a)))
        {
            good.StartAll();
            await good.WaitBootedAsync(good.Ids[0]);
            Assert.Equal(0, good.Telemetry.Snapshot().ConnectionAttempts.Where(a => a.Key != ConnectResults.Ok).Sum(a => a.Value));
        }
        using var stranger = CertificateAuthority.Create("Somebody else's root");
        await using var bad = await StartAsync(2, Plan(2), materials: _ => Trusting(stranger));
        bad.StartAll();
        await WaitUntilAsync(() => bad.Attempts("tls_certificate") >= 2 && bad.SecurityEvents("InvalidCentralSystemCertificate") >= 2, "untrusted-server failures", describe: bad.Describe);
        Assert.Equal(0, bad.Attempts(ConnectResults.Ok));
    }

    [Fact]
    public async Task Profile_3_connects_with_a_certificate_from_the_CSMS_CA()
    {
        await using var fleet = await StartAsync(3, Plan(3, null), count: 2, materials: a => Trusting(a, CsmsIssuer(a)));
        fleet.StartAll();
        foreach (var id in fleet.Ids)
        {
            await fleet.WaitBootedAsync(id);
            Assert.NotNull(fleet.State(id).ClientCertificateSerial);
        }
    }

    [Theory]
    [InlineData("foreign")]
    [InlineData("expired")]
    public async Task Profile_3_refuses_a_foreign_or_expired_client_certificate(string kind)
    {
        using var foreign = new ThrowawayCertificateAuthority();
        await using var fleet = await StartAsync(3, Plan(3, null), materials: a => Trusting(a, kind == "foreign"
            ? foreign
            : new TestIssuer(a.Certificate, (id, o) => a.IssueClientCertificate(id, o, DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1)))));
        fleet.StartAll();
        await WaitUntilAsync(() => fleet.Telemetry.Snapshot().ConnectionAttempts.Where(a => a.Key != ConnectResults.Ok).Sum(a => a.Value) >= 2, "refused attempts");
        Assert.Equal(0, fleet.Attempts(ConnectResults.Ok));
        Assert.False(fleet.State(fleet.Ids[0]).Snapshot().Booted);
    }

    [Fact]
    public async Task Key_rotation_reconnects_with_the_new_key_and_the_old_one_stops_working()
    {
        await using var fleet = await StartAsync(1, Plan(1));
        fleet.StartAll();
        var id = fleet.Ids[0];
        await fleet.WaitBootedAsync(id);
        var connectionsBefore = fleet.State(id).Snapshot().Connections;
        const string rotated = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
        fleet.Server.SetAuthorizationKey(id, rotated);   // A01.FR.03: the CSMS stops accepting the old key at once
        var outcome = await fleet.Server.CallAsync(id, new ChangeConfigurationRequest { Key = "AuthorizationKey", Value = rotated });
        Assert.Equal(ConfigurationStatus.Accepted, Assert.IsType<ChangeConfigurationResponse>(outcome.Response).Status);
        await WaitUntilAsync(() => fleet.State(id).Snapshot() is { Connections: var c, Connected: true } && c > connectionsBefore, "a reconnect with the new key");
        Assert.Equal(0, fleet.Attempts(ConnectResults.Http(401)));

        var connector = new WebSocketConnector(new ConnectionSettings(fleet.Server.Url));
        var old = await connector.ConnectAsync(new ConnectionTarget(id) { AuthorizationKey = Key });
        Assert.Equal(401, old.Failure?.StatusCode);
    }

    [Fact]
    public async Task A02_trigger_CSR_CertificateSigned_and_the_next_connection_uses_the_new_certificate()
    {
        await using var fleet = await StartAsync(3, Plan(3, null), materials: a => Trusting(a, CsmsIssuer(a)));
        fleet.StartAll();
        var id = fleet.Ids[0];
        await fleet.WaitBootedAsync(id);
        var first = fleet.State(id).ClientCertificateSerial;
        var trigger = await fleet.Server.CallAsync(id, new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.SignChargePointCertificate });
        Assert.Equal(ExtendedTriggerMessageStatus.Accepted, Assert.IsType<ExtendedTriggerMessageResponse>(trigger.Response).Status);
        await WaitUntilAsync(() => fleet.State(id).Snapshot().LastCertificateSigned == "Accepted", "CertificateSigned Accepted");
        await fleet.Server.Faults.DropAllAsync(DropMode.Abort);
        await WaitUntilAsync(() => fleet.State(id).ClientCertificateSerial is { } now && now != first && fleet.Server.ConnectedIds.Contains(id), "a connection with the new certificate");
    }

    [Fact]
    public async Task CertificateSigned_from_a_CA_the_charge_point_does_not_know_is_Rejected_with_InvalidChargePointCertificate()
    {
        await using var fleet = await StartAsync(1, Plan(1));   // no roots installed: the CSMS's CA is foreign to this charge point
        fleet.StartAll();
        var id = fleet.Ids[0];
        await fleet.WaitBootedAsync(id);
        await fleet.Server.CallAsync(id, new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.SignChargePointCertificate });
        await WaitUntilAsync(() => fleet.State(id).Snapshot().LastCertificateSigned == "Rejected", "CertificateSigned Rejected");
        await WaitUntilAsync(() => fleet.CsmsGotEvent(id, "InvalidChargePointCertificate"), "the InvalidChargePointCertificate event");
    }

    [Fact]
    public async Task SecurityProfile_downgrade_is_Rejected_and_an_upgrade_that_cannot_connect_falls_back()
    {
        await using var fleet = await StartAsync(1, Plan(1), materials: a => Trusting(a));
        fleet.StartAll();
        var id = fleet.Ids[0];
        await fleet.WaitBootedAsync(id);
        var down = await fleet.Server.CallAsync(id, new ChangeConfigurationRequest { Key = "SecurityProfile", Value = "0" });
        Assert.True(down.Response is ChangeConfigurationResponse, $"{down.Status} {down.ErrorCode} {down.Description}");
        Assert.Equal(ConfigurationStatus.Rejected, Assert.IsType<ChangeConfigurationResponse>(down.Response).Status);

        var connections = fleet.State(id).Snapshot().Connections;
        var up = await fleet.Server.CallAsync(id, new ChangeConfigurationRequest { Key = "SecurityProfile", Value = "2" });
        Assert.Equal(ConfigurationStatus.Accepted, Assert.IsType<ChangeConfigurationResponse>(up.Response).Status);
        // This CSMS serves profile 1 only: wss on its port fails, and the charge point goes back to profile 1 (A05.FR.08).
        await WaitUntilAsync(() => fleet.State(id).Snapshot() is { Connections: var c, Connected: true } && c > connections, "the fallback connection");
        var now = await fleet.Server.CallAsync(id, new GetConfigurationRequest { Key = ["SecurityProfile"] });
        Assert.Equal("1", Assert.IsType<GetConfigurationResponse>(now.Response).ConfigurationKey!.Single().Value);
    }

    [Fact]
    public async Task GetInstalledCertificateIds_matches_openssl_for_the_CSMS_root()
    {
        await using var fleet = await StartAsync(2, Plan(2), materials: a => Trusting(a));
        fleet.StartAll();
        var id = fleet.Ids[0];
        await fleet.WaitBootedAsync(id);
        var outcome = await fleet.Server.CallAsync(id, new GetInstalledCertificateIdsRequest { CertificateType = CertificateUse.CentralSystemRootCertificate });
        var data = Assert.Single(Assert.IsType<GetInstalledCertificateIdsResponse>(outcome.Response).CertificateHashData!);
        var root = fleet.Server.Authority.Certificate;
        if (!File.Exists("/usr/bin/openssl"))
        {
            Assert.Equal(Convert.ToHexString(SHA256.HashData(root.IssuerName.RawData)), data.IssuerNameHash, ignoreCase: true);
            return;
        }
        var dir = Directory.CreateTempSubdirectory("fleetsim-e2e-").FullName;
        try
        {
            var pem = Path.Combine(dir, "ca.pem");
            File.WriteAllText(pem, root.ExportCertificatePem());
            var start = new ProcessStartInfo("/usr/bin/openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "ocsp", "-issuer", pem, "-sha256", "-cert", pem, "-req_text", "-no_nonce" })
            {
                start.ArgumentList.Add(a);
            }
            using var process = Process.Start(start)!;
            var text = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            string Field(string name) => text.Split('\n').First(l => l.TrimStart().StartsWith(name, StringComparison.Ordinal)).Split(':', 2)[1].Trim();
            Assert.Equal(Field("Issuer Name Hash"), data.IssuerNameHash, ignoreCase: true);
            Assert.Equal(Field("Issuer Key Hash"), data.IssuerKeyHash, ignoreCase: true);
            Assert.Equal(Field("Serial Number").TrimStart('0'), data.SerialNumber, ignoreCase: true);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task DeleteCertificate_refuses_the_root_the_server_chains_to_and_deletes_another()
    {
        await using var fleet = await StartAsync(2, Plan(2), materials: a => Trusting(a));
        fleet.StartAll();
        var id = fleet.Ids[0];
        await fleet.WaitBootedAsync(id);
        using var other = CertificateAuthority.Create("Next root");
        var install = await fleet.Server.CallAsync(id, new InstallCertificateRequest { CertificateType = CertificateUse.CentralSystemRootCertificate, Certificate = other.CertificatePem });
        Assert.Equal(InstallCertificateStatus.Accepted, Assert.IsType<InstallCertificateResponse>(install.Response).Status);
        var ids = await fleet.Server.CallAsync(id, new GetInstalledCertificateIdsRequest { CertificateType = CertificateUse.CentralSystemRootCertificate });
        var hashes = Assert.IsType<GetInstalledCertificateIdsResponse>(ids.Response).CertificateHashData!;
        Assert.Equal(2, hashes.Count);
        var csmsRoot = fleet.Server.Authority.Certificate;
        var inUse = hashes.Single(h => string.Equals(h.IssuerNameHash, Convert.ToHexString(SHA256.HashData(csmsRoot.IssuerName.RawData)), StringComparison.OrdinalIgnoreCase));
        var failed = await fleet.Server.CallAsync(id, new DeleteCertificateRequest { CertificateHashData = inUse });
        Assert.Equal(DeleteCertificateStatus.Failed, Assert.IsType<DeleteCertificateResponse>(failed.Response).Status);
        var deleted = await fleet.Server.CallAsync(id, new DeleteCertificateRequest { CertificateHashData = hashes.Single(h => h != inUse) });
        Assert.Equal(DeleteCertificateStatus.Accepted, Assert.IsType<DeleteCertificateResponse>(deleted.Response).Status);
        var again = await fleet.Server.CallAsync(id, new DeleteCertificateRequest { CertificateHashData = hashes.Single(h => h != inUse) });
        Assert.Equal(DeleteCertificateStatus.NotFound, Assert.IsType<DeleteCertificateResponse>(again.Response).Status);
    }

    [Fact]
    public async Task GetLog_uploads_the_security_log_to_an_HTTP_endpoint_with_Uploading_then_Uploaded()
    {
        using var files = new FileServer();
        await using var fleet = await StartAsync(1, Plan(1));
        fleet.StartAll();
        var id = fleet.Ids[0];
        await fleet.WaitBootedAsync(id);
        var outcome = await fleet.Server.CallAsync(id, new GetLogRequest { LogType = LogType.SecurityLog, RequestId = 5, Log = new LogParameters { RemoteLocation = files.BaseUrl + "logs/" } });
        var answer = Assert.IsType<GetLogResponse>(outcome.Response);
        Assert.Equal(LogStatus.Accepted, answer.Status);
        await WaitUntilAsync(() => fleet.State(id).LogStatusHistory.Count == 2, "two LogStatusNotifications");
        Assert.Equal(["Uploading#5", "Uploaded#5"], fleet.State(id).LogStatusHistory);
        var body = Encoding.UTF8.GetString(files.Uploads["/logs/" + answer.Filename]);
        Assert.Contains("StartupOfTheDevice", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signed_firmware_with_a_bad_signature_or_an_untrusted_signer_is_refused_with_the_events()
    {
        using var files = new FileServer();
        using var makerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var maker = new CertificateRequest("CN=Maker Root, O=Maker", makerKey, HashAlgorithmName.SHA256) { CertificateExtensions = { new X509BasicConstraintsExtension(true, false, 0, true) } }
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var signerKey = RSA.Create(2048);
        using var signer = new CertificateRequest("CN=Firmware Signer, O=Maker", signerKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)
            .Create(maker.SubjectName, X509SignatureGenerator.CreateForECDsa(makerKey), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), [1, 2, 3]);
        using var strangerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = new CertificateRequest("CN=Stranger, O=Nobody", strangerKey, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        files.Files["/fw/v2.bin"] = Encoding.ASCII.GetBytes("firmware v2");

        await using var fleet = await StartAsync(1, Plan(1));
        fleet.StartAll();
        var id = fleet.Ids[0];
        await fleet.WaitBootedAsync(id);
        var install = await fleet.Server.CallAsync(id, new InstallCertificateRequest { CertificateType = CertificateUse.ManufacturerRootCertificate, Certificate = maker.ExportCertificatePem() });
        Assert.Equal(InstallCertificateStatus.Accepted, Assert.IsType<InstallCertificateResponse>(install.Response).Status);

        SignedUpdateFirmwareRequest Update(X509Certificate2 signing, byte[] signature) => new()
        {
            RequestId = 9,
            Firmware = new Firmware
            {
                Location = files.BaseUrl + "fw/v2.bin",
                RetrieveDateTime = DateTimeOffset.UtcNow,
                SigningCertificate = signing.ExportCertificatePem(),
                Signature = Convert.ToBase64String(signature),
            },
        };
        var untrusted = await fleet.Server.CallAsync(id, Update(stranger, strangerKey.SignData("firmware v2"u8.ToArray(), HashAlgorithmName.SHA256)));
        Assert.Equal(SignedUpdateFirmwareStatus.InvalidCertificate, Assert.IsType<SignedUpdateFirmwareResponse>(untrusted.Response).Status);
        await WaitUntilAsync(() => fleet.CsmsGotEvent(id, "InvalidFirmwareSigningCertificate"), "the InvalidFirmwareSigningCertificate event");

        var wrong = signerKey.SignData("something else"u8.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        var accepted = await fleet.Server.CallAsync(id, Update(signer, wrong));
        Assert.Equal(SignedUpdateFirmwareStatus.Accepted, Assert.IsType<SignedUpdateFirmwareResponse>(accepted.Response).Status);
        await WaitUntilAsync(() => fleet.State(id).SignedFirmwareStatusHistory is [.., "InvalidSignature#9"], "InvalidSignature");
        Assert.Equal(["Downloading#9", "Downloaded#9", "InvalidSignature#9"], fleet.State(id).SignedFirmwareStatusHistory);
        await WaitUntilAsync(() => fleet.CsmsGotEvent(id, "InvalidFirmwareSignature"), "the InvalidFirmwareSignature event");
    }
}
