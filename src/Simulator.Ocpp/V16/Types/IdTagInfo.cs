using Simulator.Ocpp.Messages;
using System.Text.Json.Serialization;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Types;

public sealed record IdTagInfo : IOcppValidatable
{
    public DateTimeOffset? ExpiryDate { get; init; }
    public string? ParentIdTag { get; init; }
    public required AuthorizationStatus Status { get; init; }

    public void Validate(PayloadChecker check) => check.MaxLength(ParentIdTag, 20, "parentIdTag");
}

[JsonConverter(typeof(OcppEnumConverter<AuthorizationStatus>))]
public enum AuthorizationStatus
{
    Accepted,
    Blocked,
    Expired,
    Invalid,
    ConcurrentTx,
}
