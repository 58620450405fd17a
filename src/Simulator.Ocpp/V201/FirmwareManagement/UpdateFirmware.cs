using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.FirmwareManagement;

public sealed record UpdateFirmwareRequest : IOcppRequest<UpdateFirmwareResponse>
{
    public static string Action => "UpdateFirmware";

    public int? Retries { get; init; }
    public int? RetryInterval { get; init; }
    public required int RequestId { get; init; }
    public required Firmware Firmware { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(Firmware, "firmware")
        .Nested(CustomData, "customData");
}

public sealed record UpdateFirmwareResponse : IOcppResponse
{
    public required UpdateFirmwareStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

public sealed record Firmware : IOcppValidatable
{
    public required string Location { get; init; }
    public required DateTimeOffset RetrieveDateTime { get; init; }
    public DateTimeOffset? InstallDateTime { get; init; }
    public string? SigningCertificate { get; init; }
    public string? Signature { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Location, 512, "location")
        .MaxLength(SigningCertificate, 5500, "signingCertificate")
        .MaxLength(Signature, 800, "signature")
        .Nested(CustomData, "customData");
}

/// <summary>UpdateFirmware.conf <c>status</c> (UpdateFirmwareStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<UpdateFirmwareStatus>))]
public enum UpdateFirmwareStatus
{
    Accepted,
    Rejected,
    AcceptedCanceled,
    InvalidCertificate,
    RevokedCertificate,
}
