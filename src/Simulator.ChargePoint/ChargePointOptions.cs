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
}
