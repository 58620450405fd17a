using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Security;

public sealed record SignedFirmwareStatusNotificationRequest : IOcppRequest<SignedFirmwareStatusNotificationResponse>
{
    public static string Action => "SignedFirmwareStatusNotification";

    public required SignedFirmwareStatus Status { get; init; }
    /// <summary>Required by the whitepaper unless the status is Idle; optional in the schema.</summary>
    public int? RequestId { get; init; }

    public void Validate(PayloadChecker check) { }
}

public sealed record SignedFirmwareStatusNotificationResponse : IOcppResponse
{
    public void Validate(PayloadChecker check) { }
}
