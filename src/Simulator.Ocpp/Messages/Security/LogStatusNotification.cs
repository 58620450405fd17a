using Simulator.Ocpp.Messages.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.Messages.Security;

public sealed record LogStatusNotificationRequest : IOcppRequest<LogStatusNotificationResponse>
{
    public static string Action => "LogStatusNotification";

    public required UploadLogStatus Status { get; init; }
    public int? RequestId { get; init; }

    public void Validate(PayloadChecker check) { }
}

public sealed record LogStatusNotificationResponse : IOcppResponse
{
    public void Validate(PayloadChecker check) { }
}
