using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Reservation;

public sealed record ReservationStatusUpdateRequest : IOcppRequest<ReservationStatusUpdateResponse>
{
    public static string Action => "ReservationStatusUpdate";

    public required int ReservationId { get; init; }
    public required ReservationUpdateStatus ReservationUpdateStatus { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record ReservationStatusUpdateResponse : IOcppResponse
{
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

/// <summary>ReservationStatusUpdate.req <c>reservationUpdateStatus</c> (ReservationUpdateStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ReservationUpdateStatus>))]
public enum ReservationUpdateStatus
{
    Expired,
    Removed,
}
