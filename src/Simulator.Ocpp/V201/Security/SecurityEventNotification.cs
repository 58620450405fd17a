using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Security;

public sealed record SecurityEventNotificationRequest : IOcppRequest<SecurityEventNotificationResponse>
{
    public static string Action => "SecurityEventNotification";

    public required string Type { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public string? TechInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Type, 50, "type")
        .MaxLength(TechInfo, 255, "techInfo")
        .Nested(CustomData, "customData");
}

public sealed record SecurityEventNotificationResponse : IOcppResponse
{
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}
