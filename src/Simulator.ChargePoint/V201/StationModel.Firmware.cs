using System.Security.Cryptography.X509Certificates;
using Simulator.ChargePoint.Security;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.FirmwareManagement;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.Types;

namespace Simulator.ChargePoint.V201;

/// <summary>
/// L: firmware — UpdateFirmware (L01 signed, L02 unsigned): DownloadScheduled, Downloading, Downloaded, SignatureVerified or
/// InvalidSignature, InstallScheduled, Installing, InstallRebooting, the reboot (BootNotification FirmwareUpdate), Installed;
/// DownloadFailed after the retries, InstallationFailed. The download is the driver's (<see cref="FirmwareDownloadRequested"/>).
/// Not a local controller: PublishFirmware is Rejected, UnpublishFirmware NoFirmware.
/// </summary>
public sealed partial class StationModel
{
    private enum FirmwarePhase
    {
        Idle,
        DownloadScheduled,
        Downloading,
        /// <summary>Downloaded (and verified): installation waits for installDateTime and for running transactions to end.</summary>
        Downloaded,
        Installing,
        /// <summary>InstallRebooting was sent; the reboot follows when it is answered (or after a grace period).</summary>
        Rebooting,
        /// <summary>Rebooted with the new firmware: Installed goes once the boot is accepted.</summary>
        Booted,
    }

    private sealed record FirmwareJob(int RequestId, Firmware Firmware, X509Certificate2? SigningCertificate, byte[]? Signature, int? RetryInterval);

    private FirmwarePhase firmwarePhase = FirmwarePhase.Idle;
    private FirmwareJob? firmwareJob;
    private FirmwareStatus? firmwareLastStatus;
    private long nextTransferId;
    private long? firmwareTransferId;
    private int firmwareRetriesLeft;
    private DateTimeOffset? firmwareRetryAt;
    private DateTimeOffset? firmwareInstallDoneAt;
    private DateTimeOffset? firmwareRebootAt;
    private string? firmwareVersion;

    /// <summary>The firmware version BootNotification reports (changes when an update is installed).</summary>
    public string FirmwareVersion => firmwareVersion ?? options.FirmwareVersion;

    private static readonly TimeSpan FirmwareRebootGrace = TimeSpan.FromSeconds(5);

    private InboundReply FirmwareManagement(IOcppRequest request) => request switch
    {
        UpdateFirmwareRequest r => Ok(UpdateFirmware(r)),
        PublishFirmwareRequest or UnpublishFirmwareRequest => AbsentBlocks.FirmwareManagement(request),
        _ => InboundReply.Error(OcppErrorCode.NotSupported, $"{request.GetType().Name} is not sent to a charging station."),
    };

    private UpdateFirmwareResponse UpdateFirmware(UpdateFirmwareRequest request)
    {
        var firmware = request.Firmware;
        if (!Uri.TryCreate(firmware.Location, UriKind.Absolute, out _))
        {
            return new() { Status = UpdateFirmwareStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "InvalidURL", AdditionalInfo = "location is not an absolute URL" } };
        }
        X509Certificate2? signing = null;
        byte[]? signature = null;
        if (firmware.SigningCertificate is not null || firmware.Signature is not null)
        {
            // L01.FR.02/03: the signing certificate is checked against the ManufacturerRootCertificates before anything else.
            signing = CertificateChecks.Parse(firmware.SigningCertificate);
            if (signing is null || !CertificateChecks.ChainsTo(signing, certificates.ManufacturerRoots, null, CsmsNow))
            {
                RaiseSecurityEvent(SecurityEvents201.InvalidFirmwareSigningCertificate, "the firmware signing certificate does not chain to an installed ManufacturerRootCertificate");
                return new() { Status = UpdateFirmwareStatus.InvalidCertificate };
            }
            try
            {
                signature = System.Convert.FromBase64String(firmware.Signature ?? "");
            }
            catch (FormatException)
            {
                return new() { Status = UpdateFirmwareStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "InvalidSignature", AdditionalInfo = "signature is not base64" } };
            }
            if (signature.Length == 0)
            {
                return new() { Status = UpdateFirmwareStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "InvalidSignature", AdditionalInfo = "a signing certificate without a signature" } };
            }
        }
        if (firmwarePhase is FirmwarePhase.Installing or FirmwarePhase.Rebooting or FirmwarePhase.Booted)
        {
            return new() { Status = UpdateFirmwareStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "InstallationOngoing" } };
        }
        var canceled = firmwarePhase != FirmwarePhase.Idle;   // L01.FR.24: the running update stops, the new one starts
        firmwareJob = new FirmwareJob(request.RequestId, firmware, signing, signature, request.RetryInterval);
        firmwareTransferId = null;
        firmwareRetryAt = null;
        firmwareRetriesLeft = Math.Max(0, request.Retries ?? 0);
        firmwarePhase = FirmwarePhase.DownloadScheduled;
        if (firmware.RetrieveDateTime > CsmsNow)
        {
            SendFirmwareStatus(FirmwareStatus.DownloadScheduled);
        }
        return new() { Status = canceled ? UpdateFirmwareStatus.AcceptedCanceled : UpdateFirmwareStatus.Accepted };
    }

    private void SendFirmwareStatus(FirmwareStatus status, bool triggered = false)
    {
        firmwareLastStatus = status;
        Send(new FirmwareStatusNotificationRequest { Status = status, RequestId = firmwareJob?.RequestId }, triggered: triggered);
    }

    /// <summary>TriggerMessage FirmwareStatusNotification (L01.FR.25/26): Idle unless an update is under way, else the last status with its requestId.</summary>
    private void TriggerFirmwareStatus()
    {
        if (firmwarePhase == FirmwarePhase.Idle || firmwareLastStatus is null || firmwareLastStatus == FirmwareStatus.Installed)
        {
            Send(new FirmwareStatusNotificationRequest { Status = FirmwareStatus.Idle }, triggered: true);
            return;
        }
        SendFirmwareStatus(firmwareLastStatus.Value, triggered: true);
    }

    private DateTimeOffset? FirmwareNextDue() => firmwarePhase switch
    {
        FirmwarePhase.DownloadScheduled => firmwareJob!.Firmware.RetrieveDateTime - csmsOffset,
        FirmwarePhase.Downloading => firmwareRetryAt,
        FirmwarePhase.Downloaded => firmwareJob?.Firmware.InstallDateTime is { } at && at > CsmsNow ? at - csmsOffset : null,
        FirmwarePhase.Installing => firmwareInstallDoneAt,
        FirmwarePhase.Rebooting => firmwareRebootAt,
        _ => null,
    };

    private void AdvanceFirmware(DateTimeOffset now)
    {
        switch (firmwarePhase)
        {
            case FirmwarePhase.DownloadScheduled when firmwareJob!.Firmware.RetrieveDateTime <= CsmsNow:
                firmwarePhase = FirmwarePhase.Downloading;
                SendFirmwareStatus(FirmwareStatus.Downloading);
                RequestFirmwareDownload();
                break;
            case FirmwarePhase.Downloading when firmwareRetryAt is { } retry && retry <= now:
                firmwareRetryAt = null;
                RequestFirmwareDownload();
                break;
            case FirmwarePhase.Downloaded:
                if (firmwareJob!.Firmware.InstallDateTime is { } installAt && installAt > CsmsNow)
                {
                    break;   // InstallScheduled was sent
                }
                if (Evses.Any(e => e.Transaction is not null))
                {
                    break;   // L01.FR.06: installation waits for the transactions to end
                }
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
                firmwarePhase = FirmwarePhase.Rebooting;
                firmwareRebootAt = now + FirmwareRebootGrace;
                SendFirmwareStatus(FirmwareStatus.InstallRebooting);
                break;
            case FirmwarePhase.Rebooting when firmwareRebootAt is { } at && at <= now:
                RebootIntoFirmware();
                break;
        }
    }

    private void RequestFirmwareDownload()
    {
        firmwareTransferId = ++nextTransferId;
        Signal(new FirmwareDownloadRequested(firmwareTransferId.Value, firmwareJob!.Firmware.Location, KeepContent: firmwareJob.Signature is not null));
    }

    /// <summary>The download finished: verify (signed), then wait to install; or retry, or DownloadFailed.</summary>
    private bool FirmwareTransferCompleted(long transferId, bool success, ReadOnlyMemory<byte> content)
    {
        if (transferId != firmwareTransferId || firmwarePhase != FirmwarePhase.Downloading || firmwareJob is null)
        {
            return false;
        }
        firmwareTransferId = null;
        if (!success)
        {
            if (firmwareRetriesLeft > 0)
            {
                firmwareRetriesLeft--;
                firmwareRetryAt = LocalNow + TimeSpan.FromSeconds(Math.Max(0, firmwareJob.RetryInterval ?? 0));
            }
            else
            {
                firmwarePhase = FirmwarePhase.Idle;
                SendFirmwareStatus(FirmwareStatus.DownloadFailed);
            }
            return true;
        }
        SendFirmwareStatus(FirmwareStatus.Downloaded);
        if (firmwareJob.Signature is { } signature)
        {
            if (!CertificateChecks.VerifyFirmwareSignature(firmwareJob.SigningCertificate!, signature, content.Span))
            {
                firmwarePhase = FirmwarePhase.Idle;
                SendFirmwareStatus(FirmwareStatus.InvalidSignature);
                RaiseSecurityEvent(SecurityEvents201.InvalidFirmwareSignature, $"firmware of request {firmwareJob.RequestId}: the signature does not verify");
                return true;
            }
            SendFirmwareStatus(FirmwareStatus.SignatureVerified);
        }
        firmwarePhase = FirmwarePhase.Downloaded;
        if (firmwareJob.Firmware.InstallDateTime is { } installAt && installAt > CsmsNow)
        {
            SendFirmwareStatus(FirmwareStatus.InstallScheduled);
        }
        AdvanceFirmware(LocalNow);
        return true;
    }

    /// <summary>The CSMS took a status: InstallRebooting answered → the reboot into the new firmware.</summary>
    private void FirmwareStatusAnswered(FirmwareStatusNotificationRequest request)
    {
        if (request.Status == FirmwareStatus.InstallRebooting && firmwarePhase == FirmwarePhase.Rebooting)
        {
            RebootIntoFirmware();
        }
    }

    private void RebootIntoFirmware()
    {
        firmwareRebootAt = null;
        firmwarePhase = FirmwarePhase.Booted;
        firmwareVersion = VersionFromLocation(firmwareJob!.Firmware.Location) ?? FirmwareVersion;
        Reboot(RebootKind.FirmwareInstalled, BootReason.FirmwareUpdate);
    }

    /// <summary>From Settle: after the reboot into the new firmware, Installed goes once the boot is accepted .</summary>
    private void FlushFirmwareInstalled()
    {
        if (firmwarePhase == FirmwarePhase.Booted && IsOnline)
        {
            firmwarePhase = FirmwarePhase.Idle;
            SendFirmwareStatus(FirmwareStatus.Installed);
        }
    }

    /// <summary>From Settle: Installed after the reboot; a downloaded firmware installs once the last transaction ended.</summary>
    private void SettleFirmware()
    {
        FlushFirmwareInstalled();
        if (firmwarePhase == FirmwarePhase.Downloaded)
        {
            AdvanceFirmware(LocalNow);
        }
    }

    /// <summary>From Reboot: a download or installation another reboot interrupts has failed.</summary>
    private void FirmwareRebooted(RebootKind kind)
    {
        if (kind == RebootKind.FirmwareInstalled)
        {
            return;
        }
        if (firmwarePhase is FirmwarePhase.Downloading or FirmwarePhase.Installing or FirmwarePhase.Rebooting)
        {
            firmwarePhase = FirmwarePhase.Idle;
            firmwareTransferId = null;
            firmwareRetryAt = null;
            firmwareInstallDoneAt = null;
            firmwareRebootAt = null;
            firmwareLastStatus = null;
        }
    }

    /// <summary>"https://host/fw/v2.1.bin" → "v2.1": the file name without its extension, at most 50 characters (BootNotification's limit).</summary>
    private static string? VersionFromLocation(string location)
    {
        var path = Uri.TryCreate(location, UriKind.Absolute, out var uri) ? uri.AbsolutePath : location;
        var name = Path.GetFileNameWithoutExtension(path.TrimEnd('/'));
        return string.IsNullOrWhiteSpace(name) ? null : name.Length > 50 ? name[..50] : name;
    }
}
