using Simulator.Ocpp.Messages.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.Messages.FirmwareManagement;

public sealed record FirmwareStatusNotificationRequest : IOcppRequest<FirmwareStatusNotificationResponse>
{
    public static string Action => "FirmwareStatusNotification";

    public required FirmwareStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}

public sealed record FirmwareStatusNotificationResponse : IOcppResponse
{
    public void Validate(PayloadChecker check) { }
}
