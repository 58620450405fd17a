using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Availability;

public sealed record StatusNotificationRequest : IOcppRequest<StatusNotificationResponse>
{
    public static string Action => "StatusNotification";

    public required DateTimeOffset Timestamp { get; init; }
    public required ConnectorStatus ConnectorStatus { get; init; }
    public required int EvseId { get; init; }
    public required int ConnectorId { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record StatusNotificationResponse : IOcppResponse
{
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

/// <summary>StatusNotification.req <c>connectorStatus</c> (ConnectorStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ConnectorStatus>))]
public enum ConnectorStatus
{
    Available,
    Occupied,
    Reserved,
    Unavailable,
    Faulted,
}
