using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Availability;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.RemoteControl;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;
using C = Simulator.ChargePoint.V201.DeviceModel.Components;
using V = Simulator.ChargePoint.V201.DeviceModel.Variables;

namespace Simulator.ChargePoint.V201;

/// <summary>F: remote control — RequestStartTransaction / RequestStopTransaction, UnlockConnector, TriggerMessage.</summary>
public sealed partial class StationModel
{
    private InboundReply RemoteControl(IOcppRequest request) => request switch
    {
        RequestStartTransactionRequest r => Ok(RequestStartTransaction(r)),
        RequestStopTransactionRequest r => Ok(RequestStopTransaction(r)),
        UnlockConnectorRequest r => Ok(UnlockConnector(r)),
        TriggerMessageRequest r => Ok(TriggerMessage(r)),
        _ => InboundReply.Error(OcppErrorCode.NotSupported, $"{request.GetType().Name} is not sent to a charging station."),
    };

    /// <summary>
    /// F01/F02: authorizes the token (first with Authorize when AuthorizeRemoteStart) on the EVSE (given, else one with an EV waiting,
    /// else the first free one), then the start point decides: the Started (or Updated, when a transaction already runs) carries the
    /// remoteStartId. Without an EV the station waits EVConnectionTimeOut and signals <see cref="RemoteStartAwaitingPlugIn"/>.
    /// </summary>
    private RequestStartTransactionResponse RequestStartTransaction(RequestStartTransactionRequest request)
    {
        static RequestStartTransactionResponse Rejected(string reason) =>
            new() { Status = RequestStartStopStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = reason } };
        if (request.ChargingProfile is { ChargingProfilePurpose: not ChargingProfilePurpose.TxProfile })
        {
            return Rejected("InvalidProfile");
        }
        EvseState? evse;
        if (request.EvseId is { } id)
        {
            if (!IsEvse(id))
            {
                return Rejected("UnknownEvse");
            }
            evse = evses[id];
        }
        else
        {
            var candidates = Evses.Where(e => CanRemoteStartOn(e, request.IdToken)).ToList();
            evse = candidates.FirstOrDefault(e => e.Plugged && e.Transaction is null) ?? candidates.FirstOrDefault(e => e.Transaction is null) ?? candidates.FirstOrDefault();
            if (evse is null)
            {
                return Rejected("NoFreeEvse");
            }
        }
        if (!CanRemoteStartOn(evse, request.IdToken))
        {
            return Rejected(evse.Faulted ? "Faulted" : IsInoperative(evse) ? "Unavailable" : "Occupied");
        }
        if (ReservedForOther(evse, request.IdToken, request.GroupIdToken, groupKnown: true))
        {
            return Rejected("Reserved");
        }
        var transactionId = evse.Transaction?.Id;
        RememberRemoteStartProfile(evse.Id, request.RemoteStartId, request.ChargingProfile);
        var auth = new PendingAuthorization(evse.Id, request.IdToken, AuthPurpose.RemoteStart, request.RemoteStartId, request.GroupIdToken);
        if (Device.GetBool(C.AuthCtrlr, V.AuthorizeRemoteStart))
        {
            Authorize(auth);
        }
        else
        {
            Authorized(auth, LocalLookup(request.IdToken) is { Status: AuthorizationStatus.Accepted } local ? local : new IdTokenInfo { Status = AuthorizationStatus.Accepted });
        }
        return new() { Status = RequestStartStopStatus.Accepted, TransactionId = transactionId };
    }

    /// <summary>Free for a remote start: operative, no driver authorized or being authorized there (a transaction without a driver is fine).</summary>
    private bool CanRemoteStartOn(EvseState evse, IdToken token) =>
        CanAuthorizeOn(evse, token) && evse.Authorization is null && evse.Transaction is not { IdToken: not null }
        && !pendingAuthorizations.Any(p => p.EvseId == evse.Id && p.Purpose != AuthPurpose.LocalStop);

    /// <summary>F03: ends (per TxStopPoint) the transaction with Remote / RemoteStop.</summary>
    private RequestStopTransactionResponse RequestStopTransaction(RequestStopTransactionRequest request)
    {
        var evse = Evses.FirstOrDefault(e => e.Transaction?.Id == request.TransactionId);
        if (evse is null)
        {
            return new() { Status = RequestStartStopStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "UnknownTransaction" } };
        }
        Deauthorize(evse, TriggerReason.RemoteStop, StopReason.Remote);
        return new() { Status = RequestStartStopStatus.Accepted };
    }

    /// <summary>F05: every EVSE has connector 1; an authorized transaction keeps its cable locked.</summary>
    private UnlockConnectorResponse UnlockConnector(UnlockConnectorRequest request)
    {
        if (!IsEvse(request.EvseId) || request.ConnectorId != 1)
        {
            return new() { Status = UnlockStatus.UnknownConnector };
        }
        var evse = evses[request.EvseId];
        if (evse.Transaction is { Deauthorized: false, IdToken: not null })
        {
            return new() { Status = UnlockStatus.OngoingAuthorizedTransaction };
        }
        if (evse.Transaction is not null)
        {
            EndTransaction(evse, TriggerReason.UnlockCommand, StopReason.Other);
        }
        return new() { Status = evse.Faulted ? UnlockStatus.UnlockFailed : UnlockStatus.Unlocked };
    }

    /// <summary>
    /// F06: sends the requested message (for the EVSE when given). While the registration is Pending only triggered messages go;
    /// before any answer, or while Rejected, only a BootNotification may be triggered. A BootNotification after acceptance is Rejected (F06.FR.17).
    /// </summary>
    private TriggerMessageResponse TriggerMessage(TriggerMessageRequest request)
    {
        static TriggerMessageResponse Status(TriggerMessageStatus status, string? reason = null) =>
            new() { Status = status, StatusInfo = reason is null ? null : new StatusInfo { ReasonCode = reason } };
        if (request.Evse is { } target && (!IsEvse(target.Id) || target.ConnectorId is { } c && c != 1))
        {
            return Status(TriggerMessageStatus.Rejected, "UnknownEvse");
        }
        var evseId = request.Evse?.Id;
        if (request.RequestedMessage != MessageTrigger.BootNotification && !core.Boot.IsPending && !IsBooted)
        {
            return Status(TriggerMessageStatus.Rejected, "NotRegistered");
        }
        switch (request.RequestedMessage)
        {
            case MessageTrigger.BootNotification:
                if (IsBooted)
                {
                    return Status(TriggerMessageStatus.Rejected, "AlreadyAccepted");
                }
                Send(BootRequest(BootReason.Triggered), null, triggered: true);
                return Status(TriggerMessageStatus.Accepted);
            case MessageTrigger.Heartbeat:
                Send(new HeartbeatRequest(), null, triggered: true);
                return Status(TriggerMessageStatus.Accepted);
            case MessageTrigger.StatusNotification:
                foreach (var evse in evseId is { } one ? [evses[one]] : Evses)
                {
                    evse.Candidate = ComputeStatus(evse);
                    ReportStatus(evse, triggered: true);
                }
                return Status(TriggerMessageStatus.Accepted);
            case MessageTrigger.MeterValues:
                TriggerMeterValues(evseId);
                return Status(TriggerMessageStatus.Accepted);
            case MessageTrigger.TransactionEvent:
                var running = (evseId is { } e ? [evses[e]] : Evses).Where(x => x.Transaction is not null).ToList();
                if (running.Count == 0)
                {
                    return Status(TriggerMessageStatus.Rejected, "NoTransaction");
                }
                foreach (var evse in running)
                {
                    var value = Sample(evse, MeasurandsOf(C.SampledDataCtrlr, V.TxUpdatedMeasurands), ReadingContext.Trigger);
                    EmitEvent(evse, TransactionEventKind.Updated, TriggerReason.Trigger, value is null ? null : [value]);
                }
                return Status(TriggerMessageStatus.Accepted);
            case MessageTrigger.FirmwareStatusNotification:
                TriggerFirmwareStatus();
                return Status(TriggerMessageStatus.Accepted);
            case MessageTrigger.LogStatusNotification:
                TriggerLogStatus();
                return Status(TriggerMessageStatus.Accepted);
            case MessageTrigger.SignChargingStationCertificate or MessageTrigger.SignV2GCertificate:
                // A02/A03: a new key pair and its CSR; needs SecurityCtrlr.OrganizationName.
                return RequestCertificateSigning(request.RequestedMessage == MessageTrigger.SignV2GCertificate ? CertificateSigningUse.V2GCertificate : CertificateSigningUse.ChargingStationCertificate, 0, triggered: true)
                    ? Status(TriggerMessageStatus.Accepted) : Status(TriggerMessageStatus.Rejected, "NoOrganizationName");
            default:
                // SignCombinedCertificate (ISO 15118), PublishFirmwareStatusNotification (not a local controller).
                return Status(TriggerMessageStatus.NotImplemented);
        }
    }
}
