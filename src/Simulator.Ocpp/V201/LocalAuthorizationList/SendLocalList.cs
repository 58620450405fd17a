using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.LocalAuthorizationList;

public sealed record SendLocalListRequest : IOcppRequest<SendLocalListResponse>
{
    public static string Action => "SendLocalList";

    public IReadOnlyList<AuthorizationData>? LocalAuthorizationList { get; init; }
    public required int VersionNumber { get; init; }
    public required UpdateKind UpdateType { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(LocalAuthorizationList, 1, "localAuthorizationList")
        .Each(LocalAuthorizationList, "localAuthorizationList")
        .Nested(CustomData, "customData");
}

public sealed record SendLocalListResponse : IOcppResponse
{
    public required SendLocalListStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

public sealed record AuthorizationData : IOcppValidatable
{
    public required IdToken IdToken { get; init; }
    public IdTokenInfo? IdTokenInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(IdToken, "idToken")
        .Nested(IdTokenInfo, "idTokenInfo")
        .Nested(CustomData, "customData");
}

/// <summary>SendLocalList.req <c>updateType</c> (UpdateEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<UpdateKind>))]
public enum UpdateKind
{
    Differential,
    Full,
}

/// <summary>SendLocalList.conf <c>status</c> (SendLocalListStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<SendLocalListStatus>))]
public enum SendLocalListStatus
{
    Accepted,
    Failed,
    VersionMismatch,
}
