using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Iso15118CertificateManagement;

public sealed record InstallCertificateRequest : IOcppRequest<InstallCertificateResponse>
{
    public static string Action => "InstallCertificate";

    public required InstallCertificateUse CertificateType { get; init; }
    public required string Certificate { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Certificate, 5500, "certificate")
        .Nested(CustomData, "customData");
}

public sealed record InstallCertificateResponse : IOcppResponse
{
    public required InstallCertificateStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}

/// <summary>InstallCertificate.req <c>certificateType</c> (InstallCertificateUseEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<InstallCertificateUse>))]
public enum InstallCertificateUse
{
    V2GRootCertificate,
    MORootCertificate,
    CSMSRootCertificate,
    ManufacturerRootCertificate,
}

/// <summary>InstallCertificate.conf <c>status</c> (InstallCertificateStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<InstallCertificateStatus>))]
public enum InstallCertificateStatus
{
    Accepted,
    Rejected,
    Failed,
}
