using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.LocalAuthListManagement;

public sealed record SendLocalListRequest : IOcppRequest<SendLocalListResponse>
{
    public static string Action => "SendLocalList";

    public required int ListVersion { get; init; }
    public IReadOnlyList<AuthorizationData>? LocalAuthorizationList { get; init; }
    public required UpdateType UpdateType { get; init; }

    public void Validate(PayloadChecker check) => check.Each(LocalAuthorizationList, "localAuthorizationList");
}

public sealed record SendLocalListResponse : IOcppResponse
{
    public required UpdateStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
