using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Security;

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
