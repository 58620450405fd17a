using Simulator.Ocpp.Messages.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.Messages.FirmwareManagement;

public sealed record DiagnosticsStatusNotificationRequest : IOcppRequest<DiagnosticsStatusNotificationResponse>
{
    public static string Action => "DiagnosticsStatusNotification";

    public required DiagnosticsStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}

public sealed record DiagnosticsStatusNotificationResponse : IOcppResponse
{
    public void Validate(PayloadChecker check) { }
}
