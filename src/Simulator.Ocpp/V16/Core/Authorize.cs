using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Core;

public sealed record AuthorizeRequest : IOcppRequest<AuthorizeResponse>
{
    public static string Action => "Authorize";

    public required string IdTag { get; init; }

    public void Validate(PayloadChecker check) => check.MaxLength(IdTag, 20, "idTag");
}

public sealed record AuthorizeResponse : IOcppResponse
{
    public required IdTagInfo IdTagInfo { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(IdTagInfo, "idTagInfo");
}
