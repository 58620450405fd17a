using Simulator.Ocpp.Messages;
using System.Text.Json.Serialization;

namespace Simulator.Ocpp.V16.Types;

/// <summary>CancelReservation.conf <c>status</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<CancelReservationStatus>))]
public enum CancelReservationStatus
{
    Accepted,
    Rejected,
}

/// <summary>ReserveNow.conf <c>status</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<ReservationStatus>))]
public enum ReservationStatus
{
    Accepted,
    Faulted,
    Occupied,
    Rejected,
    Unavailable,
}
