using Simulator.Ocpp.Messages;
using System.Text.Json.Serialization;

namespace Simulator.Ocpp.V16.Types;

/// <summary>TriggerMessage.req <c>requestedMessage</c> (the 1.6 set; the security extension's is <see cref="ExtendedMessageTrigger"/>).</summary>
[JsonConverter(typeof(OcppEnumConverter<MessageTrigger>))]
public enum MessageTrigger
{
    BootNotification,
    DiagnosticsStatusNotification,
    FirmwareStatusNotification,
    Heartbeat,
    MeterValues,
    StatusNotification,
}

/// <summary>TriggerMessage.conf <c>status</c>.</summary>
[JsonConverter(typeof(OcppEnumConverter<TriggerMessageStatus>))]
public enum TriggerMessageStatus
{
    Accepted,
    Rejected,
    NotImplemented,
}
