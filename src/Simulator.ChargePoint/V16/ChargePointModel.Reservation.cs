using Simulator.Ocpp.V16.Reservation;
using Simulator.Ocpp.V16.Types;
using K = Simulator.ChargePoint.V16.Configuration.ConfigurationKeys;

namespace Simulator.ChargePoint.V16;

/// <summary>Reservation profile: ReserveNow and CancelReservation; reservations expire at their expiryDate (CSMS time).</summary>
public sealed partial class ChargePointModel
{
    private ReserveNowResponse ReserveNow(ReserveNowRequest request)
    {
        if (request.ConnectorId < 0 || request.ConnectorId > ConnectorCount
            || (request.ConnectorId == 0 && !Configuration.GetBool(K.ReserveConnectorZeroSupported))
            || string.IsNullOrEmpty(request.IdTag) || request.ExpiryDate <= CsmsNow)
        {
            return new() { Status = ReservationStatus.Rejected };
        }
        // The same reservationId replaces the earlier reservation.
        var existing = connectors.FirstOrDefault(c => c.Reservation?.ReservationId == request.ReservationId);
        var previous = existing?.Reservation;
        if (existing is not null)
        {
            existing.Reservation = null;
        }
        var connector = connectors[request.ConnectorId];
        var status = ReservationOutcome(connector);
        if (status != ReservationStatus.Accepted)
        {
            if (existing is not null)
            {
                existing.Reservation = previous;
            }
            return new() { Status = status };
        }
        connector.Reservation = new Reservation(request.ReservationId, request.ConnectorId, request.IdTag, request.ParentIdTag, request.ExpiryDate);
        return new() { Status = ReservationStatus.Accepted };
    }

    private ReservationStatus ReservationOutcome(Connector connector)
    {
        if (connector.Id == 0)
        {
            var usable = connectors.Skip(1).Where(c => !c.Faulted && !IsInoperative(c)).ToList();
            return connectors[0].Faulted ? ReservationStatus.Faulted
                : connectors[0].Inoperative || usable.Count == 0 ? ReservationStatus.Unavailable
                : connectors[0].Reservation is not null || !usable.Any(c => c.Transaction is null && c.Reservation is null && !c.Plugged && c.PendingStart is null) ? ReservationStatus.Occupied
                : ReservationStatus.Accepted;
        }
        return connector.Faulted || connectors[0].Faulted ? ReservationStatus.Faulted
            : IsInoperative(connector) ? ReservationStatus.Unavailable
            : connector.Transaction is not null || connector.Plugged || connector.PendingStart is not null || connector.Reservation is not null ? ReservationStatus.Occupied
            : ReservationStatus.Accepted;
    }

    private CancelReservationResponse CancelReservation(CancelReservationRequest request)
    {
        var connector = connectors.FirstOrDefault(c => c.Reservation?.ReservationId == request.ReservationId);
        if (connector is null)
        {
            return new() { Status = CancelReservationStatus.Rejected };
        }
        connector.Reservation = null;
        return new() { Status = CancelReservationStatus.Accepted };
    }
}
