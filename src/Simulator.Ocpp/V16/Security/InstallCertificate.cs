using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Security;

public sealed record InstallCertificateRequest : IOcppRequest<InstallCertificateResponse>
{
    public static string Action => "InstallCertificate";

    public required CertificateUse CertificateType { get; init; }
    /// <summary>PEM.</summary>
    public required string Certificate { get; init; }

    public void Validate(PayloadChecker check) => check.MaxLength(Certificate, 5500, "certificate");
}

public sealed record InstallCertificateResponse : IOcppResponse
{
    public required InstallCertificateStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
