using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.FirmwareManagement;

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
