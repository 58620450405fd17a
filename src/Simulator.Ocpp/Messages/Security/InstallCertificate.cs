using Simulator.Ocpp.Messages.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.Messages.Security;

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
