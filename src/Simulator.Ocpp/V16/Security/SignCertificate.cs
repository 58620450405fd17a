using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Security;

public sealed record SignCertificateRequest : IOcppRequest<SignCertificateResponse>
{
    public static string Action => "SignCertificate";

    /// <summary>PKCS#10 CSR in PEM.</summary>
    public required string Csr { get; init; }

    public void Validate(PayloadChecker check) => check.MaxLength(Csr, 5500, "csr");
}

public sealed record SignCertificateResponse : IOcppResponse
{
    public required GenericStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
