using System.Text.Json;
using Simulator.ChargePoint.V201.DeviceModel;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;
using C = Simulator.ChargePoint.V201.DeviceModel.Components;
using V = Simulator.ChargePoint.V201.DeviceModel.Variables;

namespace Simulator.ChargePoint.V201;

/// <summary>B: provisioning — the device model over OCPP (reports, get/set), network profiles, reset.</summary>
public sealed partial class StationModel
{
    /// <summary>SetNetworkProfile's slots (configurationSlot → profile); which one is used is NetworkConfigurationPriority's business.</summary>
    private readonly Dictionary<int, NetworkConnectionProfile> networkProfiles = [];

    /// <summary>Network slots the station has (NetworkConfigurationPriority's values list).</summary>
    private const int NetworkSlots = 4;

    public IReadOnlyDictionary<int, NetworkConnectionProfile> NetworkProfiles => networkProfiles;

    private InboundReply Provisioning(IOcppRequest request) => request switch
    {
        GetBaseReportRequest r => Ok(GetBaseReport(r)),
        GetReportRequest r => Ok(GetReport(r)),
        GetVariablesRequest r => GetVariables(r),
        SetVariablesRequest r => SetVariables(r),
        SetNetworkProfileRequest r => Ok(SetNetworkProfile(r)),
        ResetRequest r => Ok(Reset(r)),
        _ => InboundReply.Error(OcppErrorCode.NotSupported, $"{request.GetType().Name} is not sent to a charging station."),
    };

    private GetBaseReportResponse GetBaseReport(GetBaseReportRequest request)
    {
        var data = Device.BaseReport(request.ReportBase);
        if (data.Count == 0)
        {
            return new() { Status = GenericDeviceModelStatus.EmptyResultSet };
        }
        QueueReport(request.RequestId, data);
        return new() { Status = GenericDeviceModelStatus.Accepted };
    }

    private GetReportResponse GetReport(GetReportRequest request)
    {
        var data = Device.Report(request.ComponentVariable, request.ComponentCriteria);
        if (data.Count == 0)
        {
            return new() { Status = GenericDeviceModelStatus.EmptyResultSet };
        }
        QueueReport(request.RequestId, data);
        return new() { Status = GenericDeviceModelStatus.Accepted };
    }

    /// <summary>NotifyReport in parts of at most ItemsPerMessage[GetReport] entries and BytesPerMessage[GetReport] bytes; seqNo from 0, tbc on all but the last.</summary>
    private void QueueReport(int requestId, IReadOnlyList<ReportData> data)
    {
        var maxItems = Math.Max(1, Device.GetInt(C.DeviceDataCtrlr, V.ItemsPerMessage("GetReport")));
        var maxBytes = Math.Max(1000, Device.GetInt(C.DeviceDataCtrlr, V.BytesPerMessage("GetReport")));
        var typeInfo = Ocpp201.Messages.TypeInfo(typeof(NotifyReportRequest));
        var generatedAt = CsmsNow;
        var parts = new List<List<ReportData>>();
        var current = new List<ReportData>();
        var bytes = 0;
        const int envelope = 100;   // the CALL frame around the payload, and tbc
        foreach (var item in data)
        {
            // An entry's size: a one-entry NotifyReport (the payload's own fields counted with each entry: a safe overestimate).
            var size = JsonSerializer.SerializeToUtf8Bytes(new NotifyReportRequest { RequestId = requestId, GeneratedAt = generatedAt, SeqNo = 0, ReportData = [item] }, typeInfo).Length;
            if (current.Count > 0 && (current.Count >= maxItems || envelope + bytes + size > maxBytes))
            {
                parts.Add(current);
                current = [];
                bytes = 0;
            }
            current.Add(item);
            bytes += size;
        }
        parts.Add(current);
        for (var i = 0; i < parts.Count; i++)
        {
            Send(new NotifyReportRequest
            {
                RequestId = requestId,
                GeneratedAt = generatedAt,
                SeqNo = i,
                Tbc = i < parts.Count - 1 ? true : null,
                ReportData = parts[i],
            }, requested: true);
        }
    }

    private InboundReply GetVariables(GetVariablesRequest request)
    {
        var max = Device.GetInt(C.DeviceDataCtrlr, V.ItemsPerMessage("GetVariables"));
        if (request.GetVariableData.Count > max)
        {
            return InboundReply.Error(OcppErrorCode.OccurrenceConstraintViolation, $"getVariableData has {request.GetVariableData.Count} entries; ItemsPerMessage[GetVariables] is {max}.");
        }
        return Ok(new GetVariablesResponse { GetVariableResult = [.. request.GetVariableData.Select(Device.GetVariable)] });
    }

    private InboundReply SetVariables(SetVariablesRequest request)
    {
        var max = Device.GetInt(C.DeviceDataCtrlr, V.ItemsPerMessage("SetVariables"));
        if (request.SetVariableData.Count > max)
        {
            return InboundReply.Error(OcppErrorCode.OccurrenceConstraintViolation, $"setVariableData has {request.SetVariableData.Count} entries; ItemsPerMessage[SetVariables] is {max}.");
        }
        var results = new List<SetVariableResult>(request.SetVariableData.Count);
        foreach (var data in request.SetVariableData)
        {
            var result = Device.SetVariable(data, out var changed);
            results.Add(result);
            if (changed is not null)
            {
                VariableChanged(changed);
            }
        }
        return Ok(new SetVariablesResponse { SetVariableResult = results });
    }

    /// <summary>A SetVariables changed a value: the behaviour that reads it follows now.</summary>
    private void VariableChanged(VariableDefinition definition)
    {
        var component = definition.Component;
        var variable = definition.Variable;
        var now = LocalNow;
        if (component == C.OCPPCommCtrlr && variable == V.HeartbeatInterval)
        {
            core.ScheduleHeartbeat();
        }
        else if (component == C.SampledDataCtrlr && variable == V.TxUpdatedInterval)
        {
            var interval = Device.GetInt(C.SampledDataCtrlr, V.TxUpdatedInterval);
            foreach (var evse in Evses)
            {
                if (evse.Transaction is { } transaction)
                {
                    transaction.NextUpdatedAt = interval > 0 ? now + TimeSpan.FromSeconds(interval) : null;
                }
            }
        }
        else if (component == C.SampledDataCtrlr && variable == V.TxEndedInterval)
        {
            var interval = Device.GetInt(C.SampledDataCtrlr, V.TxEndedInterval);
            foreach (var evse in Evses)
            {
                if (evse.Transaction is { } transaction)
                {
                    transaction.NextEndedSampleAt = interval > 0 ? now + TimeSpan.FromSeconds(interval) : null;
                }
            }
        }
        else if (component == C.AlignedDataCtrlr && variable == V.Interval)
        {
            ScheduleAligned();
        }
        else if (component == C.SecurityCtrlr && variable == V.BasicAuthPassword)
        {
            // A new password is used from the next connection (A01): at profiles 1 and 2 the station reconnects with it shortly.
            if (SecurityProfile is 1 or 2)
            {
                reconnectAt = LocalNow + options.SecurityReconnectGrace;
            }
            Signal(new ConfigurationChanged("SecurityCtrlr.BasicAuthPassword", "***"));
            return;
        }
        else if (component == C.AuthCacheCtrlr && variable == V.Enabled && !Device.GetBool(C.AuthCacheCtrlr, V.Enabled))
        {
            cache.Clear();
        }
        Signal(new ConfigurationChanged($"{component.Name}.{variable}", Device.Get(component, variable)));
    }

    /// <summary>
    /// B09: stores a connection profile in a slot. Rejected for a slot the station does not have, a transport other than JSON, or a
    /// security profile lower than the one in use (A05.FR.04 spirit: never downgrade). Used after NetworkConfigurationPriority names
    /// the slot first and the station reboots.
    /// </summary>
    private SetNetworkProfileResponse SetNetworkProfile(SetNetworkProfileRequest request)
    {
        var profile = request.ConnectionData;
        string? problem = request.ConfigurationSlot is < 0 or >= NetworkSlots ? $"slot {request.ConfigurationSlot} does not exist (0..{NetworkSlots - 1})"
            : profile.OcppTransport != OcppTransport.JSON ? "only OCPP-J (JSON) is supported"
            : profile.SecurityProfile is < 0 or > 3 ? $"security profile {profile.SecurityProfile} does not exist"
            : SecurityProfileProblem(profile.SecurityProfile) is { } securityProblem ? securityProblem
            : !Uri.TryCreate(profile.OcppCsmsUrl, UriKind.Absolute, out var url) || url.Scheme is not ("ws" or "wss") ? "ocppCsmsUrl is not a ws:// or wss:// URL"
            : profile.SecurityProfile >= 2 && url.Scheme != "wss" ? "security profiles 2 and 3 need wss://"
            : null;
        if (problem is not null)
        {
            return new() { Status = SetNetworkProfileStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "InvalidProfile", AdditionalInfo = problem } };
        }
        networkProfiles[request.ConfigurationSlot] = profile;
        return new() { Status = SetNetworkProfileStatus.Accepted };
    }

    // ───────────────────────── reset ─────────────────────────

    /// <summary>
    /// B11/B12. Station: Immediate ends the transactions (ImmediateReset) and reboots once their Ended are delivered (at most 30 s);
    /// OnIdle reboots now when idle, else Scheduled: after the last transaction ends. EVSE: the same for that EVSE, without a reboot.
    /// </summary>
    private ResetResponse Reset(ResetRequest request)
    {
        if (request.EvseId is { } evseId)
        {
            if (!IsEvse(evseId))
            {
                return new() { Status = ResetStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "UnknownEvse" } };
            }
            var evse = evses[evseId];
            if (evse.Transaction is not null && request.Type == ResetKind.OnIdle)
            {
                evse.ResetScheduled = true;
                return new() { Status = ResetStatus.Scheduled };
            }
            EndTransaction(evse, TriggerReason.ResetCommand, StopReason.ImmediateReset);
            ResetEvseNow(evse);
            return new() { Status = ResetStatus.Accepted };
        }
        if (request.Type == ResetKind.OnIdle && Evses.Any(e => e.Transaction is not null))
        {
            pendingReboot = (RebootKind.SoftReset, BootReason.ScheduledReset, null);
            return new() { Status = ResetStatus.Scheduled };
        }
        foreach (var evse in Evses)
        {
            EndTransaction(evse, TriggerReason.ResetCommand, StopReason.ImmediateReset);
        }
        pendingReboot = (request.Type == ResetKind.Immediate ? RebootKind.HardReset : RebootKind.SoftReset, BootReason.RemoteReset, LocalNow + TimeSpan.FromSeconds(30));
        return new() { Status = ResetStatus.Accepted };
    }

    /// <summary>An EVSE restarts: its driver's authorization is gone, the connector reports its status afresh.</summary>
    private void ResetEvseNow(EvseState evse)
    {
        DropAuthorization(evse, "the EVSE was reset");
        evse.Reported = null;
    }
}
