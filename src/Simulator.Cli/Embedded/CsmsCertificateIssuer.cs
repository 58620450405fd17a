using System.Security.Cryptography.X509Certificates;
using Simulator.Csms;
using Simulator.Fleet.ChargePoints;

namespace Simulator.Cli.Embedded;

/// <summary>The embedded CSMS's CA as the fleet's issuer of client certificates: one CA that both sides trust.</summary>
internal sealed class CsmsCertificateIssuer(CertificateAuthority authority) : IClientCertificateIssuer
{
    public X509Certificate2 CaCertificate => authority.Certificate;

    public X509Certificate2 Issue(string chargeBoxId, string organization) => authority.IssueClientCertificate(chargeBoxId, organization);

    /// <summary>For a CSMS at <paramref name="profile"/>: its CA as CentralSystemRoot (2/3) and as issuer (3).</summary>
    public static FleetSecurityMaterials MaterialsFor(CertificateAuthority authority, int profile) => profile < 2
        ? FleetSecurityMaterials.None
        : new FleetSecurityMaterials
        {
            CentralSystemRoots = [authority.Certificate],
            ClientCertificateIssuer = profile == 3 ? new CsmsCertificateIssuer(authority) : null,
        };
}
