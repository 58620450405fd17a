using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.FirmwareManagement;

public sealed record UnpublishFirmwareRequest : IOcppRequest<UnpublishFirmwareResponse>
{
    public static string Action => "UnpublishFirmware";

    public required string Checksum { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Checksum, 32, "checksum")
        .Nested(CustomData, "customData");
}

public sealed record UnpublishFirmwareResponse : IOcppResponse
{
    public required UnpublishFirmwareStatus Status { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CustomData, "customData");
}

/// <summary>UnpublishFirmware.conf <c>status</c> (UnpublishFirmwareStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<UnpublishFirmwareStatus>))]
public enum UnpublishFirmwareStatus
{
    DownloadOngoing,
    NoFirmware,
    Unpublished,
}
