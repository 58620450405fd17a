using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.FirmwareManagement;
using Simulator.Ocpp.V16.Security;
using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.V16;

/// <summary>FirmwareManagement profile: GetDiagnostics (upload) and UpdateFirmware (download, install, reboot).</summary>
public sealed partial class ChargePointModel
{
    private enum FirmwarePhase
    {
        Idle,
        Scheduled,
        Downloading,
        /// <summary>Downloaded; installation waits for running transactions to end.</summary>
        Downloaded,
        Installing,
        /// <summary>Installed was sent; the reboot follows once it is delivered.</summary>
        Installed,
    }

    /// <summary>One firmware update: from UpdateFirmware, or from SignedUpdateFirmware (then with a requestId, signing certificate and signature).</summary>
    private sealed record FirmwareJob(string Location, DateTimeOffset RetrieveDate, int? RetryInterval, int? RequestId, X509Certificate2? SigningCertificate, byte[]? Signature)
    {
        public bool Signed => RequestId is not null;
    }

    private DiagnosticsStatus diagnosticsStatus = DiagnosticsStatus.Idle;
    private long? diagnosticsTransferId;
    private GetDiagnosticsRequest? diagnosticsRequest;
    private string? diagnosticsFileName;
    private byte[]? diagnosticsContent;
    private int diagnosticsRetriesLeft;
    private DateTimeOffset? diagnosticsRetryAt;

    private FirmwarePhase firmwarePhase = FirmwarePhase.Idle;
    private FirmwareJob? firmwareJob;
    private SignedFirmwareStatus signedFirmwareLastStatus = SignedFirmwareStatus.Idle;
    private long? firmwareTransferId;
    private int firmwareRetriesLeft;
    private DateTimeOffset? firmwareRetryAt;
    private DateTimeOffset? firmwareInstallDoneAt;
    private FirmwareStatus firmwareLastStatus = FirmwareStatus.Idle;

    private GetDiagnosticsResponse GetDiagnostics(GetDiagnosticsRequest request)
    {
        if (diagnosticsStatus == DiagnosticsStatus.Uploading || string.IsNullOrWhiteSpace(request.Location))
        {
            return new GetDiagnosticsResponse();
        }
        diagnosticsRequest = request;
        diagnosticsFileName = string.Create(CultureInfo.InvariantCulture, $"diagnostics-{options.ChargeBoxId}-{CsmsNow:yyyyMMdd'T'HHmmss'Z'}.log");
        diagnosticsContent = BuildDiagnostics(request.StartTime, request.StopTime);
        diagnosticsRetriesLeft = Math.Max(0, request.Retries ?? 0);
        StartDiagnosticsUpload();
        return new GetDiagnosticsResponse { FileName = diagnosticsFileName };
    }

    private void StartDiagnosticsUpload()
    {
        diagnosticsRetryAt = null;
        diagnosticsTransferId = ++nextTransferId;
        if (diagnosticsStatus != DiagnosticsStatus.Uploading)
        {
            diagnosticsStatus = DiagnosticsStatus.Uploading;
            Send(new DiagnosticsStatusNotificationRequest { Status = DiagnosticsStatus.Uploading });
        }
        Signal(new DiagnosticsUploadRequested(diagnosticsTransferId.Value, diagnosticsRequest!.Location, diagnosticsFileName!, diagnosticsContent));
    }

    private byte[] BuildDiagnostics(DateTimeOffset? start, DateTimeOffset? stop)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"FleetSim diagnostics for {options.ChargeBoxId} ({options.Vendor} {options.Model}, firmware {options.FirmwareVersion})\n");
        text.Append(CultureInfo.InvariantCulture, $"generated {CsmsNow:O}; requested span {start:O} .. {stop:O}\n");
        text.Append(CultureInfo.InvariantCulture, $"registration {Registration}; connected {IsConnected}; offline queue {core.Queue.Count}\n");
        foreach (var state in Connectors)
        {
            text.Append(CultureInfo.InvariantCulture, $"connector {state.ConnectorId}: {state.Status} ({state.ErrorCode}), transaction {state.TransactionId}, register {state.RegisterWh:F0} Wh\n");
        }
        foreach (var key in Configuration.Read(null).Known)
        {
            text.Append(CultureInfo.InvariantCulture, $"{key.Key} = {key.Value}\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private void AdvanceDiagnostics(DateTimeOffset now)
    {
        if (diagnosticsRetryAt is { } at && at <= now && diagnosticsRequest is not null)
        {
            StartDiagnosticsUpload();
        }
    }

    private UpdateFirmwareResponse UpdateFirmware(UpdateFirmwareRequest request)
    {
        if (firmwarePhase is FirmwarePhase.Idle or FirmwarePhase.Scheduled && !string.IsNullOrWhiteSpace(request.Location))
        {
            firmwareJob = new FirmwareJob(request.Location, request.RetrieveDate, request.RetryInterval, null, null, null);
            firmwarePhase = FirmwarePhase.Scheduled;
            firmwareRetriesLeft = Math.Max(0, request.Retries ?? 0);
            firmwareRetryAt = null;
        }
        return new UpdateFirmwareResponse();
    }

    /// <summary>Reports a transfer the actor performed for a <see cref="DiagnosticsUploadRequested"/>, <see cref="LogUploadRequested"/> or <see cref="FirmwareDownloadRequested"/> signal.</summary>
    public void OnTransferCompleted(long transferId, bool success, string? error) => OnTransferCompleted(transferId, success, error, ReadOnlyMemory<byte>.Empty);

    /// <summary>
    /// Reports a transfer; <paramref name="content"/> is the downloaded file when the signal asked to keep it
    /// (<see cref="FirmwareDownloadRequested.KeepContent"/>: signed firmware, whose signature is checked over it).
    /// </summary>
    public void OnTransferCompleted(long transferId, bool success, string? failure, ReadOnlyMemory<byte> content)
    {
        if (LogTransferCompleted(transferId, success))
        {
            Settle();
            return;
        }
        if (transferId == diagnosticsTransferId)
        {
            diagnosticsTransferId = null;
            if (success)
            {
                SetDiagnosticsStatus(DiagnosticsStatus.Uploaded);
            }
            else if (diagnosticsRetriesLeft > 0)
            {
                diagnosticsRetriesLeft--;
                diagnosticsRetryAt = LocalNow + TimeSpan.FromSeconds(Math.Max(0, diagnosticsRequest?.RetryInterval ?? 0));
            }
            else
            {
                SetDiagnosticsStatus(DiagnosticsStatus.UploadFailed);
            }
        }
        else if (transferId == firmwareTransferId && firmwarePhase == FirmwarePhase.Downloading)
        {
            firmwareTransferId = null;
            if (success && firmwareJob is { Signed: true } signed)
            {
                SendFirmwareStatus(FirmwareStatus.Downloaded);
                if (VerifyFirmwareSignature(signed.SigningCertificate!, signed.Signature!, content.Span))
                {
                    firmwarePhase = FirmwarePhase.Downloaded;
                    SendSignedFirmwareStatus(SignedFirmwareStatus.SignatureVerified);
                }
                else
                {
                    firmwarePhase = FirmwarePhase.Idle;
                    SendSignedFirmwareStatus(SignedFirmwareStatus.InvalidSignature);
                    RaiseSecurityEvent(Security.SecurityEventTypes.InvalidFirmwareSignature, $"firmware of request {signed.RequestId}: the signature does not verify");
                }
            }
            else if (success)
            {
                firmwarePhase = FirmwarePhase.Downloaded;
                SendFirmwareStatus(FirmwareStatus.Downloaded);
            }
            else if (firmwareRetriesLeft > 0)
            {
                firmwareRetriesLeft--;
                firmwareRetryAt = LocalNow + TimeSpan.FromSeconds(Math.Max(0, firmwareJob?.RetryInterval ?? 0));
            }
            else
            {
                firmwarePhase = FirmwarePhase.Idle;
                SendFirmwareStatus(FirmwareStatus.DownloadFailed);
            }
        }
        AdvanceFirmware(LocalNow);
        Settle();
    }

    private void SetDiagnosticsStatus(DiagnosticsStatus status)
    {
        diagnosticsStatus = status;
        Send(new DiagnosticsStatusNotificationRequest { Status = status });
        if (status != DiagnosticsStatus.Uploading)
        {
            diagnosticsStatus = DiagnosticsStatus.Idle;
            diagnosticsRequest = null;
        }
    }

    /// <summary>FirmwareStatusNotification, or for a signed update SignedFirmwareStatusNotification with the job's requestId.</summary>
    private void SendFirmwareStatus(FirmwareStatus status)
    {
        firmwareLastStatus = status;
        if (firmwareJob is { Signed: true })
        {
            SendSignedFirmwareStatus(Enum.Parse<SignedFirmwareStatus>(status.ToString()));
            return;
        }
        Send(new FirmwareStatusNotificationRequest { Status = status });
    }

    private void SendSignedFirmwareStatus(SignedFirmwareStatus status)
    {
        signedFirmwareLastStatus = status;
        Send(new SignedFirmwareStatusNotificationRequest { Status = status, RequestId = status == SignedFirmwareStatus.Idle ? null : firmwareJob?.RequestId });
    }

    private DateTimeOffset? FirmwareNextDue() => firmwarePhase switch
    {
        FirmwarePhase.Scheduled => firmwareJob!.RetrieveDate - csmsOffset,
        FirmwarePhase.Downloading => firmwareRetryAt,
        FirmwarePhase.Installing => firmwareInstallDoneAt,
        _ => null,
    };

    private void AdvanceFirmware(DateTimeOffset now)
    {
        switch (firmwarePhase)
        {
            case FirmwarePhase.Scheduled when firmwareJob!.RetrieveDate <= CsmsNow:
                firmwarePhase = FirmwarePhase.Downloading;
                SendFirmwareStatus(FirmwareStatus.Downloading);
                firmwareTransferId = ++nextTransferId;
                Signal(new FirmwareDownloadRequested(firmwareTransferId.Value, firmwareJob.Location, firmwareJob.Signed));
                break;
            case FirmwarePhase.Downloading when firmwareRetryAt is { } retry && retry <= now:
                firmwareRetryAt = null;
                firmwareTransferId = ++nextTransferId;
                Signal(new FirmwareDownloadRequested(firmwareTransferId.Value, firmwareJob!.Location, firmwareJob.Signed));
                break;
            case FirmwarePhase.Downloaded when connectors.All(c => c.Transaction is null):
                firmwarePhase = FirmwarePhase.Installing;
                firmwareInstallDoneAt = now + options.FirmwareInstallDuration;
                SendFirmwareStatus(FirmwareStatus.Installing);
                if (options.FirmwareInstallDuration <= TimeSpan.Zero)
                {
                    AdvanceFirmware(now);
                }
                break;
            case FirmwarePhase.Installing when firmwareInstallDoneAt is { } done && done <= now:
                firmwareInstallDoneAt = null;
                if (random.NextDouble() < options.FirmwareInstallFailureProbability)
                {
                    firmwarePhase = FirmwarePhase.Idle;
                    SendFirmwareStatus(FirmwareStatus.InstallationFailed);
                    break;
                }
                firmwarePhase = FirmwarePhase.Installed;
                firmwareVersion = VersionFromLocation(firmwareJob!.Location) ?? firmwareVersion;
                SendFirmwareStatus(FirmwareStatus.Installed);
                // Reboot once the Installed notification is delivered (FirmwareStatusDelivered), or after a grace period.
                pendingReboot = (RebootKind.FirmwareInstalled, now + SoftResetGrace);
                break;
        }
    }

    /// <summary>"https://host/fw/v2.1.bin" → "v2.1": the file name without its extension, at most 50 characters (BootNotification's limit).</summary>
    private static string? VersionFromLocation(string location)
    {
        var path = Uri.TryCreate(location, UriKind.Absolute, out var uri) ? uri.AbsolutePath : location;
        var name = Path.GetFileNameWithoutExtension(path.TrimEnd('/'));
        return string.IsNullOrWhiteSpace(name) ? null : name.Length > 50 ? name[..50] : name;
    }

    private void FirmwareStatusDelivered(IOcppRequest request)
    {
        if (request is FirmwareStatusNotificationRequest { Status: FirmwareStatus.Installed } or SignedFirmwareStatusNotificationRequest { Status: SignedFirmwareStatus.Installed }
            && firmwarePhase == FirmwarePhase.Installed && pendingReboot is { } reboot)
        {
            pendingReboot = reboot with { Deadline = LocalNow };
        }
    }

    private void AbortTransfersOnReboot()
    {
        if (diagnosticsStatus == DiagnosticsStatus.Uploading)
        {
            diagnosticsStatus = DiagnosticsStatus.Idle;
            diagnosticsTransferId = null;
            diagnosticsRetryAt = null;
            diagnosticsRequest = null;
        }
        if (firmwarePhase == FirmwarePhase.Installed)
        {
            firmwarePhase = FirmwarePhase.Idle;
            firmwareLastStatus = FirmwareStatus.Idle;
        }
        else if (firmwarePhase is FirmwarePhase.Downloading or FirmwarePhase.Installing)
        {
            // Interrupted by a reboot: the update failed.
            firmwarePhase = FirmwarePhase.Idle;
            firmwareTransferId = null;
            firmwareLastStatus = FirmwareStatus.Idle;
        }
    }
}
