using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V201.Security;

public sealed record SignCertificateRequest : IOcppRequest<SignCertificateResponse>
{
    public static string Action => "SignCertificate";

    public required string Csr { get; init; }
    public CertificateSigningUse? CertificateType { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .MaxLength(Csr, 5500, "csr")
        .Nested(CustomData, "customData");
}

public sealed record SignCertificateResponse : IOcppResponse
{
    public required GenericStatus Status { get; init; }
    public StatusInfo? StatusInfo { get; init; }
    public CustomData? CustomData { get; init; }

    public void Validate(PayloadChecker check) => check
        .Nested(StatusInfo, "statusInfo")
        .Nested(CustomData, "customData");
}
