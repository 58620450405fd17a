using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Reservation;

public sealed record CancelReservationRequest : IOcppRequest<CancelReservationResponse>
{
    public static string Action => "CancelReservation";

    public required int ReservationId { get; init; }

    public void Validate(PayloadChecker check) { }
}

public sealed record CancelReservationResponse : IOcppResponse
{
    public required CancelReservationStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
