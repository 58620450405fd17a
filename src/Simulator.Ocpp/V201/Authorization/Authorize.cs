using System.Text.Json.Serialization;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Authorization;

public sealed record AuthorizeRequest : IOcppRequest<AuthorizeResponse>
{
    public static string Action => "Authorize";

    public required IdToken IdToken { get; init; }
    public string? Certificate { get; init; }
    public IReadOnlyList<OcspRequestData>? Iso15118CertificateHashData { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(IdToken, "idToken")
        .MaxLength(Certificate, 5500, "certificate")
        .MinItems(Iso15118CertificateHashData, 1, "iso15118CertificateHashData")
        .MaxItems(Iso15118CertificateHashData, 4, "iso15118CertificateHashData")
        .Each(Iso15118CertificateHashData, "iso15118CertificateHashData")
        .Nested(CustomData, "customData");
}

public sealed record AuthorizeResponse : IOcppResponse
{
    public required IdTokenInfo IdTokenInfo { get; init; }
    public AuthorizeCertificateStatus? CertificateStatus { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(IdTokenInfo, "idTokenInfo")
        .Nested(CustomData, "customData");
}

/// <summary>Authorize.conf <c>certificateStatus</c> (AuthorizeCertificateStatusEnumType).</summary>
[JsonConverter(typeof(OcppEnumConverter<AuthorizeCertificateStatus>))]
public enum AuthorizeCertificateStatus
{
    Accepted,
    SignatureError,
    CertificateExpired,
    CertificateRevoked,
    NoCertificateAvailable,
    CertChainError,
    ContractCancelled,
}
