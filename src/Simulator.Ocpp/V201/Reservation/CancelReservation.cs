using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Reservation;

public sealed record CancelReservationRequest : IOcppRequest<CancelReservationResponse>
{
    public static string Action => "CancelReservation";

    public required int ReservationId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record CancelReservationResponse : IOcppResponse
{
    public required CancelReservationStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>CancelReservation.conf <c>status</c> (CancelReservationStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<CancelReservationStatus>))]
public enum CancelReservationStatus
{
    Accepted,
    Rejected,
}
