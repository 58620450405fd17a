using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Simulator.ChargePoint.Tests.Security;
using Simulator.Ocpp.V201.Diagnostics;
using Simulator.Ocpp.V201.FirmwareManagement;
using Simulator.Ocpp.V201.LocalAuthorizationList;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.RemoteControl;
using Simulator.Ocpp.V201.Security;
using Simulator.Ocpp.V201.Types;
using static Simulator.ChargePoint.Tests.HarnessBase;
using static Simulator.ChargePoint.Tests.V201.StationHarness;

namespace Simulator.ChargePoint.Tests.V201;

/// <summary>Block L (UpdateFirmware) and N's GetLog and CustomerInformation of the 2.0.1 station.</summary>
public sealed class FirmwareAndLogTests
{
    private static readonly byte[] File = Encoding.UTF8.GetBytes("FleetSim firmware image v2.1");

    private static StationHarness WithMaker(TestPki maker) =>
        new StationHarness(tweak: o => o with { ManufacturerRootCertificates = [maker.Root], FirmwareInstallDuration = TimeSpan.FromSeconds(10) }).Boot();

    private static UpdateFirmwareRequest Update(StationHarness h, X509Certificate2? signer, byte[]? signature, int requestId = 7,
        TimeSpan? retrieveIn = null, TimeSpan? installIn = null, int? retries = null) => new()
    {
        RequestId = requestId,
        Retries = retries,
        RetryInterval = retries is null ? null : 30,
        Firmware = new Firmware
        {
            Location = "https://fw.example/firmware/v2.1.bin",
            RetrieveDateTime = h.Model.CsmsNow + (retrieveIn ?? TimeSpan.Zero),
            InstallDateTime = installIn is { } i ? h.Model.CsmsNow + i : null,
            SigningCertificate = signer?.ExportCertificatePem(),
            Signature = signature is null ? null : Convert.ToBase64String(signature),
        },
    };

    private static List<FirmwareStatus> Statuses(StationHarness h) => [.. h.SentOf<FirmwareStatusNotificationRequest>().Select(s => s.Status)];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void L01_signed_firmware_is_downloaded_verified_installed_rebooted_into_and_reported_Installed(bool rsa)
    {
        using var maker = new TestPki("Maker Root");
        using var signer = maker.IssueSigner(rsa);
        var signature = rsa
            ? signer.GetRSAPrivateKey()!.SignData(File, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)
            : signer.GetECDsaPrivateKey()!.SignData(File, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var h = WithMaker(maker);
        Assert.Equal(UpdateFirmwareStatus.Accepted, h.Call<UpdateFirmwareResponse>(Update(h, signer, signature, retrieveIn: TimeSpan.FromMinutes(5), installIn: TimeSpan.FromMinutes(30))).Status);
        h.Pump();
        Assert.Equal([FirmwareStatus.DownloadScheduled], Statuses(h));
        h.Run(TimeSpan.FromMinutes(5));
        var download = Assert.Single(h.SignalsOf<FirmwareDownloadRequested>());
        Assert.True(download.KeepContent);
        Assert.Equal("https://fw.example/firmware/v2.1.bin", download.Location);
        h.Model.OnTransferCompleted(download.TransferId, true, null, File);
        h.Pump();
        Assert.Equal([FirmwareStatus.DownloadScheduled, FirmwareStatus.Downloading, FirmwareStatus.Downloaded, FirmwareStatus.SignatureVerified, FirmwareStatus.InstallScheduled], Statuses(h));

        // Installation waits for installDateTime and for the running transaction.
        h.Model.PlugIn(1, Ev);
        h.Model.PresentIdTag(1, "TAG1");
        h.Pump();
        h.Run(TimeSpan.FromMinutes(30));
        Assert.DoesNotContain(FirmwareStatus.Installing, Statuses(h));
        h.Model.Unplug(1);
        h.Pump();
        Assert.Equal(FirmwareStatus.Installing, Statuses(h)[^1]);
        h.Run(TimeSpan.FromSeconds(10));
        Assert.Equal(FirmwareStatus.InstallRebooting, Statuses(h)[^1]);
        Assert.Equal(RebootKind.FirmwareInstalled, Assert.Single(h.SignalsOf<RebootRequested>()).Kind);
        Assert.All(h.SentOf<FirmwareStatusNotificationRequest>(), s => Assert.Equal(7, s.RequestId));

        h.Model.OnConnected();
        h.Pump();
        var boot = h.SentOf<BootNotificationRequest>().Last();
        Assert.Equal(BootReason.FirmwareUpdate, boot.Reason);
        Assert.Equal("v2.1", boot.ChargingStation.FirmwareVersion);
        Assert.Equal(FirmwareStatus.Installed, Statuses(h)[^1]);
        Assert.Contains(h.SentOf<SecurityEventNotificationRequest>(), e => e.Type == "FirmwareUpdated");
        // Triggered afterwards: Idle (the last status was Installed).
        Assert.Equal(TriggerMessageStatus.Accepted, h.Call<TriggerMessageResponse>(new TriggerMessageRequest { RequestedMessage = MessageTrigger.FirmwareStatusNotification }).Status);
        h.Pump();
        Assert.Equal(FirmwareStatus.Idle, Statuses(h)[^1]);
    }

    [Fact]
    public void L01_a_signature_over_other_content_is_InvalidSignature_and_a_foreign_signing_certificate_InvalidCertificate()
    {
        using var maker = new TestPki("Maker Root");
        using var stranger = new TestPki("Stranger Root");
        using var signer = maker.IssueSigner(rsa: true);
        using var foreign = stranger.IssueSigner(rsa: true);
        var signature = signer.GetRSAPrivateKey()!.SignData("another file"u8.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        var h = WithMaker(maker);
        Assert.Equal(UpdateFirmwareStatus.InvalidCertificate, h.Call<UpdateFirmwareResponse>(Update(h, foreign, signature)).Status);
        h.Pump();
        Assert.Contains(h.SentOf<SecurityEventNotificationRequest>(), e => e.Type == "InvalidFirmwareSigningCertificate");
        Assert.Empty(h.SignalsOf<FirmwareDownloadRequested>());

        Assert.Equal(UpdateFirmwareStatus.Accepted, h.Call<UpdateFirmwareResponse>(Update(h, signer, signature)).Status);
        h.Run(TimeSpan.FromSeconds(1));
        h.Model.OnTransferCompleted(h.SignalsOf<FirmwareDownloadRequested>().Single().TransferId, true, null, File);
        h.Run(TimeSpan.FromMinutes(1));
        Assert.Equal([FirmwareStatus.Downloading, FirmwareStatus.Downloaded, FirmwareStatus.InvalidSignature], Statuses(h));
        Assert.Contains(h.SentOf<SecurityEventNotificationRequest>(), e => e.Type == "InvalidFirmwareSignature");
        Assert.Empty(h.SignalsOf<RebootRequested>());
    }

    [Fact]
    public void L02_unsigned_download_is_retried_then_DownloadFailed_and_a_new_update_cancels_the_running_one()
    {
        var h = new StationHarness().Boot();
        Assert.Equal(UpdateFirmwareStatus.Accepted, h.Call<UpdateFirmwareResponse>(Update(h, null, null, requestId: 1, retries: 1)).Status);
        h.Run(TimeSpan.FromSeconds(1));
        Assert.False(h.SignalsOf<FirmwareDownloadRequested>().Single().KeepContent);
        h.Model.OnTransferCompleted(h.SignalsOf<FirmwareDownloadRequested>().Last().TransferId, false, "HTTP 404", default);
        h.Run(TimeSpan.FromSeconds(29));
        Assert.Single(h.SignalsOf<FirmwareDownloadRequested>());
        h.Run(TimeSpan.FromSeconds(1));
        Assert.Equal(2, h.SignalsOf<FirmwareDownloadRequested>().Count());
        h.Model.OnTransferCompleted(h.SignalsOf<FirmwareDownloadRequested>().Last().TransferId, false, "HTTP 404", default);
        h.Pump();
        Assert.Equal([FirmwareStatus.Downloading, FirmwareStatus.DownloadFailed], Statuses(h));

        Assert.Equal(UpdateFirmwareStatus.Accepted, h.Call<UpdateFirmwareResponse>(Update(h, null, null, requestId: 2, retrieveIn: TimeSpan.FromHours(1))).Status);
        Assert.Equal(UpdateFirmwareStatus.AcceptedCanceled, h.Call<UpdateFirmwareResponse>(Update(h, null, null, requestId: 3)).Status);
        h.Run(TimeSpan.FromSeconds(1));
        h.Model.OnTransferCompleted(h.SignalsOf<FirmwareDownloadRequested>().Last().TransferId, true, null, default);
        h.Run(TimeSpan.FromSeconds(20));
        Assert.Equal([FirmwareStatus.Downloading, FirmwareStatus.Downloaded, FirmwareStatus.Installing, FirmwareStatus.InstallRebooting],
            h.SentOf<FirmwareStatusNotificationRequest>().Where(s => s.RequestId == 3).Select(s => s.Status));
        Assert.Equal(GenericStatus.Rejected, h.Call<PublishFirmwareResponse>(new PublishFirmwareRequest { Location = "https://fw.example/x.bin", Checksum = new string('a', 32), RequestId = 4 }).Status);
    }

    [Fact]
    public void N01_GetLog_uploads_the_security_log_with_the_status_sequence_and_retries_before_UploadFailure()
    {
        var h = new StationHarness().Boot();
        var response = h.Call<GetLogResponse>(new GetLogRequest { LogType = LogKind.SecurityLog, RequestId = 11, Log = new LogParameters { RemoteLocation = "https://logs.example/upload" } });
        Assert.Equal(LogStatus.Accepted, response.Status);
        h.Pump();
        var upload = Assert.Single(h.SignalsOf<LogUploadRequested>());
        Assert.Equal(response.Filename, upload.FileName);
        Assert.Contains("StartupOfTheDevice (critical)", Encoding.UTF8.GetString(upload.Content.Span), StringComparison.Ordinal);
        Assert.Equal(TriggerMessageStatus.Accepted, h.Call<TriggerMessageResponse>(new TriggerMessageRequest { RequestedMessage = MessageTrigger.LogStatusNotification }).Status);
        h.Model.OnTransferCompleted(upload.TransferId, true, null, default);
        h.Pump();
        Assert.Equal([(UploadLogStatus.Uploading, 11), (UploadLogStatus.Uploading, 11), (UploadLogStatus.Uploaded, 11)],
            h.SentOf<LogStatusNotificationRequest>().Select(s => (s.Status, s.RequestId ?? -1)));

        Assert.Equal(LogStatus.Accepted, h.Call<GetLogResponse>(new GetLogRequest { LogType = LogKind.DiagnosticsLog, RequestId = 12, Retries = 1, RetryInterval = 10, Log = new LogParameters { RemoteLocation = "https://logs.example/upload" } }).Status);
        Assert.Equal(LogStatus.AcceptedCanceled, h.Call<GetLogResponse>(new GetLogRequest { LogType = LogKind.DiagnosticsLog, RequestId = 13, Retries = 1, RetryInterval = 10, Log = new LogParameters { RemoteLocation = "https://logs.example/upload" } }).Status);
        h.Pump();
        var diagnostics = h.SignalsOf<LogUploadRequested>().Last();
        Assert.Contains("OCPPCommCtrlr.HeartbeatInterval = 300", Encoding.UTF8.GetString(diagnostics.Content.Span), StringComparison.Ordinal);
        h.Model.OnTransferCompleted(diagnostics.TransferId, false, "HTTP 500", default);
        h.Run(TimeSpan.FromSeconds(10));
        h.Model.OnTransferCompleted(h.SignalsOf<LogUploadRequested>().Last().TransferId, false, "HTTP 500", default);
        h.Pump();
        Assert.Equal(UploadLogStatus.UploadFailure, h.SentOf<LogStatusNotificationRequest>().Last().Status);
        Assert.Equal(13, h.SentOf<LogStatusNotificationRequest>().Last().RequestId);
        Assert.False(h.Model.IsUploadingLog);
        h.Call<TriggerMessageResponse>(new TriggerMessageRequest { RequestedMessage = MessageTrigger.LogStatusNotification });
        h.Pump();
        Assert.Equal(UploadLogStatus.Idle, h.SentOf<LogStatusNotificationRequest>().Last().Status);
    }

    [Fact]
    public void N09_N10_CustomerInformation_reports_what_the_station_keeps_of_an_idToken_and_clear_forgets_it()
    {
        var h = new StationHarness().Boot();
        var token = new IdToken { Token = "CARD1", Type = IdTokenKind.ISO14443 };
        h.Call<SendLocalListResponse>(new SendLocalListRequest
        {
            VersionNumber = 1, UpdateType = UpdateKind.Full,
            LocalAuthorizationList = [new AuthorizationData { IdToken = token, IdTokenInfo = new IdTokenInfo { Status = AuthorizationStatus.Accepted } }],
        });
        Assert.Equal(CustomerInformationStatus.Invalid, h.Call<CustomerInformationResponse>(new CustomerInformationRequest { RequestId = 1, Report = true, Clear = false }).Status);
        Assert.Equal(CustomerInformationStatus.Accepted, h.Call<CustomerInformationResponse>(new CustomerInformationRequest { RequestId = 2, Report = true, Clear = false, IdToken = token }).Status);
        h.Pump();
        var report = Assert.Single(h.SentOf<NotifyCustomerInformationRequest>());
        Assert.Equal((2, 0, (bool?)null), (report.RequestId, report.SeqNo, report.Tbc));
        Assert.Contains("local list Accepted", report.Data, StringComparison.Ordinal);

        Assert.Equal(CustomerInformationStatus.Accepted, h.Call<CustomerInformationResponse>(new CustomerInformationRequest { RequestId = 3, Report = true, Clear = true, IdToken = token }).Status);
        h.Pump();
        Assert.Equal("0", h.Call<GetVariablesResponse>(new GetVariablesRequest { GetVariableData = [new() { Component = Comp("LocalAuthListCtrlr"), Variable = Var("Entries") }] }).GetVariableResult[0].AttributeValue);
        Assert.Equal(CustomerInformationStatus.Accepted, h.Call<CustomerInformationResponse>(new CustomerInformationRequest { RequestId = 4, Report = true, Clear = false, IdToken = token }).Status);
        h.Pump();
        Assert.Contains("not in the local list", h.SentOf<NotifyCustomerInformationRequest>().Last().Data, StringComparison.Ordinal);
    }
}
