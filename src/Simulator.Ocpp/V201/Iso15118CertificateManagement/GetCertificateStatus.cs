using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Iso15118CertificateManagement;

public sealed record GetCertificateStatusRequest : IOcppRequest<GetCertificateStatusResponse>
{
    public static string Action => "GetCertificateStatus";

    public required OcspRequestData OcspRequestData { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(OcspRequestData, "ocspRequestData")
        .Nested(CustomData, "customData");
}

public sealed record GetCertificateStatusResponse : IOcppResponse
{
    public required GetCertificateStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public string? OcspResult { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .MaxLength(OcspResult, 5500, "ocspResult")
        .Nested(CustomData, "customData");
}

/// <summary>GetCertificateStatus.conf <c>status</c> (GetCertificateStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<GetCertificateStatus>))]
public enum GetCertificateStatus
{
    Accepted,
    Failed,
}
