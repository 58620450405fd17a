using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Reservation;

public sealed record ReserveNowRequest : IOcppRequest<ReserveNowResponse>
{
    public static string Action => "ReserveNow";

    public required int Id { get; init; }
    public required DateTimeOffset ExpiryDateTime { get; init; }
    public ConnectorKind? ConnectorType { get; init; }
    public required IdToken IdToken { get; init; }
    public int? EvseId { get; init; }
    public IdToken? GroupIdToken { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(IdToken, "idToken")
        .Nested(GroupIdToken, "groupIdToken")
        .Nested(CustomData, "customData");
}

public sealed record ReserveNowResponse : IOcppResponse
{
    public required ReserveNowStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>ReserveNow.req <c>connectorType</c> (ConnectorEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ConnectorKind>))]
public enum ConnectorKind
{
    [JsonStringEnumMemberName("cCCS1")] CCCS1,
    [JsonStringEnumMemberName("cCCS2")] CCCS2,
    [JsonStringEnumMemberName("cG105")] CG105,
    [JsonStringEnumMemberName("cTesla")] CTesla,
    [JsonStringEnumMemberName("cType1")] CType1,
    [JsonStringEnumMemberName("cType2")] CType2,
    [JsonStringEnumMemberName("s309-1P-16A")] S3091P16A,
    [JsonStringEnumMemberName("s309-1P-32A")] S3091P32A,
    [JsonStringEnumMemberName("s309-3P-16A")] S3093P16A,
    [JsonStringEnumMemberName("s309-3P-32A")] S3093P32A,
    [JsonStringEnumMemberName("sBS1361")] SBS1361,
    [JsonStringEnumMemberName("sCEE-7-7")] SCEE77,
    [JsonStringEnumMemberName("sType2")] SType2,
    [JsonStringEnumMemberName("sType3")] SType3,
    Other1PhMax16A,
    Other1PhOver16A,
    Other3Ph,
    Pan,
    [JsonStringEnumMemberName("wInductive")] WInductive,
    [JsonStringEnumMemberName("wResonant")] WResonant,
    Undetermined,
    Unknown,
}

/// <summary>ReserveNow.conf <c>status</c> (ReserveNowStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<ReserveNowStatus>))]
public enum ReserveNowStatus
{
    Accepted,
    Faulted,
    Occupied,
    Rejected,
    Unavailable,
}
