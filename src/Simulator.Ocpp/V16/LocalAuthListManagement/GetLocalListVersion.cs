using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.LocalAuthListManagement;

public sealed record GetLocalListVersionRequest : IOcppRequest<GetLocalListVersionResponse>
{
    public static string Action => "GetLocalListVersion";

    public void Validate(PayloadChecker check) { }
}

public sealed record GetLocalListVersionResponse : IOcppResponse
{
    /// <summary>-1 when local authorization is not supported, 0 when the list is empty.</summary>
    public required int ListVersion { get; init; }

    public void Validate(PayloadChecker check) { }
}
