using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Simulator.Csms;
using Simulator.Fleet.Plan;
using Simulator.Fleet.Tests.Security;
using Simulator.Metrics;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.FirmwareManagement;
using Simulator.Ocpp.V16.Security;
using Simulator.Ocpp.V16.Types;
using Simulator.Tests.Ftp;
using Firmware = Simulator.Ocpp.V16.Types.Firmware;

namespace Simulator.Fleet.Tests.EndToEnd;

/// <summary>
/// GetDiagnostics and UpdateFirmware over FTP, from the embedded CSMS to a live charge-point actor and on to a real vsftpd:
/// the files, the status notifications on the wire, and the causes in the end-of-run report.
/// </summary>
[Collection(EndToEndGroup.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FtpTransferTests : IAsyncLifetime
{
    private VsftpdServer? _ftp;
    private FleetHarness? _h;
    private string _id = "";

    private VsftpdServer Ftp => _ftp!;

    private FleetHarness H => _h!;

    public async Task InitializeAsync()
    {
        _ftp = await VsftpdServer.StartAsync();
        _h = await FleetHarness.StartAsync(Plans.OneType("FTP-{000}"), new CsmsOptions { HeartbeatInterval = 300 });
        _id = await H.StartBootedAsync();
    }

    public async Task DisposeAsync()
    {
        if (_h is not null)
        {
            await _h.DisposeAsync();
        }

        if (_ftp is not null)
        {
            await _ftp.DisposeAsync();
        }
    }

    private async Task<TResponse> CallAsync<TResponse>(IOcppRequest request) where TResponse : IOcppResponse
    {
        var outcome = await H.Csms.CallAsync(_id, request);
        Assert.True(outcome.IsAnswered, $"{outcome.Action}: {outcome.Status} {outcome.ErrorCode} {outcome.Description}");
        return Assert.IsType<TResponse>(outcome.Response);
    }

    private List<string> Statuses(string action) => [.. H.Wire.CallsFromChargePoint(_id, action).Select(f => f.Payload.GetProperty("status").GetString()!)];

    private Task<UpdateFirmwareResponse> UpdateFirmwareAsync(Uri location) =>
        CallAsync<UpdateFirmwareResponse>(new UpdateFirmwareRequest { Location = location.ToString(), RetrieveDate = DateTimeOffset.UtcNow });

    [Fact]
    public async Task Diagnostics_go_up_and_firmware_comes_down_over_FTP_and_each_failure_reaches_the_report_with_its_cause()
    {
        await CallAsync<GetDiagnosticsResponse>(new GetDiagnosticsRequest { Location = Ftp.Url("upload/", password: "not-the-password").ToString() });
        await Await.ConditionAsync(() => Statuses("DiagnosticsStatusNotification").Contains("UploadFailed"), "DiagnosticsStatusNotification UploadFailed");
        var reply = await CallAsync<GetDiagnosticsResponse>(new GetDiagnosticsRequest { Location = Ftp.Url("upload/").ToString() });
        await Await.ConditionAsync(() => Statuses("DiagnosticsStatusNotification").Contains("Uploaded"), "DiagnosticsStatusNotification Uploaded");
        Assert.Equal(["Uploading", "UploadFailed", "Uploading", "Uploaded"], Statuses("DiagnosticsStatusNotification"));
        var text = await File.ReadAllTextAsync(Path.Combine(Ftp.UploadDirectory, reply.FileName!));
        Assert.StartsWith($"FleetSim diagnostics for {_id} ", text, StringComparison.Ordinal);
        Assert.Contains("\nSupportedFileTransferProtocols = FTP,FTPS,HTTP,HTTPS\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);

        await UpdateFirmwareAsync(Ftp.Url("files/v2.bin", password: "not-the-password"));
        await Await.ConditionAsync(() => Statuses("FirmwareStatusNotification").Contains("DownloadFailed"), "DownloadFailed after the wrong password");
        Assert.Equal(["Downloading", "DownloadFailed"], Statuses("FirmwareStatusNotification"));

        await UpdateFirmwareAsync(Ftp.Url("files/no-such-firmware.bin"));
        await Await.ConditionAsync(() => Statuses("FirmwareStatusNotification").Count(s => s == "DownloadFailed") == 2, "DownloadFailed for the missing file");

        Ftp.AddFile("v3.bin", RandomNumberGenerator.GetBytes(200_000));
        await UpdateFirmwareAsync(Ftp.Url("files/v3.bin"));
        await Await.ConditionAsync(() => Statuses("FirmwareStatusNotification").Contains("Downloaded"), "Downloaded");
        Assert.Equal(["Downloading", "DownloadFailed", "Downloading", "DownloadFailed", "Downloading", "Downloaded"], Statuses("FirmwareStatusNotification").Take(6));

        var report = RunReportBuilder.Build(new RunInfo("ftp", "e2e", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1), H.Telemetry.Snapshot());
        Assert.Equal(new Dictionary<string, long> { ["login"] = 1, ["ok"] = 1 }, report.FileTransfers["upload"]);
        Assert.Equal(new Dictionary<string, long> { ["file_unavailable"] = 1, ["login"] = 1, ["ok"] = 1 }, report.FileTransfers["download"]);
        Assert.Contains("file transfers: download file_unavailable=1, login=1, ok=1; upload login=1, ok=1", SummaryRenderer.Render(report), StringComparison.Ordinal);
        var json = RunReport.FromJson(report.ToJson());
        Assert.Equal(1, json.FileTransfers["download"]["login"]);
    }
}

/// <summary>
/// GetLog and signed firmware over FTPS (security extension, profile 1): the charge point trusts for FTPS what it trusts for
/// the OCPP connection, its CentralSystemRootCertificates, so the FTP server's certificate is refused until its root is installed.
/// </summary>
[Collection("security end-to-end")]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FtpsTransferTests
{
    [Fact]
    public async Task GetLog_and_signed_firmware_over_FTPS_trust_the_installed_central_system_roots_and_a_refused_certificate_is_reported_as_tls()
    {
        await using var ftp = await VsftpdServer.StartAsync();
        await using var fleet = await SecureFleet.StartAsync(1, new SecurityPlan { Profile = 1, AuthorizationKey = SecureFleet.Key, CpoName = SecureFleet.Cpo });
        fleet.StartAll();
        var id = fleet.Ids[0];
        await fleet.WaitBootedAsync(id);

        async Task<GetLogResponse> GetLogAsync(int requestId)
        {
            var outcome = await fleet.Server.CallAsync(id, new GetLogRequest
            {
                LogType = LogType.SecurityLog,
                RequestId = requestId,
                Log = new LogParameters { RemoteLocation = ftp.Url("upload/", secure: true).ToString() },
            });
            return Assert.IsType<GetLogResponse>(outcome.Response);
        }

        Assert.Equal(LogStatus.Accepted, (await GetLogAsync(1)).Status);
        await SecureFleet.WaitUntilAsync(() => fleet.State(id).LogStatusHistory.Count == 2, "Uploading and UploadFailure");
        Assert.Equal(["Uploading#1", "UploadFailure#1"], fleet.State(id).LogStatusHistory);

        var install = await fleet.Server.CallAsync(id, new InstallCertificateRequest { CertificateType = CertificateUse.CentralSystemRootCertificate, Certificate = ftp.TrustedRoot.ExportCertificatePem() });
        Assert.Equal(InstallCertificateStatus.Accepted, Assert.IsType<InstallCertificateResponse>(install.Response).Status);
        var log = await GetLogAsync(2);
        await SecureFleet.WaitUntilAsync(() => fleet.State(id).LogStatusHistory.Count == 4, "Uploading and Uploaded");
        Assert.Equal(["Uploading#1", "UploadFailure#1", "Uploading#2", "Uploaded#2"], fleet.State(id).LogStatusHistory);
        var body = await File.ReadAllTextAsync(Path.Combine(ftp.UploadDirectory, log.Filename!));
        Assert.Contains("StartupOfTheDevice", body, StringComparison.Ordinal);

        // Signed firmware: the charge point keeps the downloaded bytes and checks the signature over them.
        using var makerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var maker = new CertificateRequest("CN=Maker Root, O=Maker", makerKey, HashAlgorithmName.SHA256) { CertificateExtensions = { new X509BasicConstraintsExtension(true, false, 0, true) } }
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var signerKey = RSA.Create(2048);
        using var signer = new CertificateRequest("CN=Firmware Signer, O=Maker", signerKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)
            .Create(maker.SubjectName, X509SignatureGenerator.CreateForECDsa(makerKey), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), [1, 2, 3]);
        var firmware = RandomNumberGenerator.GetBytes(300_000);
        ftp.AddFile("signed-v4.bin", firmware);
        var manufacturer = await fleet.Server.CallAsync(id, new InstallCertificateRequest { CertificateType = CertificateUse.ManufacturerRootCertificate, Certificate = maker.ExportCertificatePem() });
        Assert.Equal(InstallCertificateStatus.Accepted, Assert.IsType<InstallCertificateResponse>(manufacturer.Response).Status);
        var update = await fleet.Server.CallAsync(id, new SignedUpdateFirmwareRequest
        {
            RequestId = 9,
            Firmware = new Firmware
            {
                Location = ftp.Url("files/signed-v4.bin", secure: true).ToString(),
                RetrieveDateTime = DateTimeOffset.UtcNow,
                SigningCertificate = signer.ExportCertificatePem(),
                Signature = Convert.ToBase64String(signerKey.SignData(firmware, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)),
            },
        });
        Assert.Equal(SignedUpdateFirmwareStatus.Accepted, Assert.IsType<SignedUpdateFirmwareResponse>(update.Response).Status);
        await SecureFleet.WaitUntilAsync(() => fleet.State(id).SignedFirmwareStatusHistory.Contains("SignatureVerified#9"), "SignatureVerified");
        Assert.Equal(["Downloading#9", "Downloaded#9", "SignatureVerified#9"], fleet.State(id).SignedFirmwareStatusHistory.Take(3));

        var report = RunReportBuilder.Build(new RunInfo("ftps", "e2e", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1), fleet.Telemetry.Snapshot());
        Assert.Equal(new Dictionary<string, long> { ["ok"] = 1, ["tls"] = 1 }, report.FileTransfers["upload"]);
        Assert.Equal(new Dictionary<string, long> { ["ok"] = 1 }, report.FileTransfers["download"]);
        Assert.DoesNotContain(VsftpdServer.Password, report.ToJson(), StringComparison.Ordinal);
    }
}
