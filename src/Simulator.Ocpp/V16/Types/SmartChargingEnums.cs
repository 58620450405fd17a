using Simulator.Ocpp.Messages;
using System.Text.Json.Serialization;

namespace Simulator.Ocpp.V16.Types;

/// <summary>ClearChargingProfile.conf <c>status</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<ClearChargingProfileStatus>))]
public enum ClearChargingProfileStatus
{
    Accepted,
    Unknown,
}

/// <summary>GetCompositeSchedule.conf <c>status</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<GetCompositeScheduleStatus>))]
public enum GetCompositeScheduleStatus
{
    Accepted,
    Rejected,
}

/// <summary>SetChargingProfile.conf <c>status</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<ChargingProfileStatus>))]
public enum ChargingProfileStatus
{
    Accepted,
    Rejected,
    NotSupported,
}
