using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Security;

public sealed record SignedUpdateFirmwareRequest : IOcppRequest<SignedUpdateFirmwareResponse>
{
    public static string Action => "SignedUpdateFirmware";

    public int? Retries { get; init; }
    /// <summary>Seconds between retries.</summary>
    public int? RetryInterval { get; init; }
    public required int RequestId { get; init; }
    public required Firmware Firmware { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(Firmware, "firmware");
}

public sealed record SignedUpdateFirmwareResponse : IOcppResponse
{
    public required SignedUpdateFirmwareStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
