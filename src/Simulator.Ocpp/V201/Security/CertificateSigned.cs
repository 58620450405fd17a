using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Security;

public sealed record CertificateSignedRequest : IOcppRequest<CertificateSignedResponse>
{
    public static string Action => "CertificateSigned";

    public required string CertificateChain { get; init; }
    public CertificateSigningUse? CertificateType { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(CertificateChain, 10000, "certificateChain")
        .Nested(CustomData, "customData");
}

public sealed record CertificateSignedResponse : IOcppResponse
{
    public required CertificateSignedStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>CertificateSigned.conf <c>status</c> (CertificateSignedStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<CertificateSignedStatus>))]
public enum CertificateSignedStatus
{
    Accepted,
    Rejected,
}
