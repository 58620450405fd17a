using System.Diagnostics;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Simulator.ChargePoint.Security;
using Simulator.ChargePoint.Tests.Model;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.FirmwareManagement;
using Simulator.Ocpp.V16.Security;
using Simulator.Ocpp.V16.Types;
using HashAlgorithm = Simulator.Ocpp.V16.Types.HashAlgorithm;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.Tests.Security;

public class SecurityModelTests
{
    private const string Key = "00112233445566778899aabbccddeeff";

    private static Harness Secure(TestPki? csmsCa = null, Dictionary<string, string>? config = null, Func<ChargePointOptions, ChargePointOptions>? tweak = null)
    {
        var configuration = config ?? new() { [K.SecurityProfile] = "1", [K.AuthorizationKey] = Key, [K.CpoName] = "ACME CPO" };
        return new Harness(configuration, tweak: o =>
        {
            var withRoots = csmsCa is null ? o : o with { CentralSystemRootCertificates = [X509CertificateLoader.LoadCertificate(csmsCa.Root.RawData)] };
            return tweak is null ? withRoots : tweak(withRoots);
        }).Boot();
    }

    private static List<SecurityEventNotificationRequest> Events(Harness h) => h.SentOf<SecurityEventNotificationRequest>().ToList();

    [Fact]
    public void Without_the_extension_security_actions_are_NotSupported_and_UpdateFirmware_works()
    {
        var h = new Harness().Boot();
        Assert.False(h.Model.SecurityExtensionEnabled);
        var reply = h.Model.HandleCall(new GetInstalledCertificateIdsRequest { CertificateType = CertificateUse.CentralSystemRootCertificate });
        Assert.Equal(OcppErrorCode.NotSupported, reply.ErrorCode);
        Assert.DoesNotContain("Security", h.Model.Configuration.Get(K.SupportedFeatureProfiles)!.Split(','));
        Assert.Null(h.Model.HandleCall(new UpdateFirmwareRequest { Location = "http://x/fw.bin", RetrieveDate = h.CsmsNow }).ErrorCode);
    }

    [Fact]
    public void With_the_extension_SupportedFeatureProfiles_lists_Security_UpdateFirmware_is_NotSupported_and_StartupOfTheDevice_is_delivered()
    {
        var h = Secure();
        Assert.True(h.Model.SecurityExtensionEnabled);
        Assert.Contains("Security", h.Model.Configuration.Get(K.SupportedFeatureProfiles)!.Split(','));
        Assert.Equal(OcppErrorCode.NotSupported, h.Model.HandleCall(new UpdateFirmwareRequest { Location = "http://x/fw.bin", RetrieveDate = h.CsmsNow }).ErrorCode);
        Assert.Contains(Events(h), e => e.Type == SecurityEventTypes.StartupOfTheDevice);
        Assert.Equal(0, h.Model.OfflineQueueDepth);
        var keys = h.Reply<GetConfigurationResponse>(new GetConfigurationRequest()).ConfigurationKey!;
        Assert.Contains(keys, k => k is { Key: K.SecurityProfile, Readonly: false, Value: "1" });
        Assert.Contains(keys, k => k is { Key: K.CpoName, Readonly: false });
        Assert.Contains(keys, k => k is { Key: K.CertificateStoreMaxLength, Readonly: true });
        Assert.Contains(keys, k => k is { Key: K.AdditionalRootCertificateCheck, Readonly: true });
        Assert.Contains(keys, k => k is { Key: K.CertificateSignedMaxChainSize, Readonly: true });
        Assert.DoesNotContain(keys, k => k.Key == K.AuthorizationKey);
    }

    [Fact]
    public void A_critical_event_raised_offline_is_queued_and_delivered_after_reconnecting_with_its_original_timestamp()
    {
        var h = Secure();
        h.Model.OnDisconnected();
        h.Reply<ResetResponse>(new ResetRequest { Type = ResetType.Hard });   // allowed offline in the model: the reset is local
        h.DrainSignals();
        Assert.Equal(1, h.Model.OfflineQueueDepth);
        var raisedAt = h.CsmsNow;
        h.Clock.Advance(TimeSpan.FromMinutes(5));
        h.Model.OnConnected();
        h.Pump();
        var reboot = Assert.Single(Events(h), e => e.Type == SecurityEventTypes.ResetOrReboot);
        Assert.Equal(raisedAt, reboot.Timestamp);
        Assert.Equal(0, h.Model.OfflineQueueDepth);
    }

    [Fact]
    public void A_connect_failure_logs_its_event_and_sends_it_once_online()
    {
        var h = Secure();
        h.Model.OnDisconnected();
        h.Model.OnConnectFailed("InvalidCentralSystemCertificate", "The server certificate was refused: RemoteCertificateChainErrors.");
        h.DrainSignals();
        Assert.Contains(h.SignalsOf<SecurityEventRaised>(), s => s is { Type: SecurityEventTypes.InvalidCentralSystemCertificate, Critical: false });
        Assert.Contains(h.Model.SecurityLog.Entries, e => e.Type == SecurityEventTypes.InvalidCentralSystemCertificate);
        h.Model.OnConnected();
        h.Pump();
        Assert.Contains(Events(h), e => e.Type == SecurityEventTypes.InvalidCentralSystemCertificate);
        // The 2.0.1 spelling is accepted and mapped to the ed3 name.
        h.Model.OnConnectFailed("FailedToAuthenticateAtCsms", null);
        h.Pump();
        Assert.Contains(Events(h), e => e.Type == SecurityEventTypes.FailedToAuthenticationAtCentralSystem);
    }

    [Fact]
    public void InstallCertificate_accepts_a_CA_rejects_garbage_leaves_and_a_full_store()
    {
        using var ca = new TestPki("Root A");
        var h = Secure(config: new() { [K.SecurityProfile] = "1", [K.AuthorizationKey] = Key, [K.CertificateStoreMaxLength] = "2" });
        InstallCertificateStatus Install(CertificateUse use, string pem) =>
            h.Reply<InstallCertificateResponse>(new InstallCertificateRequest { CertificateType = use, Certificate = pem }).Status;

        Assert.Equal(InstallCertificateStatus.Accepted, Install(CertificateUse.CentralSystemRootCertificate, ca.RootPem));
        Assert.Equal(InstallCertificateStatus.Accepted, Install(CertificateUse.CentralSystemRootCertificate, ca.RootPem));   // idempotent
        Assert.Equal(InstallCertificateStatus.Rejected, Install(CertificateUse.CentralSystemRootCertificate, "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----"));
        using var leafKey = ECDsa.Create();
        using var leaf = ca.Sign(new CertificateRequest(TestPki.Name("leaf", "x"), leafKey, HashAlgorithmName.SHA256));
        Assert.Equal(InstallCertificateStatus.Rejected, Install(CertificateUse.ManufacturerRootCertificate, leaf.ExportCertificatePem()));
        using var second = new TestPki("Root B");
        using var third = new TestPki("Root C");
        Assert.Equal(InstallCertificateStatus.Accepted, Install(CertificateUse.ManufacturerRootCertificate, second.RootPem));
        Assert.Equal(InstallCertificateStatus.Rejected, Install(CertificateUse.ManufacturerRootCertificate, third.RootPem));   // M05.FR.03
    }

    [Fact]
    public void AdditionalRootCertificateCheck_takes_only_a_new_root_signed_by_the_current_one_and_keeps_one_fallback()
    {
        using var first = new TestPki("Root 1");
        var h = Secure(first, new() { [K.SecurityProfile] = "1", [K.AuthorizationKey] = Key, [K.AdditionalRootCertificateCheck] = "true" });
        using var unrelated = new TestPki("Root X");
        Assert.Equal(InstallCertificateStatus.Rejected,
            h.Reply<InstallCertificateResponse>(new InstallCertificateRequest { CertificateType = CertificateUse.CentralSystemRootCertificate, Certificate = unrelated.RootPem }).Status);
        // The new root's key, certified by the old root (a cross-signed root).
        using var nextKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var crossSigned = first.Sign(new CertificateRequest(TestPki.Name("Root 2", "TestOrg"), nextKey, HashAlgorithmName.SHA256), ca: true);
        Assert.Equal(InstallCertificateStatus.Accepted,
            h.Reply<InstallCertificateResponse>(new InstallCertificateRequest { CertificateType = CertificateUse.CentralSystemRootCertificate, Certificate = crossSigned.ExportCertificatePem() }).Status);
        Assert.Equal(2, h.Model.Certificates.CentralSystemRoots.Count);
    }

    [Fact]
    public void GetInstalledCertificateIds_gives_the_RFC_6960_CertID_computed_by_hand_from_the_DER()
    {
        using var ca = new TestPki("Root A");
        var h = Secure(ca);
        Assert.Equal(GetInstalledCertificateStatus.NotFound,
            h.Reply<GetInstalledCertificateIdsResponse>(new GetInstalledCertificateIdsRequest { CertificateType = CertificateUse.ManufacturerRootCertificate }).Status);
        var answer = h.Reply<GetInstalledCertificateIdsResponse>(new GetInstalledCertificateIdsRequest { CertificateType = CertificateUse.CentralSystemRootCertificate });
        Assert.Equal(GetInstalledCertificateStatus.Accepted, answer.Status);
        var data = Assert.Single(answer.CertificateHashData!);

        var (issuerDer, subjectPublicKey, serial) = ParseByHand(ca.Root.RawData);
        Assert.Equal(HashAlgorithm.SHA256, data.HashAlgorithm);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(issuerDer)), data.IssuerNameHash, ignoreCase: true);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(subjectPublicKey)), data.IssuerKeyHash, ignoreCase: true);   // self-signed: issuer key = own key
        Assert.Equal(Convert.ToHexString(serial).TrimStart('0'), data.SerialNumber, ignoreCase: true);
        Assert.False(data.SerialNumber.StartsWith('0'));

        // A certificate with serial 00 3A 01 02 03, issued by the root: issuerKeyHash is the root's key, the serial loses its leading zeroes.
        using var leafKey = ECDsa.Create();
        using var leaf = ca.Sign(new CertificateRequest(TestPki.Name("leaf", "x"), leafKey, HashAlgorithmName.SHA256));
        var leafData = CertificateHashes.Compute(leaf, ca.Root, HashAlgorithm.SHA256);
        Assert.Equal("3a010203", leafData.SerialNumber);
        Assert.Equal(data.IssuerKeyHash, leafData.IssuerKeyHash);
    }

    [Fact]
    public void GetInstalledCertificateIds_matches_openssl_ocsp_req_text_when_openssl_is_installed()
    {
        if (!File.Exists("/usr/bin/openssl"))
        {
            return;   // the by-hand test above still holds
        }
        using var ca = new TestPki("Root A");
        var h = Secure(ca);
        var data = Assert.Single(h.Reply<GetInstalledCertificateIdsResponse>(new GetInstalledCertificateIdsRequest { CertificateType = CertificateUse.CentralSystemRootCertificate }).CertificateHashData!);
        var dir = Directory.CreateTempSubdirectory("fleetsim-ocsp-").FullName;
        try
        {
            var pem = Path.Combine(dir, "ca.pem");
            File.WriteAllText(pem, ca.RootPem);
            var start = new ProcessStartInfo("/usr/bin/openssl") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "ocsp", "-issuer", pem, "-sha256", "-cert", pem, "-req_text", "-no_nonce" })
            {
                start.ArgumentList.Add(a);
            }
            using var process = Process.Start(start)!;
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
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
    public void DeleteCertificate_finds_by_hash_data_case_insensitively_refuses_the_root_in_use_and_says_NotFound()
    {
        using var inUse = new TestPki("Root A");
        using var manufacturer = new TestPki("Maker");
        var h = Secure(inUse, new() { [K.SecurityProfile] = "2", [K.AuthorizationKey] = Key });
        h.Reply<InstallCertificateResponse>(new InstallCertificateRequest { CertificateType = CertificateUse.ManufacturerRootCertificate, Certificate = manufacturer.RootPem });

        var makerHash = CertificateHashes.Compute(manufacturer.Root, manufacturer.Root, HashAlgorithm.SHA384);
        var shouted = makerHash with { IssuerNameHash = makerHash.IssuerNameHash.ToUpperInvariant(), IssuerKeyHash = makerHash.IssuerKeyHash.ToUpperInvariant(), SerialNumber = "00" + makerHash.SerialNumber.ToUpperInvariant() };
        Assert.Equal(DeleteCertificateStatus.Accepted, h.Reply<DeleteCertificateResponse>(new DeleteCertificateRequest { CertificateHashData = shouted }).Status);
        Assert.Equal(DeleteCertificateStatus.NotFound, h.Reply<DeleteCertificateResponse>(new DeleteCertificateRequest { CertificateHashData = shouted }).Status);

        var rootHash = CertificateHashes.Compute(inUse.Root, inUse.Root, HashAlgorithm.SHA512);
        Assert.Equal(DeleteCertificateStatus.Failed, h.Reply<DeleteCertificateResponse>(new DeleteCertificateRequest { CertificateHashData = rootHash }).Status);
        Assert.Single(h.Model.Certificates.CentralSystemRoots);
    }

    [Fact]
    public void The_root_in_use_is_the_one_the_server_certificate_chains_to()
    {
        using var a = new TestPki("Root A");
        using var b = new TestPki("Root B");
        var h = Secure(a, new() { [K.SecurityProfile] = "2", [K.AuthorizationKey] = Key });
        h.Reply<InstallCertificateResponse>(new InstallCertificateRequest { CertificateType = CertificateUse.CentralSystemRootCertificate, Certificate = b.RootPem });
        using var serverKey = ECDsa.Create();
        using var server = b.Sign(new CertificateRequest(TestPki.Name("localhost", "CSMS"), serverKey, HashAlgorithmName.SHA256));
        h.Model.OnServerCertificate(server);
        DeleteCertificateStatus Delete(TestPki root) => h.Reply<DeleteCertificateResponse>(new DeleteCertificateRequest
        {
            CertificateHashData = CertificateHashes.Compute(root.Root, root.Root, HashAlgorithm.SHA256),
        }).Status;
        Assert.Equal(DeleteCertificateStatus.Failed, Delete(b));
        Assert.Equal(DeleteCertificateStatus.Accepted, Delete(a));
    }

    [Theory]
    [InlineData("1", ConfigurationStatus.Rejected)]   // equal (A05.FR.01)
    [InlineData("0", ConfigurationStatus.Rejected)]   // a downgrade
    [InlineData("3", ConfigurationStatus.Rejected)]   // no charge point certificate (A05.FR.04)
    [InlineData("2", ConfigurationStatus.Accepted)]
    [InlineData("x", ConfigurationStatus.Rejected)]
    public void SecurityProfile_may_only_go_up_and_only_with_what_the_new_profile_needs(string value, ConfigurationStatus expected)
    {
        using var ca = new TestPki();
        var h = Secure(ca);
        Assert.Equal(expected, h.Reply<ChangeConfigurationResponse>(new ChangeConfigurationRequest { Key = K.SecurityProfile, Value = value }).Status);
        h.Run(TimeSpan.FromSeconds(2));   // the grace period before the reconnect
        Assert.Equal(expected == ConfigurationStatus.Accepted ? 2 : 1, h.Model.SecurityProfile);
        Assert.Equal(expected == ConfigurationStatus.Accepted, h.SignalsOf<SecurityProfileChangeRequested>().Any(s => s is { From: 1, To: 2 }));
    }

    [Fact]
    public void SecurityProfile_2_needs_a_CentralSystemRoot_and_a_failed_first_connection_falls_back()
    {
        var bare = Secure();
        Assert.Equal(ConfigurationStatus.Rejected, bare.Reply<ChangeConfigurationResponse>(new ChangeConfigurationRequest { Key = K.SecurityProfile, Value = "2" }).Status);   // A05.FR.03

        using var ca = new TestPki();
        var h = Secure(ca);
        h.Reply<ChangeConfigurationResponse>(new ChangeConfigurationRequest { Key = K.SecurityProfile, Value = "2" });
        Assert.Equal(1, h.Model.RevertSecurityProfile());
        Assert.Equal(1, h.Model.SecurityProfile);
        Assert.Null(h.Model.RevertSecurityProfile());
        Assert.Contains(h.Model.SecurityLog.Entries, e => e.Type == SecurityEventTypes.ReconfigurationOfSecurityParameters && e.TechInfo!.Contains("fell back", StringComparison.Ordinal));
    }

    [Fact]
    public void AuthorizationKey_rotation_reconnects_and_logs_without_the_key()
    {
        var h = Secure();
        const string rotated = "ffeeddccbbaa99887766554433221100";
        Assert.Equal(ConfigurationStatus.Accepted, h.Reply<ChangeConfigurationResponse>(new ChangeConfigurationRequest { Key = K.AuthorizationKey, Value = rotated }).Status);
        h.Run(TimeSpan.FromSeconds(2));
        Assert.Single(h.SignalsOf<ReconnectRequested>());
        Assert.Equal(rotated, h.Model.Configuration.Get(K.AuthorizationKey));
        Assert.Contains(h.Model.SecurityLog.Entries, e => e.Type == SecurityEventTypes.ReconfigurationOfSecurityParameters && e.TechInfo == "AuthorizationKey changed");
        var everything = string.Join('\n', h.Signals.Select(s => s.ToString())) + h.Model.SecurityLog.Render("CP-1", null, null);
        Assert.DoesNotContain(rotated, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Key, everything, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A02_trigger_CSR_and_CertificateSigned_from_the_CSMS_CA_replace_the_charge_point_certificate()
    {
        using var ca = new TestPki("CSMS Root");
        var h = Secure(ca);
        Assert.Equal(ExtendedTriggerMessageStatus.Accepted,
            h.Reply<ExtendedTriggerMessageResponse>(new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.SignChargePointCertificate }).Status);
        h.Pump();
        var csr = Assert.Single(h.SentOf<SignCertificateRequest>()).Csr;
        var request = CertificateRequest.LoadSigningRequestPem(csr, HashAlgorithmName.SHA256);
        Assert.Contains("CN=CP-1", request.SubjectName.Name, StringComparison.Ordinal);
        Assert.Contains("O=ACME CPO", request.SubjectName.Name, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", csr, StringComparison.Ordinal);

        Assert.Equal(CertificateSignedStatus.Accepted, h.Reply<CertificateSignedResponse>(new CertificateSignedRequest { CertificateChain = ca.SignCsr(csr) }).Status);
        h.DrainSignals();
        var installed = h.Model.Certificates.ChargePointCertificate!;
        Assert.True(installed.HasPrivateKey);
        Assert.Contains("CN=CP-1", installed.Subject, StringComparison.Ordinal);
        Assert.Contains("O=ACME CPO", installed.Subject, StringComparison.Ordinal);
        Assert.Single(h.SignalsOf<ChargePointCertificateChanged>());
        // Upgrading to profile 3 is now possible (A05.FR.04).
        Assert.Equal(ConfigurationStatus.Accepted, h.Reply<ChangeConfigurationResponse>(new ChangeConfigurationRequest { Key = K.SecurityProfile, Value = "3" }).Status);
    }

    [Fact]
    public void A02_without_CpoName_the_trigger_is_Rejected()
    {
        var h = Secure(config: new() { [K.SecurityProfile] = "1", [K.AuthorizationKey] = Key });
        Assert.Equal(ExtendedTriggerMessageStatus.Rejected,
            h.Reply<ExtendedTriggerMessageResponse>(new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.SignChargePointCertificate }).Status);
    }

    [Theory]
    [InlineData("foreign")]
    [InlineData("expired")]
    [InlineData("other-key")]
    [InlineData("no-csr")]
    public void CertificateSigned_that_fails_the_checks_is_Rejected_with_InvalidChargePointCertificate(string fault)
    {
        using var ca = new TestPki("CSMS Root");
        using var foreign = new TestPki("Foreign Root");
        var h = Secure(ca, tweak: o => o with { CsrKeyType = CsrKeyType.Rsa2048 });
        string chain;
        if (fault == "no-csr")
        {
            using var key = ECDsa.Create();
            chain = ca.SignCsr(new CertificateRequest(TestPki.Name("CP-1", "ACME CPO"), key, HashAlgorithmName.SHA256).CreateSigningRequestPem());
        }
        else
        {
            h.Reply<ExtendedTriggerMessageResponse>(new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.SignChargePointCertificate });
            h.Pump();
            var csr = h.SentOf<SignCertificateRequest>().Single().Csr;
            using var otherKey = ECDsa.Create();
            chain = fault switch
            {
                "foreign" => foreign.SignCsr(csr),
                "expired" => ca.SignCsr(csr, Harness.Start.AddYears(-2), Harness.Start.AddDays(-1)),
                _ => ca.SignCsr(new CertificateRequest(TestPki.Name("CP-1", "ACME CPO"), otherKey, HashAlgorithmName.SHA256).CreateSigningRequestPem()),
            };
        }
        Assert.Equal(CertificateSignedStatus.Rejected, h.Reply<CertificateSignedResponse>(new CertificateSignedRequest { CertificateChain = chain }).Status);
        h.Pump();
        Assert.Contains(Events(h), e => e.Type == SecurityEventTypes.InvalidChargePointCertificate);
        Assert.Null(h.Model.Certificates.ChargePointCertificate);
    }

    [Fact]
    public void GetLog_uploads_the_security_log_with_one_requestId_and_a_new_request_cancels_the_running_one()
    {
        var h = Secure();
        h.Model.OnConnectFailed("InvalidTLSVersion", "server offered TLS 1.0");
        var first = h.Reply<GetLogResponse>(new GetLogRequest { LogType = LogType.SecurityLog, RequestId = 7, Log = new LogParameters { RemoteLocation = "http://logs.example/up/" } });
        Assert.Equal(LogStatus.Accepted, first.Status);
        Assert.StartsWith("security-CP-1-", first.Filename, StringComparison.Ordinal);
        h.Pump();
        var upload = Assert.Single(h.SignalsOf<LogUploadRequested>());
        var text = Encoding.UTF8.GetString(upload.Content.Span);
        Assert.Contains(SecurityEventTypes.StartupOfTheDevice, text, StringComparison.Ordinal);
        Assert.Contains(SecurityEventTypes.InvalidTLSVersion, text, StringComparison.Ordinal);

        var second = h.Reply<GetLogResponse>(new GetLogRequest { LogType = LogType.DiagnosticsLog, RequestId = 8, Log = new LogParameters { RemoteLocation = "http://logs.example/up/" } });
        Assert.Equal(LogStatus.AcceptedCanceled, second.Status);
        h.Pump();
        var secondUpload = h.SignalsOf<LogUploadRequested>().Last();
        h.Model.OnTransferCompleted(upload.TransferId, true, null);   // the canceled one: ignored
        h.Model.OnTransferCompleted(secondUpload.TransferId, true, null);
        h.Pump();
        var statuses = h.SentOf<LogStatusNotificationRequest>().Select(s => (s.Status, s.RequestId)).ToList();
        Assert.Equal([(UploadLogStatus.Uploading, 7), (UploadLogStatus.Uploading, 8), (UploadLogStatus.Uploaded, 8)], statuses);
        Assert.DoesNotContain(Key, Encoding.UTF8.GetString(secondUpload.Content.Span), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void GetLog_that_cannot_be_uploaded_ends_with_UploadFailure_after_its_retries()
    {
        var h = Secure();
        h.Reply<GetLogResponse>(new GetLogRequest { LogType = LogType.SecurityLog, RequestId = 3, Retries = 1, RetryInterval = 10, Log = new LogParameters { RemoteLocation = "http://x/" } });
        h.Pump();
        h.Model.OnTransferCompleted(h.SignalsOf<LogUploadRequested>().Last().TransferId, false, "HTTP 500");
        h.Run(TimeSpan.FromSeconds(11));
        Assert.Equal(2, h.SignalsOf<LogUploadRequested>().Count());
        h.Model.OnTransferCompleted(h.SignalsOf<LogUploadRequested>().Last().TransferId, false, "HTTP 500");
        h.Pump();
        Assert.Equal([UploadLogStatus.Uploading, UploadLogStatus.UploadFailure], h.SentOf<LogStatusNotificationRequest>().Select(s => s.Status));
    }

    private static SignedUpdateFirmwareRequest Firmware(Harness h, X509Certificate2 signer, byte[] signature, int requestId = 42) => new()
    {
        RequestId = requestId,
        Firmware = new Simulator.Ocpp.V16.Types.Firmware
        {
            Location = "http://fw.example/v2.bin",
            RetrieveDateTime = h.CsmsNow,
            SigningCertificate = signer.ExportCertificatePem(),
            Signature = Convert.ToBase64String(signature),
        },
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SignedUpdateFirmware_verifies_the_signature_installs_reboots_and_reports_FirmwareUpdated(bool rsa)
    {
        using var maker = new TestPki("Maker Root");
        var h = Secure(tweak: o => o with { ManufacturerRootCertificates = [X509CertificateLoader.LoadCertificate(maker.Root.RawData)], FirmwareInstallDuration = TimeSpan.Zero });
        using var signer = maker.IssueSigner(rsa);
        var file = Encoding.ASCII.GetBytes("firmware image v2");
        var signature = rsa
            ? signer.GetRSAPrivateKey()!.SignData(file, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)
            : signer.GetECDsaPrivateKey()!.SignData(file, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        Assert.Equal(SignedUpdateFirmwareStatus.Accepted, h.Reply<SignedUpdateFirmwareResponse>(Firmware(h, signer, signature)).Status);
        h.Run(TimeSpan.FromSeconds(1));
        var download = Assert.Single(h.SignalsOf<FirmwareDownloadRequested>());
        Assert.True(download.KeepContent);
        h.Model.OnTransferCompleted(download.TransferId, true, null, file);
        h.Pump();
        Assert.Single(h.SignalsOf<RebootRequested>(), r => r.Kind == RebootKind.FirmwareInstalled);
        Assert.Equal(
            [SignedFirmwareStatus.Downloading, SignedFirmwareStatus.Downloaded, SignedFirmwareStatus.SignatureVerified, SignedFirmwareStatus.Installing, SignedFirmwareStatus.Installed],
            h.SentOf<SignedFirmwareStatusNotificationRequest>().Select(s => s.Status));
        Assert.All(h.SentOf<SignedFirmwareStatusNotificationRequest>(), s => Assert.Equal(42, s.RequestId));
        Assert.Empty(h.SentOf<FirmwareStatusNotificationRequest>());
        h.Model.OnConnected();
        h.Pump();
        Assert.Contains(Events(h), e => e.Type == SecurityEventTypes.FirmwareUpdated);
        Assert.Equal("v2", h.Model.FirmwareVersion);
        h.Reply<ExtendedTriggerMessageResponse>(new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.FirmwareStatusNotification });
        h.Pump();
        Assert.Equal(SignedFirmwareStatus.Idle, h.SentOf<SignedFirmwareStatusNotificationRequest>().Last().Status);   // L01.FR.28
    }

    [Fact]
    public void SignedUpdateFirmware_with_a_bad_signature_ends_InvalidSignature_with_the_event()
    {
        using var maker = new TestPki("Maker Root");
        var h = Secure(tweak: o => o with { ManufacturerRootCertificates = [X509CertificateLoader.LoadCertificate(maker.Root.RawData)] });
        using var signer = maker.IssueSigner(rsa: true);
        var signature = signer.GetRSAPrivateKey()!.SignData("another file"u8.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        h.Reply<SignedUpdateFirmwareResponse>(Firmware(h, signer, signature));
        h.Run(TimeSpan.FromSeconds(1));
        h.Model.OnTransferCompleted(h.SignalsOf<FirmwareDownloadRequested>().Single().TransferId, true, null, "firmware image v2"u8.ToArray());
        h.Pump();
        Assert.Equal([SignedFirmwareStatus.Downloading, SignedFirmwareStatus.Downloaded, SignedFirmwareStatus.InvalidSignature],
            h.SentOf<SignedFirmwareStatusNotificationRequest>().Select(s => s.Status));
        Assert.Contains(Events(h), e => e.Type == SecurityEventTypes.InvalidFirmwareSignature);
        Assert.Empty(h.SignalsOf<RebootRequested>());
        h.Reply<ExtendedTriggerMessageResponse>(new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.FirmwareStatusNotification });
        h.Pump();
        Assert.Equal((SignedFirmwareStatus.InvalidSignature, (int?)42), (h.SentOf<SignedFirmwareStatusNotificationRequest>().Last().Status, h.SentOf<SignedFirmwareStatusNotificationRequest>().Last().RequestId));   // L01.FR.29
    }

    [Fact]
    public void SignedUpdateFirmware_with_an_untrusted_signing_certificate_is_InvalidCertificate_with_the_event_and_a_second_one_cancels_the_first()
    {
        using var maker = new TestPki("Maker Root");
        using var stranger = new TestPki("Stranger Root");
        var h = Secure(tweak: o => o with { ManufacturerRootCertificates = [X509CertificateLoader.LoadCertificate(maker.Root.RawData)] });
        using var untrusted = stranger.IssueSigner(rsa: false);
        Assert.Equal(SignedUpdateFirmwareStatus.InvalidCertificate, h.Reply<SignedUpdateFirmwareResponse>(Firmware(h, untrusted, [1, 2, 3])).Status);
        h.Pump();
        Assert.Contains(Events(h), e => e.Type == SecurityEventTypes.InvalidFirmwareSigningCertificate);

        using var trusted = maker.IssueSigner(rsa: false);
        var later = new SignedUpdateFirmwareRequest { RequestId = 1, Firmware = Firmware(h, trusted, [1]).Firmware with { RetrieveDateTime = h.CsmsNow.AddHours(1) } };
        Assert.Equal(SignedUpdateFirmwareStatus.Accepted, h.Reply<SignedUpdateFirmwareResponse>(later).Status);
        Assert.Equal(SignedUpdateFirmwareStatus.AcceptedCanceled, h.Reply<SignedUpdateFirmwareResponse>(later with { RequestId = 2 }).Status);   // L01.FR.26
    }

    [Fact]
    public void ExtendedTriggerMessage_answers_every_trigger()
    {
        var h = Secure();
        foreach (var trigger in Enum.GetValues<ExtendedMessageTrigger>())
        {
            var status = h.Reply<ExtendedTriggerMessageResponse>(new ExtendedTriggerMessageRequest { RequestedMessage = trigger, ConnectorId = trigger == ExtendedMessageTrigger.MeterValues ? 1 : null }).Status;
            Assert.Equal(ExtendedTriggerMessageStatus.Accepted, status);
            h.Pump();
        }
        Assert.Equal(UploadLogStatus.Idle, h.SentOf<LogStatusNotificationRequest>().Single().Status);
        Assert.Single(h.SentOf<SignCertificateRequest>());
        Assert.Single(h.SentOf<HeartbeatRequest>());
        Assert.Equal(ExtendedTriggerMessageStatus.Rejected,
            h.Reply<ExtendedTriggerMessageResponse>(new ExtendedTriggerMessageRequest { RequestedMessage = ExtendedMessageTrigger.StatusNotification, ConnectorId = 9 }).Status);
    }

    [Fact]
    public void The_store_and_the_options_never_print_a_private_key()
    {
        using var ca = new TestPki();
        using var key = ECDsa.Create();
        using var issued = ca.Sign(new CertificateRequest(TestPki.Name("CP-1", "ACME CPO"), key, HashAlgorithmName.SHA256));
        using var withKey = issued.CopyWithPrivateKey(key);
        var h = Secure(ca, tweak: o => o with { ChargePointCertificate = withKey });
        var printed = h.Model.Certificates.ToString() + h.Model.Options;
        Assert.DoesNotContain("PRIVATE KEY", printed, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, printed, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>tbsCertificate fields read with AsnReader: the issuer Name's DER, the subjectPublicKey BIT STRING's value, the serial.</summary>
    private static (byte[] IssuerDer, byte[] SubjectPublicKey, byte[] Serial) ParseByHand(byte[] der)
    {
        var certificate = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var tbs = certificate.ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 0)))
        {
            tbs.ReadEncodedValue();   // [0] version
        }
        var serial = tbs.ReadIntegerBytes().ToArray();
        tbs.ReadEncodedValue();   // signature algorithm
        var issuer = tbs.ReadEncodedValue().ToArray();
        tbs.ReadEncodedValue();   // validity
        tbs.ReadEncodedValue();   // subject
        var spki = tbs.ReadSequence();
        spki.ReadEncodedValue();  // algorithm
        var key = spki.ReadBitString(out var unused);
        Assert.Equal(0, unused);
        return (issuer, key, serial);
    }

    [Fact]
    public void AuthorizationKey_change_at_profile_1_reconnects_after_the_grace_period_and_a_SecurityProfile_change_within_it_rides_along()
    {
        using var ca = new TestPki();
        var h = Secure(ca, tweak: o => o with { SecurityReconnectGrace = TimeSpan.FromSeconds(5) });
        const string rotated = "ffeeddccbbaa99887766554433221100";
        Assert.Equal(ConfigurationStatus.Accepted, h.Reply<ChangeConfigurationResponse>(new ChangeConfigurationRequest { Key = K.AuthorizationKey, Value = rotated }).Status);
        h.Run(TimeSpan.FromSeconds(3));
        Assert.Empty(h.SignalsOf<ReconnectRequested>());
        Assert.Empty(h.SignalsOf<SecurityProfileChangeRequested>());

        // The usual sequence's second step, still within the grace period: answered on this connection, one reconnect for both.
        Assert.Equal(ConfigurationStatus.Accepted, h.Reply<ChangeConfigurationResponse>(new ChangeConfigurationRequest { Key = K.SecurityProfile, Value = "2" }).Status);
        h.Run(TimeSpan.FromSeconds(1.9));
        Assert.Empty(h.SignalsOf<SecurityProfileChangeRequested>());
        h.Run(TimeSpan.FromSeconds(0.2));
        Assert.Single(h.SignalsOf<SecurityProfileChangeRequested>(), s => s is { From: 1, To: 2 });
        Assert.Empty(h.SignalsOf<ReconnectRequested>());
        h.Run(TimeSpan.FromSeconds(30));
        Assert.Single(h.SignalsOf<SecurityProfileChangeRequested>());
    }

    [Fact]
    public void AuthorizationKey_change_at_profile_0_does_not_reconnect()
    {
        var h = Secure(config: new() { [K.SecurityProfile] = "0", [K.AuthorizationKey] = Key });
        Assert.Equal(ConfigurationStatus.Accepted, h.Reply<ChangeConfigurationResponse>(new ChangeConfigurationRequest { Key = K.AuthorizationKey, Value = "ffeeddccbbaa99887766554433221100" }).Status);
        h.Run(TimeSpan.FromMinutes(1));
        Assert.Empty(h.SignalsOf<ReconnectRequested>());
        Assert.Contains(h.Model.SecurityLog.Entries, e => e.TechInfo == "AuthorizationKey changed");
    }

    [Fact]
    public void A_connection_lost_within_the_grace_period_still_puts_the_new_SecurityProfile_on_trial()
    {
        using var ca = new TestPki();
        var h = Secure(ca);
        h.Reply<ChangeConfigurationResponse>(new ChangeConfigurationRequest { Key = K.SecurityProfile, Value = "2" });
        h.DrainSignals();
        Assert.Empty(h.SignalsOf<SecurityProfileChangeRequested>());
        h.Model.OnDisconnected();
        h.DrainSignals();
        Assert.Single(h.SignalsOf<SecurityProfileChangeRequested>(), s => s is { From: 1, To: 2 });
        Assert.Equal(1, h.Model.RevertSecurityProfile());
    }
}
