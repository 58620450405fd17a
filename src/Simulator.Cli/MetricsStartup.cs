using System.CommandLine;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Simulator.Cli.Profiles;
using Simulator.Metrics;

namespace Simulator.Cli;

/// <summary>Starts the metrics exporters of a command; a port already taken is the user's argument, not an internal error.</summary>
internal static class MetricsStartup
{
    /// <summary>How long /metrics stays up after the run, so Prometheus's last scrape sees its end (<c>--linger</c>).</summary>
    public static Option<string> CreateLingerOption() => new("--linger")
    {
        Description = "With --metrics-port: keep serving /metrics this long after the run for a final scrape, e.g. 15s (the default), 1m; 0 = none",
        DefaultValueFactory = _ => "15s",
    };

    /// <summary>The linger of <c>--linger</c>, or null with the one line naming the problem.</summary>
    public static TimeSpan? ParseLinger(string text, out string? problem)
    {
        problem = null;
        if (text.Trim() == "0")
        {
            return TimeSpan.Zero;
        }
        if (Units.TryParseDuration(text, out var linger, out _))
        {
            return linger;
        }
        problem = $"--linger: '{text}' is not a duration; expected e.g. 15s, 1m or 0 (none)";
        return null;
    }

    /// <summary>
    /// The exporters asked for (null when none), or the one line saying why they cannot start. The options are made only when an
    /// exporter is asked for: MetricsExporterOptions has a field of an OpenTelemetry exporter type, and making one loads that assembly.
    /// </summary>
    public static Task<(MetricsExporter? Exporter, string? Problem)> StartAsync(FleetTelemetry telemetry, int? prometheusPort, IPAddress bindAddress, Uri? otlpEndpoint, CancellationToken cancellationToken) =>
        prometheusPort is null && otlpEndpoint is null
            ? Task.FromResult<(MetricsExporter?, string?)>((null, null))
            : StartExportersAsync(telemetry, prometheusPort, bindAddress, otlpEndpoint, cancellationToken);

    private static Task<(MetricsExporter? Exporter, string? Problem)> StartExportersAsync(FleetTelemetry telemetry, int? prometheusPort, IPAddress bindAddress, Uri? otlpEndpoint, CancellationToken cancellationToken) =>
        StartExportersAsync(telemetry, new MetricsExporterOptions { PrometheusPort = prometheusPort, BindAddress = bindAddress, OtlpEndpoint = otlpEndpoint }, cancellationToken);

    // Apart, so that a run without exporters never loads ASP.NET Core's assemblies (this method's catch names one of their types).
    private static async Task<(MetricsExporter? Exporter, string? Problem)> StartExportersAsync(FleetTelemetry telemetry, MetricsExporterOptions options, CancellationToken cancellationToken)
    {
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
