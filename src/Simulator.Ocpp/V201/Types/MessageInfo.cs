using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Types;

public sealed record MessageInfo : IOcppValidatable
{
    public Component? Display { get; init; }
    public required int Id { get; init; }
    public required MessagePriority Priority { get; init; }
    public MessageState? State { get; init; }
    public DateTimeOffset? StartDateTime { get; init; }
    public DateTimeOffset? EndDateTime { get; init; }
    public string? TransactionId { get; init; }
    public required MessageContent Message { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(Display, "display")
        .MaxLength(TransactionId, 36, "transactionId")
        .Nested(Message, "message")
        .Nested(CustomData, "customData");
}

/// <summary>GetDisplayMessages.req <c>priority</c> and MessageInfo <c>priority</c> (MessagePriorityEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<MessagePriority>))]
public enum MessagePriority
{
    AlwaysFront,
    InFront,
    NormalCycle,
}

/// <summary>GetDisplayMessages.req <c>state</c> and MessageInfo <c>state</c> (MessageStateEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<MessageState>))]
public enum MessageState
{
    Charging,
    Faulted,
    Idle,
    Unavailable,
}
