using Microsoft.AspNetCore.Connections;
using Simulator.Metrics;

namespace Simulator.Cli;

/// <summary>Starts the metrics exporters of a command; a port already taken is the user's argument, not an internal error.</summary>
internal static class MetricsStartup
{
    /// <summary>The exporters the options ask for (null when none), or the one line saying why they cannot start.</summary>
    public static async Task<(MetricsExporter? Exporter, string? Problem)> StartAsync(FleetTelemetry telemetry, MetricsExporterOptions options, CancellationToken cancellationToken)
    {
        if (options.PrometheusPort is null && options.OtlpEndpoint is null)
        {
            return (null, null);
        }
        try
        {
            return (await MetricsExporter.StartAsync(telemetry, options, cancellationToken).ConfigureAwait(false), null);
        }
        catch (IOException ex) when (ex.InnerException is AddressInUseException)
        {
            return (null, $"--metrics-port {options.PrometheusPort}: address {options.BindAddress} port {options.PrometheusPort} is already in use");
        }
    }
}
