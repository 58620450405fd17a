using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Availability;

public sealed record ChangeAvailabilityRequest : IOcppRequest<ChangeAvailabilityResponse>
{
    public static string Action => "ChangeAvailability";

    public Evse? Evse { get; init; }
    public required OperationalStatus OperationalStatus { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(Evse, "evse")
        .Nested(CustomData, "customData");
}

public sealed record ChangeAvailabilityResponse : IOcppResponse
{
    public required ChangeAvailabilityStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>ChangeAvailability.req <c>operationalStatus</c> (OperationalStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<OperationalStatus>))]
public enum OperationalStatus
{
    Inoperative,
    Operative,
}

/// <summary>ChangeAvailability.conf <c>status</c> (ChangeAvailabilityStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ChangeAvailabilityStatus>))]
public enum ChangeAvailabilityStatus
{
    Accepted,
    Rejected,
    Scheduled,
}
