using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.RemoteControl;

public sealed record TriggerMessageRequest : IOcppRequest<TriggerMessageResponse>
{
    public static string Action => "TriggerMessage";

    public Evse? Evse { get; init; }
    public required MessageTrigger RequestedMessage { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(Evse, "evse")
        .Nested(CustomData, "customData");
}

public sealed record TriggerMessageResponse : IOcppResponse
{
    public required TriggerMessageStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>TriggerMessage.req <c>requestedMessage</c> (MessageTriggerEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<MessageTrigger>))]
public enum MessageTrigger
{
    BootNotification,
    LogStatusNotification,
    FirmwareStatusNotification,
    Heartbeat,
    MeterValues,
    SignChargingStationCertificate,
    SignV2GCertificate,
    StatusNotification,
    TransactionEvent,
    SignCombinedCertificate,
    PublishFirmwareStatusNotification,
}

/// <summary>TriggerMessage.conf <c>status</c> (TriggerMessageStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<TriggerMessageStatus>))]
public enum TriggerMessageStatus
{
    Accepted,
    Rejected,
    NotImplemented,
}
