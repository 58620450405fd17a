using System.Security.Cryptography.X509Certificates;
using Simulator.ChargePoint.Security;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201.Iso15118CertificateManagement;
using Simulator.Ocpp.V201.Types;
using V16Types = Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.V201;

/// <summary>
/// M: certificate management of a station without ISO 15118 — InstallCertificate, DeleteCertificate and GetInstalledCertificateIds
/// manage the installed roots (CSMS and manufacturer roots in the shared <see cref="CertificateStore"/>, V2G and MO roots kept here but
/// used by nothing but CertificateSigned for a V2GCertificate). Get15118EVCertificate and GetCertificateStatus are never sent.
/// </summary>
public sealed partial class StationModel
{
    private readonly List<X509Certificate2> v2gRoots = [];
    private readonly List<X509Certificate2> moRoots = [];

    public IReadOnlyList<X509Certificate2> V2gRoots => v2gRoots;

    public IReadOnlyList<X509Certificate2> MoRoots => moRoots;

    /// <summary>SecurityCtrlr.CertificateEntries: the installed roots of every type.</summary>
    private int InstalledCertificateCount => certificates.RootCount + v2gRoots.Count + moRoots.Count;

    private InboundReply Iso15118CertificateManagement(IOcppRequest request) => request switch
    {
        InstallCertificateRequest r => Ok(InstallCertificate(r)),
        DeleteCertificateRequest r => Ok(DeleteCertificate(r)),
        GetInstalledCertificateIdsRequest r => Ok(GetInstalledCertificateIds(r)),
        _ => InboundReply.Error(OcppErrorCode.NotSupported, $"{request.GetType().Name} is not sent to a charging station."),
    };

    private IReadOnlyList<X509Certificate2> RootsOf(GetCertificateIdUse use) => use switch
    {
        GetCertificateIdUse.CSMSRootCertificate => certificates.CentralSystemRoots,
        GetCertificateIdUse.ManufacturerRootCertificate => certificates.ManufacturerRoots,
        GetCertificateIdUse.V2GRootCertificate => v2gRoots,
        GetCertificateIdUse.MORootCertificate => moRoots,
        _ => [],   // V2GCertificateChain: no ISO 15118, so none
    };

    private static GetCertificateIdUse UseOf(InstallCertificateUse use) => use switch
    {
        InstallCertificateUse.CSMSRootCertificate => GetCertificateIdUse.CSMSRootCertificate,
        InstallCertificateUse.ManufacturerRootCertificate => GetCertificateIdUse.ManufacturerRootCertificate,
        InstallCertificateUse.V2GRootCertificate => GetCertificateIdUse.V2GRootCertificate,
        _ => GetCertificateIdUse.MORootCertificate,
    };

    /// <summary>M05: a root certificate (a CA, valid now) is added to its type's list; Failed when SecurityCtrlr.CertificateEntries is at its maximum.</summary>
    private InstallCertificateResponse InstallCertificate(InstallCertificateRequest request)
    {
        static InstallCertificateResponse Rejected(string why) =>
            new() { Status = InstallCertificateStatus.Rejected, StatusInfo = new StatusInfo { ReasonCode = "InvalidCertificate", AdditionalInfo = why } };
        if (CertificateChecks.Parse(request.Certificate) is not { } certificate)
        {
            return Rejected("certificate is not a PEM X.509 certificate");
        }
        if (!CertificateChecks.IsValidAt(certificate, CsmsNow))
        {
            return Rejected("the certificate is not valid now");
        }
        if (!CertificateChecks.IsCertificateAuthority(certificate))
        {
            return Rejected("a root certificate must be a CA certificate");
        }
        var use = UseOf(request.CertificateType);
        if (RootsOf(use).Any(c => c.RawData.AsSpan().SequenceEqual(certificate.RawData)))
        {
            return new() { Status = InstallCertificateStatus.Accepted };
        }
        var max = Device.Find(Simulator.ChargePoint.V201.DeviceModel.Components.SecurityCtrlr, SecurityVariables.CertificateEntries)?.MaxLimit ?? 20;
        if (InstalledCertificateCount >= max)
        {
            return new() { Status = InstallCertificateStatus.Failed, StatusInfo = new StatusInfo { ReasonCode = "OutOfStorage", AdditionalInfo = $"{InstalledCertificateCount} certificates installed (CertificateEntries maxLimit {max})" } };
        }
        switch (use)
        {
            case GetCertificateIdUse.CSMSRootCertificate:
                certificates.AddRoot(V16Types.CertificateUse.CentralSystemRootCertificate, certificate);
                break;
            case GetCertificateIdUse.ManufacturerRootCertificate:
                certificates.AddRoot(V16Types.CertificateUse.ManufacturerRootCertificate, certificate);
                break;
            case GetCertificateIdUse.V2GRootCertificate:
                v2gRoots.Add(certificate);
                break;
            default:
                moRoots.Add(certificate);
                break;
        }
        LogSecurity(SecurityEvents201.ReconfigurationOfSecurityParameters, $"{request.CertificateType} installed: serial {CertificateHashes.TrimSerial(certificate.SerialNumber)}");
        return new() { Status = InstallCertificateStatus.Accepted };
    }

    /// <summary>M04: the certificate with the hash data goes; the CSMS root the connection relies on cannot (Failed, M04.FR.06).</summary>
    private DeleteCertificateResponse DeleteCertificate(DeleteCertificateRequest request)
    {
        foreach (var use in new[] { GetCertificateIdUse.CSMSRootCertificate, GetCertificateIdUse.ManufacturerRootCertificate, GetCertificateIdUse.V2GRootCertificate, GetCertificateIdUse.MORootCertificate })
        {
            var found = RootsOf(use).FirstOrDefault(c => CertificateHashes.Matches(HashOf(c, request.CertificateHashData.HashAlgorithm), ToV16(request.CertificateHashData)));
            if (found is null)
            {
                continue;
            }
            if (use == GetCertificateIdUse.CSMSRootCertificate)
            {
                var inUse = csmsRootInUse is not null ? ReferenceEquals(found, csmsRootInUse) : SecurityProfile >= 2 && certificates.CentralSystemRoots.Count == 1;
                if (inUse)
                {
                    return new() { Status = DeleteCertificateStatus.Failed, StatusInfo = new StatusInfo { ReasonCode = "CertificateInUse" } };
                }
            }
            switch (use)
            {
                case GetCertificateIdUse.CSMSRootCertificate:
                    certificates.RemoveRoot(V16Types.CertificateUse.CentralSystemRootCertificate, found);
                    break;
                case GetCertificateIdUse.ManufacturerRootCertificate:
                    certificates.RemoveRoot(V16Types.CertificateUse.ManufacturerRootCertificate, found);
                    break;
                case GetCertificateIdUse.V2GRootCertificate:
                    v2gRoots.Remove(found);
                    break;
                default:
                    moRoots.Remove(found);
                    break;
            }
            LogSecurity(SecurityEvents201.ReconfigurationOfSecurityParameters, $"{use} deleted: serial {CertificateHashes.TrimSerial(found.SerialNumber)}");
            return new() { Status = DeleteCertificateStatus.Accepted };
        }
        return new() { Status = DeleteCertificateStatus.NotFound };
    }

    /// <summary>M03: the hash data (SHA-256) of the installed certificates of the types asked for (all when none is named).</summary>
    private GetInstalledCertificateIdsResponse GetInstalledCertificateIds(GetInstalledCertificateIdsRequest request)
    {
        var uses = request.CertificateType is { Count: > 0 } asked ? asked.Distinct()
            : [GetCertificateIdUse.V2GRootCertificate, GetCertificateIdUse.MORootCertificate, GetCertificateIdUse.CSMSRootCertificate, GetCertificateIdUse.ManufacturerRootCertificate];
        var chains = uses
            .SelectMany(use => RootsOf(use).Select(c => new CertificateHashDataChain { CertificateType = use, CertificateHashData = ToV201(HashOf(c, HashAlgorithm.SHA256)) }))
            .ToList();
        return chains.Count == 0
            ? new() { Status = GetInstalledCertificateStatus.NotFound }
            : new() { Status = GetInstalledCertificateStatus.Accepted, CertificateHashDataChain = chains };
    }

    private V16Types.CertificateHashData HashOf(X509Certificate2 certificate, HashAlgorithm algorithm) =>
        CertificateHashes.Compute(certificate, certificates.IssuerOf(certificate), Enum.Parse<V16Types.HashAlgorithm>(algorithm.ToString()));

    private static V16Types.CertificateHashData ToV16(CertificateHashData hash) => new()
    {
        HashAlgorithm = Enum.Parse<V16Types.HashAlgorithm>(hash.HashAlgorithm.ToString()),
        IssuerNameHash = hash.IssuerNameHash,
        IssuerKeyHash = hash.IssuerKeyHash,
        SerialNumber = hash.SerialNumber,
    };

    private static CertificateHashData ToV201(V16Types.CertificateHashData hash) => new()
    {
        HashAlgorithm = Enum.Parse<HashAlgorithm>(hash.HashAlgorithm.ToString()),
        IssuerNameHash = hash.IssuerNameHash,
        IssuerKeyHash = hash.IssuerKeyHash,
        SerialNumber = hash.SerialNumber,
    };
}
