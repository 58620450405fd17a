using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.FirmwareManagement;

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
