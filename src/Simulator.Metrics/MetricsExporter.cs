using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using Prometheus;

namespace Simulator.Metrics;

/// <summary>Where and how <see cref="MetricsExporter"/> publishes the FleetSim meter.</summary>
public sealed record MetricsExporterOptions
{
    /// <summary>Port of the Prometheus <c>/metrics</c> endpoint; 0 picks a free port (see <see cref="MetricsExporter.PrometheusUri"/>),
    /// null serves no endpoint.</summary>
    public int? PrometheusPort { get; init; } = 9464;

    /// <summary>Address the endpoint binds to; loopback unless the caller asks otherwise.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>OTLP collector URL (e.g. http://127.0.0.1:4317); null exports nothing over OTLP.</summary>
    public Uri? OtlpEndpoint { get; init; }

    public OtlpExportProtocol OtlpProtocol { get; init; } = OtlpExportProtocol.Grpc;

    public TimeSpan OtlpExportInterval { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Publishes a <see cref="FleetTelemetry"/>'s meter: a Prometheus <c>/metrics</c> endpoint (a MeterListener bridge
/// into a private prometheus-net registry, served by Kestrel) and optionally OTLP (OpenTelemetry MeterProvider).
/// The registry is private, so prometheus-net's default process/.NET metrics are not exposed, and only this telemetry's
/// meter is published (several in one process do not mix).
/// </summary>
public sealed class MetricsExporter : IAsyncDisposable
{
    private readonly PrometheusMeterBridge? _adapter;
    private readonly WebApplication? _app;
    private readonly MeterProvider? _meterProvider;

    private MetricsExporter(PrometheusMeterBridge? adapter, WebApplication? app, MeterProvider? meterProvider, Uri? prometheusUri)
    {
        _adapter = adapter;
        _app = app;
        _meterProvider = meterProvider;
        PrometheusUri = prometheusUri;
    }

    /// <summary>The URL of the running <c>/metrics</c> endpoint (with the actual port), or null.</summary>
    public Uri? PrometheusUri { get; }

    /// <summary>Starts the exporters the options ask for.</summary>
    public static async Task<MetricsExporter> StartAsync(FleetTelemetry telemetry, MetricsExporterOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(options);

        PrometheusMeterBridge? adapter = null;
        WebApplication? app = null;
        MeterProvider? meterProvider = null;
        Uri? uri = null;
        try
        {
            if (options.PrometheusPort is { } port)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(port);
                ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
                var registry = Prometheus.Metrics.NewCustomRegistry();
                adapter = new PrometheusMeterBridge(telemetry.Meter, registry);
                foreach (var (instrument, labels) in telemetry.KnownSeries())
                {
                    adapter.Declare(instrument, [.. labels]);
                }

                var builder = WebApplication.CreateSlimBuilder();
                builder.Logging.ClearProviders();
                builder.WebHost.ConfigureKestrel(k => k.Listen(options.BindAddress, port));
                app = builder.Build();
                app.MapMetrics("/metrics", registry);
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
                uri = new Uri(new Uri(address), "/metrics");
            }

            if (options.OtlpEndpoint is { } endpoint)
            {
                meterProvider = Sdk.CreateMeterProviderBuilder()
                    .AddMeter(MetricNames.MeterName)
                    .AddOtlpExporter((exporter, reader) =>
                    {
                        exporter.Endpoint = endpoint;
                        exporter.Protocol = options.OtlpProtocol;
                        reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.OtlpExportInterval.TotalMilliseconds;
                    })
                    .Build();
            }

            return new MetricsExporter(adapter, app, meterProvider, uri);
        }
        catch
        {
            meterProvider?.Dispose();
            if (app is not null)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }

            adapter?.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _meterProvider?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        _adapter?.Dispose();
    }

}
