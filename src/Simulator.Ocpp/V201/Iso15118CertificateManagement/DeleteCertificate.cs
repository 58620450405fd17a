using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Iso15118CertificateManagement;

public sealed record DeleteCertificateRequest : IOcppRequest<DeleteCertificateResponse>
{
    public static string Action => "DeleteCertificate";

    public required CertificateHashData CertificateHashData { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(CertificateHashData, "certificateHashData")
        .Nested(CustomData, "customData");
}

public sealed record DeleteCertificateResponse : IOcppResponse
{
    public required DeleteCertificateStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>DeleteCertificate.conf <c>status</c> (DeleteCertificateStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<DeleteCertificateStatus>))]
public enum DeleteCertificateStatus
{
    Accepted,
    Failed,
    NotFound,
}
