using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Iso15118CertificateManagement;

public sealed record GetInstalledCertificateIdsRequest : IOcppRequest<GetInstalledCertificateIdsResponse>
{
    public static string Action => "GetInstalledCertificateIds";

    public IReadOnlyList<GetCertificateIdUse>? CertificateType { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(CertificateType, 1, "certificateType")
        .Nested(CustomData, "customData");
}

public sealed record GetInstalledCertificateIdsResponse : IOcppResponse
{
    public required GetInstalledCertificateStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public IReadOnlyList<CertificateHashDataChain>? CertificateHashDataChain { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .MinItems(CertificateHashDataChain, 1, "certificateHashDataChain")
        .Each(CertificateHashDataChain, "certificateHashDataChain")
        .Nested(CustomData, "customData");
}

public sealed record CertificateHashDataChain : IOcppValidatable
{
    public required CertificateHashData CertificateHashData { get; init; }
    public required GetCertificateIdUse CertificateType { get; init; }
    public IReadOnlyList<CertificateHashData>? ChildCertificateHashData { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(CertificateHashData, "certificateHashData")
        .MinItems(ChildCertificateHashData, 1, "childCertificateHashData")
        .MaxItems(ChildCertificateHashData, 4, "childCertificateHashData")
        .Each(ChildCertificateHashData, "childCertificateHashData")
        .Nested(CustomData, "customData");
}

/// <summary>GetInstalledCertificateIds.req <c>certificateType</c> and CertificateHashDataChain <c>certificateType</c> (GetCertificateIdUseEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<GetCertificateIdUse>))]
public enum GetCertificateIdUse
{
    V2GRootCertificate,
    MORootCertificate,
    CSMSRootCertificate,
    V2GCertificateChain,
    ManufacturerRootCertificate,
}

/// <summary>GetInstalledCertificateIds.conf <c>status</c> (GetInstalledCertificateStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<GetInstalledCertificateStatus>))]
public enum GetInstalledCertificateStatus
{
    Accepted,
    NotFound,
}
