using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Security;

public sealed record GetLogRequest : IOcppRequest<GetLogResponse>
{
    public static string Action => "GetLog";

    public required LogParameters Log { get; init; }
    public required LogType LogType { get; init; }
    public required int RequestId { get; init; }
    public int? Retries { get; init; }
    /// <summary>Seconds between retries.</summary>
    public int? RetryInterval { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(Log, "log");
}

public sealed record GetLogResponse : IOcppResponse
{
    public required LogStatus Status { get; init; }
    public string? Filename { get; init; }

    public void Validate(PayloadChecker check) => check.MaxLength(Filename, 255, "filename");
}
