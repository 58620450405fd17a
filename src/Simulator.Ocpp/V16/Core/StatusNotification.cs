using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Core;

public sealed record StatusNotificationRequest : IOcppRequest<StatusNotificationResponse>
{
    public static string Action => "StatusNotification";

    public required int ConnectorId { get; init; }
    public required ChargePointErrorCode ErrorCode { get; init; }
    public string? Info { get; init; }
    public required ChargePointStatus Status { get; init; }
    public DateTimeOffset? Timestamp { get; init; }
    public string? VendorId { get; init; }
    public string? VendorErrorCode { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Info, 50, "info")
        .MaxLength(VendorId, 255, "vendorId")
        .MaxLength(VendorErrorCode, 50, "vendorErrorCode");
}

public sealed record StatusNotificationResponse : IOcppResponse
{
    public void Validate(PayloadChecker check) { }
}
