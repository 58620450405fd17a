using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Security;

public sealed record SecurityEventNotificationRequest : IOcppRequest<SecurityEventNotificationResponse>
{
    public static string Action => "SecurityEventNotification";

    /// <summary>The event name, a free string (the whitepaper lists the known ones).</summary>
    public required string Type { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public string? TechInfo { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Type, 50, "type")
        .MaxLength(TechInfo, 255, "techInfo");
}

public sealed record SecurityEventNotificationResponse : IOcppResponse
{
    public void Validate(PayloadChecker check) { }
}
