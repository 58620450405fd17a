using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Provisioning;

public sealed record BootNotificationRequest : IOcppRequest<BootNotificationResponse>
{
    public static string Action => "BootNotification";

    public required ChargingStation ChargingStation { get; init; }
    public required BootReason Reason { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(ChargingStation, "chargingStation")
        .Nested(CustomData, "customData");
}

public sealed record BootNotificationResponse : IOcppResponse
{
    public required DateTimeOffset CurrentTime { get; init; }
    public required int Interval { get; init; }
    public required RegistrationStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

public sealed record ChargingStation : IOcppValidatable
{
    public string? SerialNumber { get; init; }
    public required string Model { get; init; }
    public Modem? Modem { get; init; }
    public required string VendorName { get; init; }
    public string? FirmwareVersion { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(SerialNumber, 25, "serialNumber")
        .MaxLength(Model, 20, "model")
        .Nested(Modem, "modem")
        .MaxLength(VendorName, 50, "vendorName")
        .MaxLength(FirmwareVersion, 50, "firmwareVersion")
        .Nested(CustomData, "customData");
}

public sealed record Modem : IOcppValidatable
{
    public string? Iccid { get; init; }
    public string? Imsi { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Iccid, 20, "iccid")
        .MaxLength(Imsi, 20, "imsi")
        .Nested(CustomData, "customData");
}

/// <summary>BootNotification.req <c>reason</c> (BootReasonEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<BootReason>))]
public enum BootReason
{
    ApplicationReset,
    FirmwareUpdate,
    LocalReset,
    PowerUp,
    RemoteReset,
    ScheduledReset,
    Triggered,
    Unknown,
    Watchdog,
}

/// <summary>BootNotification.conf <c>status</c> (RegistrationStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<RegistrationStatus>))]
public enum RegistrationStatus
{
    Accepted,
    Pending,
    Rejected,
}
