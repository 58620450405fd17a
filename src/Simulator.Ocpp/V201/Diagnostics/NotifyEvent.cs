using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Diagnostics;

public sealed record NotifyEventRequest : IOcppRequest<NotifyEventResponse>
{
    public static string Action => "NotifyEvent";

    public required DateTimeOffset GeneratedAt { get; init; }
    public bool? Tbc { get; init; }
    public required int SeqNo { get; init; }
    public required IReadOnlyList<EventData> EventData { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(EventData, 1, "eventData")
        .Each(EventData, "eventData")
        .Nested(CustomData, "customData");
}

public sealed record NotifyEventResponse : IOcppResponse
{
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

public sealed record EventData : IOcppValidatable
{
    public required int EventId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required EventTrigger Trigger { get; init; }
    public int? Cause { get; init; }
    public required string ActualValue { get; init; }
    public string? TechCode { get; init; }
    public string? TechInfo { get; init; }
    public bool? Cleared { get; init; }
    public string? TransactionId { get; init; }
    public required Component Component { get; init; }
    public int? VariableMonitoringId { get; init; }
    public required EventNotification EventNotificationType { get; init; }
    public required Variable Variable { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(ActualValue, 2500, "actualValue")
        .MaxLength(TechCode, 50, "techCode")
        .MaxLength(TechInfo, 500, "techInfo")
        .MaxLength(TransactionId, 36, "transactionId")
        .Nested(Component, "component")
        .Nested(Variable, "variable")
        .Nested(CustomData, "customData");
}

/// <summary>EventData <c>trigger</c> (EventTriggerEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<EventTrigger>))]
public enum EventTrigger
{
    Alerting,
    Delta,
    Periodic,
}

/// <summary>EventData <c>eventNotificationType</c> (EventNotificationEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<EventNotification>))]
public enum EventNotification
{
    HardWiredNotification,
    HardWiredMonitor,
    PreconfiguredMonitor,
    CustomMonitor,
}
