using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Types;

public sealed record CertificateHashData : IOcppValidatable
{
    public required HashAlgorithm HashAlgorithm { get; init; }
    public required string IssuerNameHash { get; init; }
    public required string IssuerKeyHash { get; init; }
    public required string SerialNumber { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(IssuerNameHash, 128, "issuerNameHash")
        .MaxLength(IssuerKeyHash, 128, "issuerKeyHash")
        .MaxLength(SerialNumber, 40, "serialNumber")
        .Nested(CustomData, "customData");
}

/// <summary>CertificateHashData <c>hashAlgorithm</c> and OcspRequestData <c>hashAlgorithm</c> (HashAlgorithmEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<HashAlgorithm>))]
public enum HashAlgorithm
{
    SHA256,
    SHA384,
    SHA512,
}

/// <summary>The schemas' OCSPRequestDataType.</summary>
public sealed record OcspRequestData : IOcppValidatable
{
    public required HashAlgorithm HashAlgorithm { get; init; }
    public required string IssuerNameHash { get; init; }
    public required string IssuerKeyHash { get; init; }
    public required string SerialNumber { get; init; }
    public required string ResponderURL { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(IssuerNameHash, 128, "issuerNameHash")
        .MaxLength(IssuerKeyHash, 128, "issuerKeyHash")
        .MaxLength(SerialNumber, 40, "serialNumber")
        .MaxLength(ResponderURL, 512, "responderURL")
        .Nested(CustomData, "customData");
}
