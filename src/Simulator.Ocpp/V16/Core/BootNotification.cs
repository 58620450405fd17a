using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Core;

public sealed record BootNotificationRequest : IOcppRequest<BootNotificationResponse>
{
    public static string Action => "BootNotification";

    public required string ChargePointVendor { get; init; }
    public required string ChargePointModel { get; init; }
    public string? ChargePointSerialNumber { get; init; }
    public string? ChargeBoxSerialNumber { get; init; }
    public string? FirmwareVersion { get; init; }
    public string? Iccid { get; init; }
    public string? Imsi { get; init; }
    public string? MeterType { get; init; }
    public string? MeterSerialNumber { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(ChargePointVendor, 20, "chargePointVendor")
        .MaxLength(ChargePointModel, 20, "chargePointModel")
        .MaxLength(ChargePointSerialNumber, 25, "chargePointSerialNumber")
        .MaxLength(ChargeBoxSerialNumber, 25, "chargeBoxSerialNumber")
        .MaxLength(FirmwareVersion, 50, "firmwareVersion")
        .MaxLength(Iccid, 20, "iccid")
        .MaxLength(Imsi, 20, "imsi")
        .MaxLength(MeterType, 25, "meterType")
        .MaxLength(MeterSerialNumber, 25, "meterSerialNumber");
}

public sealed record BootNotificationResponse : IOcppResponse
{
    public required RegistrationStatus Status { get; init; }
    public required DateTimeOffset CurrentTime { get; init; }
    public required int Interval { get; init; }

    public void Validate(PayloadChecker check) { }
}
