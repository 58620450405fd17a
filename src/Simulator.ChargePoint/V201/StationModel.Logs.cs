using System.Globalization;
using System.Text;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Diagnostics;
using Simulator.Ocpp.V201.Types;

namespace Simulator.ChargePoint.V201;

/// <summary>
/// N: GetLog (N01: the diagnostics or the security log uploaded through the driver's <see cref="LogUploadRequested"/>, with
/// LogStatusNotification Uploading, Uploaded or UploadFailure after the retries) and CustomerInformation (N09/N10: what the station
/// keeps of an idToken reported in NotifyCustomerInformation parts, and forgotten on clear). The monitoring part of N is elsewhere.
/// </summary>
public sealed partial class StationModel
{
    /// <summary>NotifyCustomerInformation.data is at most 512 characters a part.</summary>
    private const int CustomerDataPartLength = 512;

    private GetLogRequest? logRequest;
    private long? logTransferId;
    private string? logFileName;
    private byte[]? logContent;
    private int logRetriesLeft;
    private DateTimeOffset? logRetryAt;

    /// <summary>True while a GetLog upload runs or waits to retry.</summary>
    public bool IsUploadingLog => logRequest is not null;

    /// <summary>GetLog and CustomerInformation here; the rest of N (monitoring) is StationModel.Monitoring.cs's.</summary>
    private InboundReply LogsAndCustomerData(IOcppRequest request) => request switch
    {
        GetLogRequest r => Ok(GetLog(r)),
        CustomerInformationRequest r => Ok(CustomerInformation(r)),
        _ => InboundReply.Error(OcppErrorCode.NotSupported, $"{request.GetType().Name} is not sent to a charging station."),
    };

    // ───────────────────────── N01: GetLog ─────────────────────────

    private GetLogResponse GetLog(GetLogRequest request)
    {
        if (!Uri.TryCreate(request.Log.RemoteLocation, UriKind.Absolute, out _))
        {
            return new() { Status = LogStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "InvalidURL", AdditionalInfo = "remoteLocation is not an absolute URL" } };
        }
        var canceled = logRequest is not null;   // N01.FR.12: a new request cancels the running upload
        logRequest = request;
        var kind = request.LogType == LogKind.SecurityLog ? "security" : "diagnostics";
        logFileName = string.Create(CultureInfo.InvariantCulture, $"{kind}-{options.ChargeBoxId}-{CsmsNow:yyyyMMdd'T'HHmmss'Z'}.log");
        logContent = request.LogType == LogKind.SecurityLog
            ? Encoding.UTF8.GetBytes(securityLog.Render(options.ChargeBoxId, request.Log.OldestTimestamp, request.Log.LatestTimestamp))
            : BuildDiagnostics(request.Log.OldestTimestamp, request.Log.LatestTimestamp);
        logRetriesLeft = Math.Max(0, request.Retries ?? 0);
        StartLogUpload(first: true);
        return new() { Status = canceled ? LogStatus.AcceptedCanceled : LogStatus.Accepted, Filename = logFileName };
    }

    private void StartLogUpload(bool first)
    {
        logRetryAt = null;
        logTransferId = ++nextTransferId;
        if (first)
        {
            Send(new LogStatusNotificationRequest { Status = UploadLogStatus.Uploading, RequestId = logRequest!.RequestId }, requested: true);
        }
        Signal(new LogUploadRequested(logTransferId.Value, logRequest!.Log.RemoteLocation, logFileName!, logContent));
    }

    private bool LogTransferCompleted(long transferId, bool success)
    {
        if (transferId != logTransferId || logRequest is null)
        {
            return false;
        }
        logTransferId = null;
        if (success || logRetriesLeft == 0)
        {
            Send(new LogStatusNotificationRequest { Status = success ? UploadLogStatus.Uploaded : UploadLogStatus.UploadFailure, RequestId = logRequest.RequestId }, requested: true);
            logRequest = null;
            logContent = null;
            return true;
        }
        logRetriesLeft--;
        logRetryAt = LocalNow + TimeSpan.FromSeconds(Math.Max(0, logRequest.RetryInterval ?? 0));
        return true;
    }

    private void AdvanceLogUpload(DateTimeOffset now)
    {
        if (logRetryAt is { } at && at <= now && logRequest is not null)
        {
            StartLogUpload(first: false);
        }
    }

    /// <summary>TriggerMessage LogStatusNotification (N01.FR.19/20): Uploading with the requestId while an upload runs, else Idle.</summary>
    private void TriggerLogStatus() =>
        Send(logRequest is not null
            ? new LogStatusNotificationRequest { Status = UploadLogStatus.Uploading, RequestId = logRequest.RequestId }
            : new LogStatusNotificationRequest { Status = UploadLogStatus.Idle }, triggered: true);

    /// <summary>From Reboot: an upload does not survive it.</summary>
    private void LogsRebooted()
    {
        logRequest = null;
        logTransferId = null;
        logRetryAt = null;
        logContent = null;
    }

    private byte[] BuildDiagnostics(DateTimeOffset? oldest, DateTimeOffset? latest)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"FleetSim diagnostics for {options.ChargeBoxId} ({options.Vendor} {options.Model}, firmware {FirmwareVersion})\n");
        text.Append(CultureInfo.InvariantCulture, $"generated {CsmsNow:O}; requested span {oldest:O} .. {latest:O}\n");
        text.Append(CultureInfo.InvariantCulture, $"registration {Registration}; connected {IsConnected}; transaction queue {core.Queue.Count}\n");
        foreach (var evse in Evses)
        {
            text.Append(CultureInfo.InvariantCulture, $"EVSE {evse.Id}: {ComputeStatus(evse)}, transaction {evse.Transaction?.Id ?? "none"}, register {evse.Meter.RegisterWh:F0} Wh\n");
        }
        foreach (var definition in Device.Definitions.Where(d => d.Mutability != Simulator.Ocpp.V201.Provisioning.Mutability.WriteOnly))
        {
            text.Append(CultureInfo.InvariantCulture, $"{definition.Component}.{definition.Variable} = {Device.Get(definition.Component, definition.Variable)}\n");
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    // ───────────────────────── N09/N10: CustomerInformation ─────────────────────────

    /// <summary>
    /// Accepted when the request names a customer (idToken, customerIdentifier or customerCertificate) and asks to report or clear;
    /// the report goes as NotifyCustomerInformation parts (seqNo from 0, tbc on all but the last), the clear forgets the idToken in the
    /// authorization cache and the local list.
    /// </summary>
    private CustomerInformationResponse CustomerInformation(CustomerInformationRequest request)
    {
        if (request.IdToken is null && request.CustomerCertificate is null && string.IsNullOrEmpty(request.CustomerIdentifier))
        {
            return new() { Status = CustomerInformationStatus.Invalid, StatusInfo = new StatusInfo { ReasonCode = "NoCustomer", AdditionalInfo = "name an idToken, customerIdentifier or customerCertificate" } };
        }
        if (!request.Report && !request.Clear)
        {
            return new() { Status = CustomerInformationStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "NothingToDo", AdditionalInfo = "neither report nor clear" } };
        }
        var report = request.Report ? DescribeCustomer(request) : null;
        if (request.Clear)
        {
            ForgetCustomer(request);
        }
        var data = report ?? (request.Clear ? "Cleared." : "");
        var parts = Enumerable.Range(0, Math.Max(1, (data.Length + CustomerDataPartLength - 1) / CustomerDataPartLength))
            .Select(i => data.Substring(i * CustomerDataPartLength, Math.Min(CustomerDataPartLength, data.Length - (i * CustomerDataPartLength))))
            .ToList();
        var generatedAt = CsmsNow;
        for (var i = 0; i < parts.Count; i++)
        {
            Send(new NotifyCustomerInformationRequest
            {
                Data = parts[i],
                SeqNo = i,
                Tbc = i < parts.Count - 1 ? true : null,
                GeneratedAt = generatedAt,
                RequestId = request.RequestId,
            }, requested: true);
        }
        return new() { Status = CustomerInformationStatus.Accepted };
    }

    private string DescribeCustomer(CustomerInformationRequest request)
    {
        var text = new StringBuilder();
        if (request.IdToken is { } token)
        {
            var key = KeyOf(token);
            text.Append(CultureInfo.InvariantCulture, $"idToken {token.Type} {token.Token}: ");
            text.Append(localList.TryGetValue(key, out var listed) ? $"local list {listed.Status}" : "not in the local list");
            text.Append("; ");
            text.Append(cache.TryGetValue(key, out var cached) ? $"authorization cache {cached.Info.Status} since {cached.StoredAt:O}" : "not in the authorization cache");
            foreach (var evse in Evses.Where(e => SameToken(e.Transaction?.IdToken, token)))
            {
                text.Append(CultureInfo.InvariantCulture, $"; transaction {evse.Transaction!.Id} on EVSE {evse.Id}");
            }
            text.Append(". ");
        }
        if (!string.IsNullOrEmpty(request.CustomerIdentifier))
        {
            text.Append(CultureInfo.InvariantCulture, $"customerIdentifier {request.CustomerIdentifier}: no data kept. ");
        }
        if (request.CustomerCertificate is not null)
        {
            text.Append("customerCertificate: no ISO 15118 contract certificates kept. ");
        }
        return text.ToString().TrimEnd();
    }

    private void ForgetCustomer(CustomerInformationRequest request)
    {
        if (request.IdToken is not { } token)
        {
            return;
        }
        var key = KeyOf(token);
        cache.Remove(key);
        localList.Remove(key);
    }
}
