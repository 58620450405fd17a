using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Reservation;

public sealed record ReserveNowRequest : IOcppRequest<ReserveNowResponse>
{
    public static string Action => "ReserveNow";

    public required int ConnectorId { get; init; }
    public required DateTimeOffset ExpiryDate { get; init; }
    public required string IdTag { get; init; }
    public string? ParentIdTag { get; init; }
    public required int ReservationId { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(IdTag, 20, "idTag")
        .MaxLength(ParentIdTag, 20, "parentIdTag");
}

public sealed record ReserveNowResponse : IOcppResponse
{
    public required ReservationStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
