using System.Net;
using Simulator.Csms;
using Simulator.Metrics;
using Simulator.Metrics.TimeSeries;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Fleet.Tests.EndToEnd;

/// <summary>The CSMS's CALLs to a live charge point, as the run statistics, the report, the summary, the time series and /metrics show them.</summary>
[Collection(EndToEndGroup.Name)]
public sealed class InboundCallRecordingTests : IAsyncLifetime
{
    private FleetHarness? _h;

    private FleetHarness H => _h!;

    public async Task InitializeAsync() => _h = await FleetHarness.StartAsync(Plans.OneType("INB-{000}"), new CsmsOptions { HeartbeatInterval = 300 });

    public async Task DisposeAsync()
    {
        if (_h is not null)
        {
            await _h.DisposeAsync();
        }
    }

    [Fact]
    public async Task Each_CSMS_call_is_recorded_csms_to_cp_with_its_answer_and_the_time_to_answer()
    {
        await using var exporter = await MetricsExporter.StartAsync(H.Telemetry, new MetricsExporterOptions { PrometheusPort = 0 });
        var id = await H.StartBootedAsync();
        var series = new TimeSeriesRecorder(DateTimeOffset.UtcNow);
        series.Record(H.Telemetry.Snapshot(), WindowStatistics.Empty, DateTimeOffset.UtcNow);
        H.Telemetry.RollWindow();

        var accepted = await H.Csms.CallAsync(id, new ChangeConfigurationRequest { Key = "HeartbeatInterval", Value = "120" });
        var notSupported = await H.Csms.CallAsync(id, new ChangeConfigurationRequest { Key = "NoSuchKeyAnywhere", Value = "1" });
        var rejected = await H.Csms.CallAsync(id, new ChangeConfigurationRequest { Key = "HeartbeatInterval", Value = "-5" });
        var withoutStatus = await H.Csms.CallAsync(id, new GetConfigurationRequest { Key = ["HeartbeatInterval"] });
        var notForAChargePoint = await H.Csms.CallAsync(id, new HeartbeatRequest());

        Assert.Equal(ConfigurationStatus.Accepted, Assert.IsType<ChangeConfigurationResponse>(accepted.Response).Status);
        Assert.Equal(ConfigurationStatus.NotSupported, Assert.IsType<ChangeConfigurationResponse>(notSupported.Response).Status);
        Assert.Equal(ConfigurationStatus.Rejected, Assert.IsType<ChangeConfigurationResponse>(rejected.Response).Status);
        Assert.True(withoutStatus.IsAnswered);
        Assert.Equal(OcppErrorCode.NotSupported, notForAChargePoint.ErrorCode);

        var stats = H.Telemetry.Snapshot();
        var change = stats.Calls[new CallKey("ChangeConfiguration", Directions.CsmsToCp, "1.6")];
        Assert.Equal(3, change.Count);
        Assert.Equal(3, change.Ok);
        Assert.Equal(new Dictionary<string, long> { ["Accepted"] = 1, ["NotSupported"] = 1, ["Rejected"] = 1 }, change.ResultsByStatus.ToDictionary());
        Assert.Equal(3, change.RoundTrip.Count);
        Assert.True(change.RoundTrip.MaxMicros > 0, "the time to answer is measured");
        var get = stats.Calls[new CallKey("GetConfiguration", Directions.CsmsToCp, "1.6")];
        Assert.Equal((1, 1), (get.Count, get.Ok));
        Assert.Empty(get.ResultsByStatus);
        var heartbeat = stats.Calls[new CallKey("Heartbeat", Directions.CsmsToCp, "1.6")];
        Assert.Equal(1, heartbeat.ErrorsByCode["NotSupported"]);
        Assert.False(stats.Calls.ContainsKey(new CallKey("ChangeConfiguration", Directions.CpToCsms, "1.6")));

        var report = RunReportBuilder.Build(new RunInfo("r", "p", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 1), stats);
        var row = report.Actions.Single(a => a is { Action: "ChangeConfiguration", Direction: Directions.CsmsToCp });
        Assert.Equal(1, row.ResultsByStatus["Rejected"]);
        Assert.Equal(1, RunReport.FromJson(report.ToJson()).Actions.Single(a => a.Action == "ChangeConfiguration").ResultsByStatus["NotSupported"]);
        Assert.Equal(report.Actions.Where(a => a.Direction == Directions.CpToCsms).Sum(a => a.Count), report.Totals.Count);
        Assert.Equal(0, report.Totals.Errors);   // the charge point's CALLERROR answer is not the CSMS's error
        var summary = SummaryRenderer.Render(report);
        Assert.Contains("CSMS calls: 5 (", summary, StringComparison.Ordinal);
        Assert.Contains("ChangeConfiguration Accepted 1, NotSupported 1, Rejected 1", summary, StringComparison.Ordinal);
        Assert.Contains("GetConfiguration ok 1", summary, StringComparison.Ordinal);
        Assert.Contains("Heartbeat CALLERROR NotSupported 1", summary, StringComparison.Ordinal);

        var second = series.Record(stats, H.Telemetry.RollWindow(), DateTimeOffset.UtcNow);
        var inSeries = second.Calls.Single(c => c is { Action: "ChangeConfiguration", Direction: Directions.CsmsToCp });
        Assert.Equal(3, inSeries.Count);
        Assert.NotNull(inSeries.P99Ms);
        Assert.Equal(1, second.Calls.Single(c => c is { Action: "Heartbeat", Direction: Directions.CsmsToCp }).Errors);

        using var http = new HttpClient();
        using var response = await http.GetAsync(exporter.PrometheusUri);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var scrape = await response.Content.ReadAsStringAsync();
        Assert.Matches("""fleetsim_ocpp_response_status_total\{[^}]*action="ChangeConfiguration"[^}]*direction="csms_to_cp"[^}]*status="Rejected"[^}]*\} 1""", scrape);
        Assert.Matches("""fleetsim_ocpp_call_duration_seconds_count\{[^}]*action="Heartbeat"[^}]*direction="csms_to_cp"[^}]*outcome="callerror"[^}]*\} 1""", scrape);
    }
}
