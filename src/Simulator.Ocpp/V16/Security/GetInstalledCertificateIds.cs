using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Ocpp.V16.Security;

public sealed record GetInstalledCertificateIdsRequest : IOcppRequest<GetInstalledCertificateIdsResponse>
{
    public static string Action => "GetInstalledCertificateIds";

    public required CertificateUse CertificateType { get; init; }

    public void Validate(PayloadChecker check) { }
}

public sealed record GetInstalledCertificateIdsResponse : IOcppResponse
{
    /// <summary>Absent when none is installed; when present it holds at least one entry.</summary>
    public IReadOnlyList<CertificateHashData>? CertificateHashData { get; init; }
    public required GetInstalledCertificateStatus Status { get; init; }

    public void Validate(PayloadChecker check) => check
        .MinItems(CertificateHashData, 1, "certificateHashData")
        .Each(CertificateHashData, "certificateHashData");
}
