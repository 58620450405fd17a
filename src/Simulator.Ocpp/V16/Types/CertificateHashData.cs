using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Types;

/// <summary>Identifies an installed certificate as RFC 6960's CertID does (hex hashes of the issuer's name and key, hex serial).</summary>
public sealed record CertificateHashData : IOcppValidatable
{
    public required HashAlgorithm HashAlgorithm { get; init; }
    public required string IssuerNameHash { get; init; }
    public required string IssuerKeyHash { get; init; }
    public required string SerialNumber { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(IssuerNameHash, 128, "issuerNameHash")
        .MaxLength(IssuerKeyHash, 128, "issuerKeyHash")
        .MaxLength(SerialNumber, 40, "serialNumber");
}
