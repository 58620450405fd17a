using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.FirmwareManagement;

public sealed record GetDiagnosticsRequest : IOcppRequest<GetDiagnosticsResponse>
{
    public static string Action => "GetDiagnostics";

    /// <summary>The directory URI to upload to (schema format <c>uri</c>).</summary>
    public required string Location { get; init; }
    public int? Retries { get; init; }
    /// <summary>Seconds between retries.</summary>
    public int? RetryInterval { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public DateTimeOffset? StopTime { get; init; }

    public void Validate(PayloadChecker check) { }
}

public sealed record GetDiagnosticsResponse : IOcppResponse
{
    /// <summary>The name of the file to be uploaded; absent when there is none.</summary>
    public string? FileName { get; init; }

    public void Validate(PayloadChecker check) => check.MaxLength(FileName, 255, "fileName");
}
