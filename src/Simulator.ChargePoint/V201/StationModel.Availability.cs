using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Availability;
using Simulator.Ocpp.V201.Transactions;
using Simulator.Ocpp.V201.Types;

namespace Simulator.ChargePoint.V201;

/// <summary>G: availability — connector statuses, ChangeAvailability, faults.</summary>
public sealed partial class StationModel
{
    private bool stationInoperative;
    private bool stationInoperativeScheduled;

    private InboundReply Availability(IOcppRequest request) => request switch
    {
        ChangeAvailabilityRequest r => Ok(ChangeAvailability(r)),
        _ => InboundReply.Error(OcppErrorCode.NotSupported, $"{request.GetType().Name} is not sent to a charging station."),
    };

    /// <summary>
    /// G03/G04: the station (no evse), an EVSE, or its connector (connectorId 1) becomes Inoperative or Operative. Inoperative where a
    /// transaction runs is Scheduled: it takes effect when the transaction ends.
    /// </summary>
    private ChangeAvailabilityResponse ChangeAvailability(ChangeAvailabilityRequest request)
    {
        var operative = request.OperationalStatus == OperationalStatus.Operative;
        if (request.Evse is not { } target)
        {
            if (operative)
            {
                stationInoperative = false;
                stationInoperativeScheduled = false;
                return new() { Status = ChangeAvailabilityStatus.Accepted };
            }
            if (Evses.Any(e => e.Transaction is not null))
            {
                stationInoperativeScheduled = true;
                foreach (var evse in Evses.Where(e => e.Transaction is null))
                {
                    DropAuthorization(evse, "the station became Inoperative");
                }
                return new() { Status = ChangeAvailabilityStatus.Scheduled };
            }
            stationInoperative = true;
            foreach (var evse in Evses)
            {
                DropAuthorization(evse, "the station became Inoperative");
            }
            return new() { Status = ChangeAvailabilityStatus.Accepted };
        }
        if (!IsEvse(target.Id) || target.ConnectorId is { } connector && connector != 1)
        {
            return new() { Status = ChangeAvailabilityStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "UnknownEvse" } };
        }
        var state = evses[target.Id];
        if (operative)
        {
            state.Inoperative = false;
            state.InoperativeScheduled = false;
            return new() { Status = ChangeAvailabilityStatus.Accepted };
        }
        if (state.Transaction is not null)
        {
            state.InoperativeScheduled = true;
            return new() { Status = ChangeAvailabilityStatus.Scheduled };
        }
        state.Inoperative = true;
        DropAuthorization(state, "the EVSE became Inoperative");
        return new() { Status = ChangeAvailabilityStatus.Accepted };
    }

    private bool IsInoperative(EvseState evse) => evse.Inoperative || stationInoperative;

    /// <summary>Sets or clears a hardware fault (evse 0: the whole station). A transaction on a faulted EVSE ends (AbnormalCondition, Other).</summary>
    public void SetFaulted(int connectorId, bool faulted)
    {
        if (connectorId < 0 || connectorId > EvseCount)
        {
            return;
        }
        var affected = connectorId == 0 ? Evses.ToList() : [evses[connectorId]];
        foreach (var evse in affected)
        {
            evse.Faulted = faulted;
            if (faulted)
            {
                EndTransaction(evse, TriggerReason.AbnormalCondition, StopReason.Other);
                DropAuthorization(evse, "the EVSE faulted");
            }
        }
        Settle();
    }

    private ConnectorStatus ComputeStatus(EvseState evse) =>
        evse.Faulted ? ConnectorStatus.Faulted
        : evse.Transaction is not null || evse.Plugged ? ConnectorStatus.Occupied
        : IsInoperative(evse) ? ConnectorStatus.Unavailable
        : IsReserved(evse) ? ConnectorStatus.Reserved
        : ConnectorStatus.Available;

    /// <summary>Block H (reservations) decides; without it nothing is reserved.</summary>
    private static bool IsReserved(EvseState evse) => false;

    /// <summary>ChargingStation / EVSE AvailabilityState: the EVSE's connector status; the station's: Unavailable/Faulted when all are, else Available.</summary>
    private ConnectorStatus AvailabilityStateOf(int? evseId)
    {
        if (evseId is { } id)
        {
            return ComputeStatus(evses[id]);
        }
        var all = Evses.Select(ComputeStatus).ToList();
        return stationInoperative ? ConnectorStatus.Unavailable
            : all.All(s => s == ConnectorStatus.Faulted) ? ConnectorStatus.Faulted
            : all.All(s => s == ConnectorStatus.Occupied) ? ConnectorStatus.Occupied
            : ConnectorStatus.Available;
    }

    /// <summary>Reports every connector whose status changed (G01: at once; 2.0.1 has no MinimumStatusDuration), or all after a boot.</summary>
    private void RefreshStatuses(bool reportAll = false)
    {
        var now = LocalNow;
        foreach (var evse in Evses)
        {
            var status = ComputeStatus(evse);
            if (status != evse.Candidate)
            {
                evse.Candidate = status;
                evse.CandidateSince = now;
            }
            if (IsOnline && (reportAll || evse.Candidate != evse.Reported))
            {
                ReportStatus(evse);
            }
        }
    }

    private void ReportStatus(EvseState evse, bool triggered = false)
    {
        evse.Reported = evse.Candidate;
        Send(new StatusNotificationRequest
        {
            EvseId = evse.Id,
            ConnectorId = 1,
            ConnectorStatus = evse.Candidate,
            Timestamp = evse.CandidateSince + csmsOffset,
        }, null, triggered);
    }
}
