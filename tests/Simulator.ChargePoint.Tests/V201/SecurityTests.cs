using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Simulator.ChargePoint.Security;
using Simulator.ChargePoint.Tests.Security;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V201.Iso15118CertificateManagement;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.RemoteControl;
using Simulator.Ocpp.V201.Security;
using Simulator.Ocpp.V201.Types;
using static Simulator.ChargePoint.Tests.HarnessBase;
using static Simulator.ChargePoint.Tests.V201.StationHarness;

namespace Simulator.ChargePoint.Tests.V201;

/// <summary>Blocks A (security) and M (certificate management without ISO 15118) of the 2.0.1 station.</summary>
public sealed class SecurityTests
{
    private static InstallCertificateResponse Install(StationHarness h, InstallCertificateUse use, X509Certificate2 certificate) =>
        h.Call<InstallCertificateResponse>(new InstallCertificateRequest { CertificateType = use, Certificate = certificate.ExportCertificatePem() });

    private static string Csr(StationHarness h, CertificateSigningUse use)
    {
        var trigger = use == CertificateSigningUse.V2GCertificate ? MessageTrigger.SignV2GCertificate : MessageTrigger.SignChargingStationCertificate;
        Assert.Equal(TriggerMessageStatus.Accepted, h.Call<TriggerMessageResponse>(new TriggerMessageRequest { RequestedMessage = trigger }).Status);
        h.Pump();
        var sign = h.SentOf<SignCertificateRequest>().Last();
        Assert.Equal(use, sign.CertificateType);
        return sign.Csr;
    }

    [Fact]
    public void A02_triggered_CSR_signed_by_the_CSMS_CA_becomes_the_station_certificate_for_the_next_connection()
    {
        using var ca = new TestPki("CSMS Root");
        var h = new StationHarness(new() { ["SecurityCtrlr.OrganizationName"] = "TestOrg" }).Boot();
        Assert.Equal(InstallCertificateStatus.Accepted, Install(h, InstallCertificateUse.CSMSRootCertificate, ca.Root).Status);
        var csr = Csr(h, CertificateSigningUse.ChargingStationCertificate);
        var request = CertificateRequest.LoadSigningRequestPem(csr, HashAlgorithmName.SHA256);
        Assert.Equal("O=TestOrg, CN=CS-1", request.SubjectName.Name);
        Assert.NotNull(request.PublicKey.GetECDsaPublicKey());   // the options' default key type: ECDSA P-256

        // A chain for another key is refused and reported.
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = ca.Sign(new CertificateRequest(TestPki.Name("CS-1", "TestOrg"), otherKey, HashAlgorithmName.SHA256));
        var rejected = h.Call<CertificateSignedResponse>(new CertificateSignedRequest { CertificateChain = stranger.ExportCertificatePem() });
        Assert.Equal(CertificateSignedStatus.Rejected, rejected.Status);
        h.Pump();
        Assert.Contains(h.SentOf<SecurityEventNotificationRequest>(), e => e.Type == "InvalidChargingStationCertificate");

        var accepted = h.Call<CertificateSignedResponse>(new CertificateSignedRequest { CertificateChain = ca.SignCsr(csr), CertificateType = CertificateSigningUse.ChargingStationCertificate });
        Assert.Equal(CertificateSignedStatus.Accepted, accepted.Status);
        h.DrainSignals();
        var own = h.Model.Certificates.ChargePointCertificate;
        Assert.NotNull(own);
        Assert.True(own!.HasPrivateKey);
        Assert.Equal(("CS-1", "TestOrg"), (own.GetNameInfo(X509NameType.SimpleName, false), CertificateChecks.OrganizationOf(own)));
        Assert.Single(h.SignalsOf<ChargePointCertificateChanged>());
        // The same chain again: no CSR is pending any more.
        Assert.Equal(CertificateSignedStatus.Rejected, h.Call<CertificateSignedResponse>(new CertificateSignedRequest { CertificateChain = ca.SignCsr(csr) }).Status);
    }

    [Fact]
    public void CertificateSigned_longer_than_MaxCertificateChainSize_or_not_chaining_to_a_root_is_Rejected_and_RSA_keys_follow_the_options()
    {
        using var ca = new TestPki("CSMS Root");
        using var elsewhere = new TestPki("Other Root");
        var h = new StationHarness(new() { ["SecurityCtrlr.OrganizationName"] = "TestOrg" }, tweak: o => o with { CsrKeyType = CsrKeyType.Rsa2048 }).Boot();
        Install(h, InstallCertificateUse.CSMSRootCertificate, ca.Root);
        var csr = Csr(h, CertificateSigningUse.ChargingStationCertificate);
        Assert.NotNull(CertificateRequest.LoadSigningRequestPem(csr, HashAlgorithmName.SHA256).PublicKey.GetRSAPublicKey());
        var chain = ca.SignCsr(csr);
        var tooLong = chain + new string('\n', 10_000 - chain.Length + 1);
        Assert.Equal(CertificateSignedStatus.Rejected, h.Call<CertificateSignedResponse>(new CertificateSignedRequest { CertificateChain = tooLong[..10_000] + "\n" }).Status);
        Assert.Equal(CertificateSignedStatus.Rejected, h.Call<CertificateSignedResponse>(new CertificateSignedRequest { CertificateChain = elsewhere.SignCsr(csr) }).Status);
        Assert.Null(h.Model.Certificates.ChargePointCertificate);
        Assert.Equal(CertificateSignedStatus.Accepted, h.Call<CertificateSignedResponse>(new CertificateSignedRequest { CertificateChain = chain }).Status);
        Assert.NotNull(h.Model.Certificates.ChargePointCertificate!.GetRSAPrivateKey());
    }

    [Fact]
    public void A03_V2G_CSR_is_signed_under_an_installed_V2G_root_and_a_CSR_without_answer_is_repeated_after_CertSigningWaitMinimum()
    {
        using var v2g = new TestPki("V2G Root");
        var h = new StationHarness(new() { ["SecurityCtrlr.OrganizationName"] = "TestOrg", ["SecurityCtrlr.CertSigningWaitMinimum"] = "10", ["SecurityCtrlr.CertSigningRepeatTimes"] = "1" }).Boot();
        Assert.Equal(InstallCertificateStatus.Accepted, Install(h, InstallCertificateUse.V2GRootCertificate, v2g.Root).Status);
        Csr(h, CertificateSigningUse.V2GCertificate);
        h.Run(TimeSpan.FromSeconds(10));
        Assert.Equal(2, h.SentOf<SignCertificateRequest>().Count());   // repeated once with a new key
        var second = h.SentOf<SignCertificateRequest>().Last();
        Assert.Equal(CertificateSigningUse.V2GCertificate, second.CertificateType);
        h.Run(TimeSpan.FromSeconds(60));
        Assert.Equal(2, h.SentOf<SignCertificateRequest>().Count());   // CertSigningRepeatTimes = 1
        Assert.Equal(CertificateSignedStatus.Accepted, h.Call<CertificateSignedResponse>(new CertificateSignedRequest { CertificateChain = v2g.SignCsr(second.Csr), CertificateType = CertificateSigningUse.V2GCertificate }).Status);
        Assert.NotNull(h.Model.V2gCertificate);
        Assert.Null(h.Model.Certificates.ChargePointCertificate);
    }

    [Fact]
    public void While_Pending_the_CSMS_can_provision_the_station_certificate_and_the_startup_event_waits_for_Accepted()
    {
        var h = new StationHarness(new() { ["SecurityCtrlr.OrganizationName"] = "TestOrg" });
        var pending = true;
        h.Override = m => m.Request is BootNotificationRequest && pending
            ? new BootNotificationResponse { Status = RegistrationStatus.Pending, CurrentTime = h.Clock.GetUtcNow(), Interval = 30 }
            : null;
        h.Model.OnConnected();
        h.Pump();
        Assert.Equal(TriggerMessageStatus.Accepted, h.Call<TriggerMessageResponse>(new TriggerMessageRequest { RequestedMessage = MessageTrigger.SignChargingStationCertificate }).Status);
        h.Pump();
        Assert.Single(h.SentOf<SignCertificateRequest>());
        Assert.Empty(h.SentOf<SecurityEventNotificationRequest>());
        pending = false;
        h.Run(TimeSpan.FromSeconds(30));
        Assert.True(h.Model.IsBooted);
        Assert.Equal("StartupOfTheDevice", Assert.Single(h.SentOf<SecurityEventNotificationRequest>()).Type);
    }

    [Fact]
    public void Without_an_OrganizationName_the_CSR_trigger_is_Rejected()
    {
        var h = new StationHarness(new() { ["SecurityCtrlr.OrganizationName"] = "" }).Boot();
        Assert.Equal(TriggerMessageStatus.Rejected, h.Call<TriggerMessageResponse>(new TriggerMessageRequest { RequestedMessage = MessageTrigger.SignChargingStationCertificate }).Status);
        h.Pump();
        Assert.Empty(h.SentOf<SignCertificateRequest>());
    }

    [Fact]
    public void A04_critical_events_are_delivered_after_boot_resent_until_answered_and_survive_a_lost_connection()
    {
        var h = new StationHarness();
        h.Model.OnConnected();
        // The startup event waits for the accepted boot, then goes; an unanswered one is not forgotten.
        var sent = h.Take();
        Assert.IsType<BootNotificationRequest>(Assert.Single(sent).Request);
        h.Model.OnAnswered(sent[0], h.DefaultAnswer(sent[0]));
        var startup = h.Take();
        var notification = Assert.IsType<SecurityEventNotificationRequest>(startup.Single(m => m.Request is SecurityEventNotificationRequest).Request);
        Assert.Equal("StartupOfTheDevice", notification.Type);
        h.Model.OnFailed(startup.Single(m => m.Request is SecurityEventNotificationRequest), OutboundFailure.Timeout.Instance);
        Assert.Equal(1, h.Model.PendingCriticalSecurityEvents);
        foreach (var other in startup.Where(m => m.Request is not SecurityEventNotificationRequest))
        {
            h.Model.OnAnswered(other, h.DefaultAnswer(other));
        }
        // Resent after MessageAttemptInterval (60 s); the connection drops with it in flight; it goes again after the next boot.
        h.Clock.Advance(TimeSpan.FromSeconds(60));
        h.Model.Advance();
        Assert.Contains(h.Take(), m => m.Request is SecurityEventNotificationRequest);
        h.Model.OnDisconnected();
        h.Model.OnConnected();
        h.Pump();
        Assert.Equal(0, h.Model.PendingCriticalSecurityEvents);
        Assert.Contains(h.SentOf<SecurityEventNotificationRequest>(), e => e.Type == "StartupOfTheDevice");
        Assert.Contains(h.Model.SecurityLog.Entries, e => e is { Type: "StartupOfTheDevice", Critical: true });

        // A CSMS that never takes an event gets it MessageAttempts (3) times, not forever.
        Assert.Equal(ResetStatus.Accepted, h.Call<ResetResponse>(new ResetRequest { Type = ResetKind.Immediate }).Status);
        h.Pump();
        h.Model.OnConnected();
        var attempts = 0;
        for (var round = 0; round < 5; round++)
        {
            foreach (var message in h.Take())
            {
                if (message.Request is SecurityEventNotificationRequest { Type: "ResetOrReboot" })
                {
                    attempts++;
                    h.Model.OnFailed(message, new OutboundFailure.CallError(Simulator.Ocpp.Framing.OcppErrorCode.NotImplemented));
                }
                else
                {
                    h.Model.OnAnswered(message, h.DefaultAnswer(message));
                }
            }
            h.Clock.Advance(TimeSpan.FromMinutes(5));
            h.Model.Advance();
        }
        Assert.Equal(3, attempts);
        Assert.Equal(0, h.Model.PendingCriticalSecurityEvents);
        h.Signals.Clear();

        // A connect failure for a security reason is logged and notified in its 2.0.1 spelling.
        h.Model.OnDisconnected();
        h.Model.OnConnectFailed(SecurityEventTypes.InvalidCentralSystemCertificate, "the server certificate does not chain to an installed root");
        h.Model.OnConnected();
        h.Pump();
        Assert.Contains(h.SentOf<SecurityEventNotificationRequest>(), e => e.Type == "InvalidCsmsCertificate");

        // A reset: ResetOrReboot after the next boot.
        Assert.Equal(ResetStatus.Accepted, h.Call<ResetResponse>(new ResetRequest { Type = ResetKind.Immediate }).Status);
        h.Pump();
        Assert.Single(h.SignalsOf<RebootRequested>());
        h.Model.OnConnected();
        h.Pump();
        Assert.Contains(h.SentOf<SecurityEventNotificationRequest>(), e => e.Type == "ResetOrReboot");
    }

    [Fact]
    public void M_roots_of_every_type_are_installed_listed_with_hash_data_and_deleted()
    {
        using var csms = new TestPki("CSMS Root");
        using var maker = new TestPki("Maker Root");
        using var v2g = new TestPki("V2G Root");
        using var mo = new TestPki("MO Root");
        var h = new StationHarness().Boot();
        Assert.Equal(GetInstalledCertificateStatus.NotFound, h.Call<GetInstalledCertificateIdsResponse>(new GetInstalledCertificateIdsRequest()).Status);
        Assert.Equal("0", Entries(h));
        Assert.Equal(InstallCertificateStatus.Accepted, Install(h, InstallCertificateUse.CSMSRootCertificate, csms.Root).Status);
        Assert.Equal(InstallCertificateStatus.Accepted, Install(h, InstallCertificateUse.ManufacturerRootCertificate, maker.Root).Status);
        Assert.Equal(InstallCertificateStatus.Accepted, Install(h, InstallCertificateUse.V2GRootCertificate, v2g.Root).Status);
        Assert.Equal(InstallCertificateStatus.Accepted, Install(h, InstallCertificateUse.MORootCertificate, mo.Root).Status);
        Assert.Equal(InstallCertificateStatus.Accepted, Install(h, InstallCertificateUse.MORootCertificate, mo.Root).Status);   // already there: once
        Assert.Equal("4", Entries(h));

        var all = h.Call<GetInstalledCertificateIdsResponse>(new GetInstalledCertificateIdsRequest());
        Assert.Equal(GetInstalledCertificateStatus.Accepted, all.Status);
        Assert.Equal(4, all.CertificateHashDataChain!.Count);
        var moOnly = h.Call<GetInstalledCertificateIdsResponse>(new GetInstalledCertificateIdsRequest { CertificateType = [GetCertificateIdUse.MORootCertificate] });
        var moHash = Assert.Single(moOnly.CertificateHashDataChain!).CertificateHashData;
        Assert.Equal(Simulator.Ocpp.V201.Types.HashAlgorithm.SHA256, moHash.HashAlgorithm);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(mo.Root.IssuerName.RawData)), moHash.IssuerNameHash);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(mo.Root.PublicKey.EncodedKeyValue.RawData)), moHash.IssuerKeyHash);
        Assert.Equal(GetInstalledCertificateStatus.NotFound, h.Call<GetInstalledCertificateIdsResponse>(new GetInstalledCertificateIdsRequest { CertificateType = [GetCertificateIdUse.V2GCertificateChain] }).Status);

        Assert.Equal(DeleteCertificateStatus.Accepted, h.Call<DeleteCertificateResponse>(new DeleteCertificateRequest { CertificateHashData = moHash }).Status);
        Assert.Equal(DeleteCertificateStatus.NotFound, h.Call<DeleteCertificateResponse>(new DeleteCertificateRequest { CertificateHashData = moHash }).Status);
        Assert.Empty(h.Model.MoRoots);
        var makerHash = all.CertificateHashDataChain!.Single(c => c.CertificateType == GetCertificateIdUse.ManufacturerRootCertificate).CertificateHashData;
        Assert.Equal(DeleteCertificateStatus.Accepted, h.Call<DeleteCertificateResponse>(new DeleteCertificateRequest { CertificateHashData = makerHash with { SerialNumber = "00" + makerHash.SerialNumber.ToUpperInvariant() } }).Status);
        Assert.Empty(h.Model.Certificates.ManufacturerRoots);
        Assert.Equal("2", Entries(h));
    }

    [Fact]
    public void M_InstallCertificate_refuses_non_roots_and_expired_ones_and_fails_when_full_and_the_CSMS_root_in_use_cannot_be_deleted()
    {
        using var csms = new TestPki("CSMS Root");
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = csms.Sign(new CertificateRequest(TestPki.Name("leaf", "x"), leafKey, HashAlgorithmName.SHA256));
        var h = new StationHarness(new() { ["SecurityProfile"] = "2", ["AuthorizationKey"] = "0123456789abcdef0123" }).Boot();
        Assert.Equal(InstallCertificateStatus.Rejected, Install(h, InstallCertificateUse.CSMSRootCertificate, leaf).Status);
        Assert.Equal(InstallCertificateStatus.Rejected, h.Call<InstallCertificateResponse>(new InstallCertificateRequest { CertificateType = InstallCertificateUse.V2GRootCertificate, Certificate = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----" }).Status);
        var later = new StationHarness().Boot();
        later.Clock.Advance(TimeSpan.FromDays(6 * 365));
        Assert.Equal(InstallCertificateStatus.Rejected, Install(later, InstallCertificateUse.CSMSRootCertificate, csms.Root).Status);   // expired by then

        Assert.Equal(InstallCertificateStatus.Accepted, Install(h, InstallCertificateUse.CSMSRootCertificate, csms.Root).Status);
        var roots = new List<TestPki>();
        try
        {
            for (var i = 0; i < 19; i++)
            {
                roots.Add(new TestPki($"MO Root {i}"));
                Assert.Equal(InstallCertificateStatus.Accepted, Install(h, InstallCertificateUse.MORootCertificate, roots[^1].Root).Status);
            }
            using var oneTooMany = new TestPki("MO Root 20");
            Assert.Equal(InstallCertificateStatus.Failed, Install(h, InstallCertificateUse.MORootCertificate, oneTooMany.Root).Status);
        }
        finally
        {
            roots.ForEach(r => r.Dispose());
        }

        // At profile 2 the only CSMS root is the one TLS relies on.
        var hash = h.Call<GetInstalledCertificateIdsResponse>(new GetInstalledCertificateIdsRequest { CertificateType = [GetCertificateIdUse.CSMSRootCertificate] }).CertificateHashDataChain!.Single().CertificateHashData;
        Assert.Equal(DeleteCertificateStatus.Failed, h.Call<DeleteCertificateResponse>(new DeleteCertificateRequest { CertificateHashData = hash }).Status);
        Assert.Single(h.Model.Certificates.CentralSystemRoots);
    }

    [Fact]
    public void A05_a_higher_security_profile_is_taken_at_the_reboot_after_NetworkConfigurationPriority_names_its_slot_and_reverted_when_it_fails()
    {
        using var csms = new TestPki("CSMS Root");
        var h = new StationHarness(new() { ["SecurityProfile"] = "2", ["AuthorizationKey"] = "0123456789abcdef0123" }).Boot();
        NetworkConnectionProfile Profile(int securityProfile) => new()
        {
            OcppVersion = OcppVersion.OCPP20, OcppTransport = OcppTransport.JSON, OcppCsmsUrl = "wss://csms.example/ocpp", MessageTimeout = 30,
            SecurityProfile = securityProfile, OcppInterface = OcppInterface.Wired0,
        };
        SetNetworkProfileStatus Set(int slot, int profile) =>
            h.Call<SetNetworkProfileResponse>(new SetNetworkProfileRequest { ConfigurationSlot = slot, ConnectionData = Profile(profile) }).Status;
        Assert.Equal(SetNetworkProfileStatus.Rejected, Set(1, 1));   // never a downgrade
        Assert.Equal(SetNetworkProfileStatus.Rejected, Set(1, 3));   // no CSMS root, no station certificate
        Install(h, InstallCertificateUse.CSMSRootCertificate, csms.Root);
        Assert.Equal(SetNetworkProfileStatus.Rejected, Set(1, 3));   // still no station certificate
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issued = csms.Sign(new CertificateRequest(TestPki.Name("CS-1", "TestOrg"), key, HashAlgorithmName.SHA256));
        h.Model.ProvisionChargePointCertificate(issued.CopyWithPrivateKey(key));
        Assert.Equal(SetNetworkProfileStatus.Accepted, Set(1, 3));
        Assert.Equal(2, h.Model.SecurityProfile);   // stored, not used yet

        var priority = h.Call<SetVariablesResponse>(new SetVariablesRequest { SetVariableData = [new() { Component = Comp("OCPPCommCtrlr"), Variable = Var("NetworkConfigurationPriority"), AttributeValue = "1,0" }] });
        Assert.Equal(SetVariableStatus.RebootRequired, priority.SetVariableResult[0].AttributeStatus);
        Assert.Equal(ResetStatus.Accepted, h.Call<ResetResponse>(new ResetRequest { Type = ResetKind.Immediate }).Status);
        h.Pump();
        Assert.Equal(3, h.Model.SecurityProfile);
        var change = Assert.Single(h.SignalsOf<SecurityProfileChangeRequested>());
        Assert.Equal((2, 3), (change.From, change.To));
        // The first connection with profile 3 fails: back to 2 (A05.FR.07), reported after the next boot.
        Assert.Equal(2, h.Model.RevertSecurityProfile());
        Assert.Equal(2, h.Model.SecurityProfile);
        Assert.Null(h.Model.RevertSecurityProfile());
        h.Model.OnConnected();
        h.Pump();
        Assert.Contains(h.SentOf<SecurityEventNotificationRequest>(), e => e.Type == "ReconfigurationOfSecurityParameters" && e.TechInfo!.Contains("fell back to 2", StringComparison.Ordinal));
    }

    private static string Entries(StationHarness h) =>
        h.Call<GetVariablesResponse>(new GetVariablesRequest { GetVariableData = [new() { Component = Comp("SecurityCtrlr"), Variable = Var("CertificateEntries") }] }).GetVariableResult[0].AttributeValue!;
}
