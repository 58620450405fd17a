using Simulator.Ocpp.Messages.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.Messages.Security;

public sealed record DeleteCertificateRequest : IOcppRequest<DeleteCertificateResponse>
{
    public static string Action => "DeleteCertificate";

    public required CertificateHashData CertificateHashData { get; init; }

    public void Validate(PayloadChecker check) => check.Nested(CertificateHashData, "certificateHashData");
}

public sealed record DeleteCertificateResponse : IOcppResponse
{
    public required DeleteCertificateStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
