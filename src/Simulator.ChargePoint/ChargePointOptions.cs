using System.Security.Cryptography.X509Certificates;
using Simulator.ChargePoint.Metering;

namespace Simulator.ChargePoint;

/// <summary>What one charge point is, as the fleet profile describes it.</summary>
public sealed record ChargePointOptions
{
    public required string ChargeBoxId { get; init; }
    public string Vendor { get; init; } = "FleetSim";
    public string Model { get; init; } = "VirtualCP";
    public string FirmwareVersion { get; init; } = "1.0.0";
    public string? SerialNumber { get; init; }
    public int Connectors { get; init; } = 2;
    public MeterSpec Meter { get; init; } = new(SupplyType.AC3Phase, 22_000);
    public IReadOnlyDictionary<string, string> ConfigurationOverrides { get; init; } = new Dictionary<string, string>();

    /// <summary>1.6 sends BootNotification only after a (re)boot; true makes every reconnect boot again (a common real-world behaviour).</summary>
    public bool BootOnReconnect { get; init; }

    /// <summary>Wait before resending BootNotification when the CSMS answered Pending/Rejected with interval 0, or the boot failed.</summary>
    public TimeSpan BootRetryInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long installing downloaded firmware takes.</summary>
    public TimeSpan FirmwareInstallDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Chance in [0, 1] that installing a downloaded firmware fails (InstallationFailed); drawn from the model's Random.</summary>
    public double FirmwareInstallFailureProbability { get; init; }

    /// <summary>Vendor ids whose DataTransfer.req the charge point understands (others get UnknownVendorId). The charge point's own vendor is always known.</summary>
    public IReadOnlyList<string> DataTransferVendorIds { get; init; } = [];

    /// <summary>
    /// The security extension ("Improved security for OCPP 1.6-J"): null = on when the SecurityProfile configuration is 1 or higher.
    /// When on, the 11 security actions work, "Security" is in SupportedFeatureProfiles and the legacy UpdateFirmware is NotSupported (L01.FR.20).
    /// </summary>
    public bool? SecurityExtension { get; init; }

    /// <summary>CentralSystemRootCertificates installed at the factory (trust anchors of the CSMS's TLS certificate). Shared, read-only.</summary>
    public IReadOnlyList<X509Certificate2> CentralSystemRootCertificates { get; init; } = [];

    /// <summary>ManufacturerRootCertificates installed at the factory (anchors of firmware signing certificates).</summary>
    public IReadOnlyList<X509Certificate2> ManufacturerRootCertificates { get; init; } = [];

    /// <summary>The charge point certificate with its private key (security profile 3), or null.</summary>
    public X509Certificate2? ChargePointCertificate { get; init; }

    /// <summary>Roots of the CPO hierarchy a CertificateSigned chain may end in, besides the installed CentralSystemRootCertificates.</summary>
    public IReadOnlyList<X509Certificate2> CpoRootCertificates { get; init; } = [];

    /// <summary>
    /// After ChangeConfiguration AuthorizationKey (at security profile 1/2) or SecurityProfile: how long the charge point keeps the
    /// connection before it reconnects with the new settings, so the CSMS can finish its sequence (key, then profile). One
    /// reconnect covers every change within the period.
    /// </summary>
    public TimeSpan SecurityReconnectGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Where in its interval the first periodic message comes: the first heartbeat after an accepted boot and the first sampled
    /// meter value of a transaction come after this fraction (0, 1] of their interval, the rest a full interval apart. Null: a full
    /// interval (charge points that boot together stay in lockstep). A fleet draws it per charge point to spread its periodic load.
    /// </summary>
    public double? FirstPeriodicFraction { get; init; }

    /// <summary>The key pair a CSR (SignCertificate) is made with; a new one per request.</summary>
    public CsrKeyType CsrKeyType { get; init; } = CsrKeyType.EcdsaP256;
}

public enum CsrKeyType
{
    EcdsaP256,
    Rsa2048,
}
