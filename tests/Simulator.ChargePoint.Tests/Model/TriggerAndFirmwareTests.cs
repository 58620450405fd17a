using System.Text;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.FirmwareManagement;
using Simulator.Ocpp.V16.RemoteTrigger;
using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.Tests.Model;

public class TriggerAndFirmwareTests
{
    [Theory]
    [InlineData(MessageTrigger.BootNotification, typeof(BootNotificationRequest))]
    [InlineData(MessageTrigger.DiagnosticsStatusNotification, typeof(DiagnosticsStatusNotificationRequest))]
    [InlineData(MessageTrigger.FirmwareStatusNotification, typeof(FirmwareStatusNotificationRequest))]
    [InlineData(MessageTrigger.Heartbeat, typeof(HeartbeatRequest))]
    [InlineData(MessageTrigger.MeterValues, typeof(MeterValuesRequest))]
    [InlineData(MessageTrigger.StatusNotification, typeof(StatusNotificationRequest))]
    public void TriggerMessage_is_Accepted_and_the_message_follows(MessageTrigger trigger, Type expected)
    {
        var h = new Harness().Boot();
        h.Sent.Clear();
        Assert.Equal(TriggerMessageStatus.Accepted, h.Trigger(trigger, trigger is MessageTrigger.MeterValues or MessageTrigger.StatusNotification ? 1 : null));
        var sent = Assert.Single(h.Pump());
        Assert.IsType(expected, sent.Request);
        Assert.False(sent.IsTransactionMessage);
        switch (sent.Request)
        {
            case MeterValuesRequest m:
                Assert.Equal(1, m.ConnectorId);
                Assert.All(m.MeterValue[0].SampledValue, v => Assert.Equal(ReadingContext.Trigger, v.Context));
                break;
            case StatusNotificationRequest s:
                Assert.Equal((1, ChargePointStatus.Available), (s.ConnectorId, s.Status));
                break;
            case DiagnosticsStatusNotificationRequest d:
                Assert.Equal(DiagnosticsStatus.Idle, d.Status);
                break;
            case FirmwareStatusNotificationRequest f:
                Assert.Equal(FirmwareStatus.Idle, f.Status);
                break;
        }
    }

    [Fact]
    public void TriggerMessage_rejects_a_missing_connector_and_an_unknown_trigger_is_NotImplemented()
    {
        var h = new Harness().Boot();
        Assert.Equal(TriggerMessageStatus.Rejected, h.Trigger(MessageTrigger.StatusNotification, 5));
        Assert.Equal(TriggerMessageStatus.NotImplemented, h.Trigger((MessageTrigger)42));
        Assert.Equal(TriggerMessageStatus.Accepted, h.Trigger(MessageTrigger.StatusNotification));
        Assert.Equal(3, h.Pump().Count);
    }

    [Fact]
    public void GetDiagnostics_uploads_a_generated_file_and_reports_Uploading_then_Uploaded()
    {
        var h = new Harness().Boot();
        h.Sent.Clear();
        var reply = h.Reply<GetDiagnosticsResponse>(new GetDiagnosticsRequest { Location = "ftp://diag.example/in" });
        Assert.StartsWith("diagnostics-CP-1-", reply.FileName, StringComparison.Ordinal);
        h.Pump();
        var upload = h.SignalsOf<DiagnosticsUploadRequested>().Single();
        Assert.Equal(("ftp://diag.example/in", reply.FileName), (upload.Location, upload.FileName));
        Assert.Contains("HeartbeatInterval = 300", Encoding.UTF8.GetString(upload.Content.Span), StringComparison.Ordinal);
        Assert.Equal(TriggerMessageStatus.Accepted, h.Trigger(MessageTrigger.DiagnosticsStatusNotification));
        h.Model.OnTransferCompleted(upload.TransferId, true, null);
        h.Pump();
        Assert.Equal([DiagnosticsStatus.Uploading, DiagnosticsStatus.Uploading, DiagnosticsStatus.Uploaded], h.SentOf<DiagnosticsStatusNotificationRequest>().Select(d => d.Status));
    }

    [Fact]
    public void GetDiagnostics_retries_then_reports_UploadFailed()
    {
        var h = new Harness().Boot();
        h.Sent.Clear();
        h.Reply<GetDiagnosticsResponse>(new GetDiagnosticsRequest { Location = "ftp://x/", Retries = 1, RetryInterval = 30 });
        h.Pump();
        h.Model.OnTransferCompleted(h.SignalsOf<DiagnosticsUploadRequested>().Single().TransferId, false, "refused");
        h.Run(TimeSpan.FromSeconds(30));
        var second = h.SignalsOf<DiagnosticsUploadRequested>().ToList();
        Assert.Equal(2, second.Count);
        h.Model.OnTransferCompleted(second[1].TransferId, false, "refused");
        h.Pump();
        Assert.Equal([DiagnosticsStatus.Uploading, DiagnosticsStatus.UploadFailed], h.SentOf<DiagnosticsStatusNotificationRequest>().Select(d => d.Status));
    }

    [Fact]
    public void UpdateFirmware_downloads_at_retrieveDate_installs_reports_each_step_then_reboots()
    {
        var h = new Harness().Boot();
        h.Sent.Clear();
        h.Reply<UpdateFirmwareResponse>(new UpdateFirmwareRequest { Location = "https://fw.example/v2.bin", RetrieveDate = h.CsmsNow.AddMinutes(5) });
        h.Run(TimeSpan.FromMinutes(4));
        Assert.Empty(h.SignalsOf<FirmwareDownloadRequested>());
        h.Run(TimeSpan.FromMinutes(1));
        var download = h.SignalsOf<FirmwareDownloadRequested>().Single();
        Assert.Equal("https://fw.example/v2.bin", download.Location);
        h.Model.OnTransferCompleted(download.TransferId, true, null);
        h.Pump();
        h.Run(TimeSpan.FromSeconds(10));
        Assert.Equal([FirmwareStatus.Downloading, FirmwareStatus.Downloaded, FirmwareStatus.Installing, FirmwareStatus.Installed],
            h.SentOf<FirmwareStatusNotificationRequest>().Select(f => f.Status));
        Assert.Equal(RebootKind.FirmwareInstalled, h.SignalsOf<RebootRequested>().Single().Kind);
        Assert.False(h.Model.IsBooted);
        h.Model.OnConnected();
        h.Pump();
        Assert.Equal("v2", h.SentOf<BootNotificationRequest>().Single().FirmwareVersion);   // the first boot (1.0.0) was cleared above
        Assert.Equal("v2", h.Model.FirmwareVersion);
    }

    [Fact]
    public void UpdateFirmware_waits_for_running_transactions_before_installing()
    {
        var h = new Harness().Boot();
        h.Model.PlugIn(1, Harness.Ev);
        h.Model.PresentIdTag(1, "T");
        h.Pump();
        h.Reply<UpdateFirmwareResponse>(new UpdateFirmwareRequest { Location = "https://fw/", RetrieveDate = h.CsmsNow });
        h.Run(TimeSpan.Zero);
        h.Model.OnTransferCompleted(h.SignalsOf<FirmwareDownloadRequested>().Single().TransferId, true, null);
        h.Run(TimeSpan.FromMinutes(5));
        Assert.DoesNotContain(FirmwareStatus.Installing, h.SentOf<FirmwareStatusNotificationRequest>().Select(f => f.Status));
        h.Model.Unplug(1);
        h.Pump();
        h.Run(TimeSpan.FromSeconds(10));
        Assert.Contains(FirmwareStatus.Installed, h.SentOf<FirmwareStatusNotificationRequest>().Select(f => f.Status));
    }

    [Fact]
    public void UpdateFirmware_reports_DownloadFailed_after_its_retries()
    {
        var h = new Harness().Boot();
        h.Reply<UpdateFirmwareResponse>(new UpdateFirmwareRequest { Location = "https://fw/", RetrieveDate = h.CsmsNow, Retries = 1, RetryInterval = 60 });
        h.Run(TimeSpan.Zero);
        h.Model.OnTransferCompleted(h.SignalsOf<FirmwareDownloadRequested>().Single().TransferId, false, "404");
        h.Run(TimeSpan.FromSeconds(60));
        h.Model.OnTransferCompleted(h.SignalsOf<FirmwareDownloadRequested>().Last().TransferId, false, "404");
        h.Pump();
        Assert.Equal(2, h.SignalsOf<FirmwareDownloadRequested>().Count());
        Assert.Equal([FirmwareStatus.Downloading, FirmwareStatus.DownloadFailed], h.SentOf<FirmwareStatusNotificationRequest>().Select(f => f.Status));
        Assert.Empty(h.SignalsOf<RebootRequested>());
    }

    [Fact]
    public void A_failing_installation_reports_InstallationFailed_and_does_not_reboot()
    {
        var h = new Harness(tweak: o => o with { FirmwareInstallFailureProbability = 1 }).Boot();
        h.Reply<UpdateFirmwareResponse>(new UpdateFirmwareRequest { Location = "https://fw/", RetrieveDate = h.CsmsNow });
        h.Run(TimeSpan.Zero);
        h.Model.OnTransferCompleted(h.SignalsOf<FirmwareDownloadRequested>().Single().TransferId, true, null);
        h.Run(TimeSpan.FromSeconds(30));
        Assert.Equal([FirmwareStatus.Downloading, FirmwareStatus.Downloaded, FirmwareStatus.Installing, FirmwareStatus.InstallationFailed],
            h.SentOf<FirmwareStatusNotificationRequest>().Select(f => f.Status));
        Assert.Empty(h.SignalsOf<RebootRequested>());
    }
}
