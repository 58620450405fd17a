using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Security;

public sealed record CertificateSignedRequest : IOcppRequest<CertificateSignedResponse>
{
    public static string Action => "CertificateSigned";

    /// <summary>PEM chain, the charge point certificate first.</summary>
    public required string CertificateChain { get; init; }

    public void Validate(PayloadChecker check) => check.MaxLength(CertificateChain, 10000, "certificateChain");
}

public sealed record CertificateSignedResponse : IOcppResponse
{
    public required CertificateSignedStatus Status { get; init; }

    public void Validate(PayloadChecker check) { }
}
