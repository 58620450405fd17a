using Simulator.ChargePoint.V201.DeviceModel;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Reservation;
using Simulator.Ocpp.V201.Types;
using C = Simulator.ChargePoint.V201.DeviceModel.Components;
using V = Simulator.ChargePoint.V201.DeviceModel.Variables;

namespace Simulator.ChargePoint.V201;

/// <summary>
/// H: reservations. A reservation holds an EVSE (or, without evseId, any EVSE of the connector type: when as many EVSEs are free as there
/// are such reservations, all of them are Reserved) for its idToken or groupIdToken until expiryDateTime. Only that driver can start there;
/// the transaction that uses it carries its reservationId. Expired and removed (the EVSE faulted or became Inoperative) reservations are
/// reported with ReservationStatusUpdate; a used or cancelled one is not.
/// </summary>
public sealed partial class StationModel
{
    private readonly List<ReservationEntry> reservations = [];

    /// <summary>The reservation ids in force, per EVSE (0: not EVSE-specific).</summary>
    public IReadOnlyList<(int ReservationId, int EvseId)> Reservations => [.. reservations.Select(r => (r.Id, r.EvseId ?? 0))];

    private sealed record ReservationEntry(int Id, int? EvseId, IdToken IdToken, IdToken? GroupIdToken, DateTimeOffset Expiry, ConnectorKind? ConnectorType);

    private InboundReply Reservation(IOcppRequest request) => request switch
    {
        ReserveNowRequest r => Ok(ReserveNow(r)),
        CancelReservationRequest r => Ok(CancelReservation(r)),
        _ => InboundReply.Error(OcppErrorCode.NotSupported, $"{request.GetType().Name} is not sent to a charging station."),
    };

    /// <summary>H01: a reservation with the same id replaces the earlier one.</summary>
    private ReserveNowResponse ReserveNow(ReserveNowRequest request)
    {
        static ReserveNowResponse Status(ReserveNowStatus status, string? reason = null) =>
            new() { Status = status, StatusInfo = reason is null ? null : new StatusInfo { ReasonCode = reason } };
        if (!Device.GetBool(C.ReservationCtrlr, V.Enabled))
        {
            return Status(ReserveNowStatus.Rejected, "Disabled");
        }
        if (request.ExpiryDateTime <= CsmsNow)
        {
            return Status(ReserveNowStatus.Rejected, "InvalidValue");
        }
        var others = reservations.Where(r => r.Id != request.Id).ToList();
        if (request.EvseId is { } id)
        {
            if (!IsEvse(id))
            {
                return Status(ReserveNowStatus.Rejected, "UnknownEvse");
            }
            var evse = evses[id];
            if (!Fits(evse, request.ConnectorType))
            {
                return Status(ReserveNowStatus.Rejected, "UnknownConnectorType");
            }
            if (evse.Faulted)
            {
                return Status(ReserveNowStatus.Faulted);
            }
            if (IsInoperative(evse) || evse.InoperativeScheduled || stationInoperativeScheduled)
            {
                return Status(ReserveNowStatus.Unavailable);
            }
            if (!IsFree(evse) || others.Any(r => r.EvseId == id))
            {
                return Status(ReserveNowStatus.Occupied);
            }
        }
        else
        {
            if (!Device.GetBool(C.ReservationCtrlr, V.NonEvseSpecific))
            {
                return Status(ReserveNowStatus.Rejected, "NoAnyEvseReservation");
            }
            var candidates = Evses.Where(e => Fits(e, request.ConnectorType)).ToList();
            if (candidates.Count == 0)
            {
                return Status(ReserveNowStatus.Rejected, "UnknownConnectorType");
            }
            var free = candidates.Count(e => IsFree(e) && !others.Any(r => r.EvseId == e.Id));
            if (free <= others.Count(r => r.EvseId is null))
            {
                return candidates.All(e => e.Faulted) ? Status(ReserveNowStatus.Faulted)
                    : candidates.All(e => e.Faulted || IsInoperative(e)) ? Status(ReserveNowStatus.Unavailable)
                    : Status(ReserveNowStatus.Occupied);
            }
        }
        reservations.RemoveAll(r => r.Id == request.Id);
        reservations.Add(new ReservationEntry(request.Id, request.EvseId, request.IdToken, request.GroupIdToken, request.ExpiryDateTime, request.ConnectorType));
        return Status(ReserveNowStatus.Accepted);
    }

    /// <summary>H02: the reservation goes without a ReservationStatusUpdate.</summary>
    private CancelReservationResponse CancelReservation(CancelReservationRequest request) =>
        reservations.RemoveAll(r => r.Id == request.ReservationId) > 0
            ? new() { Status = CancelReservationStatus.Accepted }
            : new() { Status = CancelReservationStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "UnknownReservation" } };

    /// <summary>Nobody is at the EVSE and it can charge: what a new reservation needs.</summary>
    private bool IsFree(EvseState evse) =>
        !evse.Faulted && !IsInoperative(evse) && !evse.Plugged && evse.Transaction is null && evse.Authorization is null
        && !pendingAuthorizations.Any(p => p.EvseId == evse.Id);

    private bool Fits(EvseState evse, ConnectorKind? wanted) =>
        wanted is null or ConnectorKind.Unknown or ConnectorKind.Undetermined
        || string.Equals(Device.Get(C.Connector(evse.Id, 1), new VariableKey("ConnectorType")), wanted.ToString(), StringComparison.OrdinalIgnoreCase);

    /// <summary>Reserved: by a reservation of this EVSE, or because every free EVSE of its type is needed for the reservations without an EVSE.</summary>
    private bool IsReserved(EvseState evse)
    {
        if (reservations.Count == 0)
        {
            return false;
        }
        if (reservations.Any(r => r.EvseId == evse.Id))
        {
            return true;
        }
        var anyEvse = reservations.Where(r => r.EvseId is null && Fits(evse, r.ConnectorType)).ToList();
        if (anyEvse.Count == 0 || !IsFree(evse))
        {
            return false;
        }
        var free = Evses.Count(e => IsFree(e) && !reservations.Any(r => r.EvseId == e.Id) && anyEvse.Any(r => Fits(e, r.ConnectorType)));
        return free <= anyEvse.Count;
    }

    private static bool Holds(ReservationEntry reservation, IdToken token, IdToken? group) =>
        SameToken(reservation.IdToken, token) || (reservation.GroupIdToken is { } reservedGroup && (group is null || SameToken(reservedGroup, group)));

    /// <summary>
    /// A reservation keeps this driver off the EVSE. <paramref name="groupKnown"/> false: before authorization, when the driver's group is
    /// not known yet, a reservation for a group lets any token through to be checked again once authorized.
    /// </summary>
    private bool ReservedForOther(EvseState evse, IdToken token, IdToken? group, bool groupKnown)
    {
        if (reservations.Count == 0)
        {
            return false;
        }
        bool Lets(ReservationEntry r) => SameToken(r.IdToken, token)
            || (r.GroupIdToken is { } reservedGroup && (groupKnown ? group is not null && SameToken(reservedGroup, group) : true));
        if (reservations.FirstOrDefault(r => r.EvseId == evse.Id) is { } mine)
        {
            return !Lets(mine);
        }
        // Reservations without an EVSE: this driver may take the EVSE if they hold one, or if enough other free EVSEs remain for them.
        var pending = reservations.Where(r => r.EvseId is null && Fits(evse, r.ConnectorType)).ToList();
        if (pending.Count == 0 || pending.Any(Lets))
        {
            return false;
        }
        var freeOthers = Evses.Count(e => e != evse && IsFree(e) && !reservations.Any(r => r.EvseId == e.Id) && pending.Any(r => Fits(e, r.ConnectorType)));
        return freeOthers < pending.Count;
    }

    /// <summary>The transaction's driver uses their reservation (of this EVSE, else one without EVSE): it ends, and its id goes in the event.</summary>
    private int? ClaimReservation(EvseState evse, IdToken? token)
    {
        if (token is null || reservations.Count == 0)
        {
            return null;
        }
        var group = evse.Transaction?.GroupIdToken ?? evse.Authorization?.GroupIdToken;
        var used = reservations.FirstOrDefault(r => r.EvseId == evse.Id && Holds(r, token, group))
            ?? reservations.FirstOrDefault(r => r.EvseId is null && Fits(evse, r.ConnectorType) && Holds(r, token, group));
        if (used is null)
        {
            return null;
        }
        reservations.Remove(used);
        return used.Id;
    }

    /// <summary>Reservations whose EVSE faulted or became Inoperative are removed (reported as Removed).</summary>
    private void SettleReservations()
    {
        if (reservations.Count == 0)
        {
            return;
        }
        foreach (var gone in reservations.Where(r => r.EvseId is { } id && (evses[id].Faulted || IsInoperative(evses[id]))).ToList())
        {
            reservations.Remove(gone);
            Send(new ReservationStatusUpdateRequest { ReservationId = gone.Id, ReservationUpdateStatus = ReservationUpdateStatus.Removed });
        }
    }

    /// <summary>H01: at expiryDateTime the reservation ends with ReservationStatusUpdate Expired.</summary>
    private void ExpireReservations()
    {
        if (reservations.Count == 0)
        {
            return;
        }
        var now = CsmsNow;
        foreach (var expired in reservations.Where(r => r.Expiry <= now).ToList())
        {
            reservations.Remove(expired);
            Send(new ReservationStatusUpdateRequest { ReservationId = expired.Id, ReservationUpdateStatus = ReservationUpdateStatus.Expired });
        }
    }

    private DateTimeOffset? NextReservationExpiry() => reservations.Count == 0 ? null : reservations.Min(r => r.Expiry) - csmsOffset;
}
