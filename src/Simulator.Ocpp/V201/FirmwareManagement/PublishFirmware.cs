using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.FirmwareManagement;

public sealed record PublishFirmwareRequest : IOcppRequest<PublishFirmwareResponse>
{
    public static string Action => "PublishFirmware";

    public required string Location { get; init; }
    public int? Retries { get; init; }
    public required string Checksum { get; init; }
    public required int RequestId { get; init; }
    public int? RetryInterval { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Location, 512, "location")
        .MaxLength(Checksum, 32, "checksum")
        .Nested(CustomData, "customData");
}

public sealed record PublishFirmwareResponse : IOcppResponse
{
    public required GenericStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}
