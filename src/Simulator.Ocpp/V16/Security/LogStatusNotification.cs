using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Security;

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
