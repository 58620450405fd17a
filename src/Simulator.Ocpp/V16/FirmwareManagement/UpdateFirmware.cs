using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.FirmwareManagement;

public sealed record UpdateFirmwareRequest : IOcppRequest<UpdateFirmwareResponse>
{
    public static string Action => "UpdateFirmware";

    /// <summary>The URI of the firmware (schema format <c>uri</c>).</summary>
    public required string Location { get; init; }
    public int? Retries { get; init; }
    public required DateTimeOffset RetrieveDate { get; init; }
    /// <summary>Seconds between retries.</summary>
    public int? RetryInterval { get; init; }

    public void Validate(PayloadChecker check) { }
}

public sealed record UpdateFirmwareResponse : IOcppResponse
{
    public void Validate(PayloadChecker check) { }
}
