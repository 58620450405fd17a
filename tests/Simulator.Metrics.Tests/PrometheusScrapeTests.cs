using System.Net;
using System.Text.RegularExpressions;
using Simulator.Metrics;

namespace Simulator.Metrics.Tests;

public sealed class PrometheusScrapeTests
{
    private static async Task<string> ScrapeAfterTraffic(string node)
    {
        using var telemetry = new FleetTelemetry(node);
        await using var exporter = await MetricsExporter.StartAsync(telemetry, new MetricsExporterOptions { PrometheusPort = 0 });
        telemetry.CallCompleted("BootNotification", Directions.CpToCsms, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(12), TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(13), ocppVersion: "1.6");
        telemetry.CallCompleted("Heartbeat", Directions.CpToCsms, CallOutcome.CallError, "InternalError", TimeSpan.FromMilliseconds(3), TimeSpan.Zero, ocppVersion: "1.6");
        telemetry.CallCompleted("Heartbeat", Directions.CpToCsms, CallOutcome.Timeout, null, TimeSpan.FromSeconds(30), TimeSpan.Zero, ocppVersion: "1.6");
        telemetry.CallCompleted("Reset", Directions.CsmsToCp, CallOutcome.Ok, null, TimeSpan.FromMilliseconds(1), TimeSpan.Zero, responseStatus: "Accepted", ocppVersion: "1.6");
        telemetry.MessageSent("BootNotification", "1.6");
        telemetry.MessageReceived("BootNotification", "1.6");
        telemetry.ConnectionAttempt(ConnectResults.Ok, TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(8), TimeSpan.FromMilliseconds(4));
        telemetry.ConnectionAttempt(ConnectResults.Http(401), TimeSpan.FromMilliseconds(2));
        telemetry.Connected();
        telemetry.Booted();
        telemetry.Reconnect();
        using var queue = telemetry.RegisterOfflineQueue();
        queue.Update(3, telemetry.TimeProvider.GetTimestamp());
        telemetry.SessionStarted();
        telemetry.SessionStarted();
        telemetry.SessionCompleted();
        telemetry.EnergyDelivered(1500);
        telemetry.SchedulerLag(TimeSpan.FromMilliseconds(2));
        telemetry.SecurityEvent("InvalidCsmsCertificate");
        telemetry.SetLedger(new LedgerCounts(10, 10, 0, 1));
        telemetry.CsmsProtocolViolation(CsmsViolationKind.BinaryFrame, null, "CP-SECRET-ID", "binary message of 5 bytes, ignored");
        telemetry.CsmsProtocolViolation(CsmsViolationKind.MessageTooLarge, "SendLocalList", "CP-SECRET-ID", "message of 5000000 bytes");

        Assert.NotNull(exporter.PrometheusUri);
        Assert.Equal("127.0.0.1", exporter.PrometheusUri.Host);
        using var http = new HttpClient();
        using var response = await http.GetAsync(exporter.PrometheusUri);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    public static TheoryData<string, string> DocumentedSeries => new()
    {
        { "fleetsim_ocpp_call_duration_seconds", "histogram" },
        { "fleetsim_ocpp_queue_wait_seconds", "histogram" },
        { "fleetsim_ocpp_call_intended_duration_seconds", "histogram" },
        { "fleetsim_ocpp_messages_sent_total", "counter" },
        { "fleetsim_ocpp_messages_received_total", "counter" },
        { "fleetsim_ocpp_call_errors_total", "counter" },
        { "fleetsim_ocpp_call_timeouts_total", "counter" },
        { "fleetsim_websocket_connect_duration_seconds", "histogram" },
        { "fleetsim_tls_handshake_duration_seconds", "histogram" },
        { "fleetsim_websocket_upgrade_duration_seconds", "histogram" },
        { "fleetsim_connection_attempts_total", "counter" },
        { "fleetsim_charge_points_connected", "gauge" },
        { "fleetsim_charge_points_booted", "gauge" },
        { "fleetsim_reconnects_total", "counter" },
        { "fleetsim_offline_queue_depth", "gauge" },
        { "fleetsim_offline_queue_oldest_age_seconds", "gauge" },
        { "fleetsim_sessions_active", "gauge" },
        { "fleetsim_sessions_started_total", "counter" },
        { "fleetsim_sessions_completed_total", "counter" },
        { "fleetsim_energy_delivered_watt_hours_total", "counter" },
        { "fleetsim_scheduler_lag_seconds", "histogram" },
        { "fleetsim_security_events_total", "counter" },
        { "fleetsim_ledger_messages_lost", "gauge" },
        { "fleetsim_ledger_messages_duplicated", "gauge" },
        { "fleetsim_csms_protocol_violations_total", "counter" },
        { "fleetsim_ocpp_response_status_total", "counter" },
    };

    private static readonly Lazy<Task<string>> Scrape = new(() => ScrapeAfterTraffic("node-a"));

    [Fact]
    public async Task CSMS_protocol_violations_are_counted_by_kind_and_action_without_charge_point_ids()
    {
        var text = await Scrape.Value;
        var lines = text.Split('\n').Where(l => l.StartsWith("fleetsim_csms_protocol_violations_total{", StringComparison.Ordinal)).ToList();
        Assert.Contains(lines, l => l.Contains("kind=\"binaryFrame\"", StringComparison.Ordinal) && l.Contains("action=\"unknown\"", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("kind=\"messageTooLarge\"", StringComparison.Ordinal) && l.Contains("action=\"SendLocalList\"", StringComparison.Ordinal) && l.EndsWith(" 1", StringComparison.Ordinal));
        Assert.DoesNotContain("CP-SECRET-ID", text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(DocumentedSeries))]
    public async Task Scrape_exposes_each_documented_series_with_its_exact_name_and_type(string name, string type)
    {
        var text = await Scrape.Value;
        Assert.Contains($"# TYPE {name} {type}\n", text, StringComparison.Ordinal);
        var sample = type == "histogram" ? name + "_count{" : name + "{";
        Assert.Contains(sample, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_has_only_documented_series_all_labelled_with_the_node_and_none_with_a_charge_point()
    {
        var text = await Scrape.Value;
        var documented = DocumentedSeries.Select(row => (string)row[0]).ToHashSet();
        var samples = text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.NotEmpty(samples);
        foreach (var line in samples)
        {
            var name = Regex.Match(line, "^[a-z_]+").Value;
            var family = Regex.Replace(name, "_(bucket|sum|count)$", "");
            Assert.True(documented.Contains(name) || documented.Contains(family), $"undocumented series: {line}");
            Assert.Contains("node=\"node-a\"", line, StringComparison.Ordinal);
            Assert.DoesNotMatch("(charge_?point|cp)_?id|identity|CP-", line);
        }
    }

    [Fact]
    public async Task Scrape_carries_values_and_the_documented_latency_buckets()
    {
        var text = await Scrape.Value;
        Assert.Contains("fleetsim_ocpp_call_errors_total{node=\"node-a\",action=\"Heartbeat\",ocpp_version=\"1.6\",code=\"InternalError\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("fleetsim_connection_attempts_total{node=\"node-a\",result=\"http_401\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("fleetsim_energy_delivered_watt_hours_total{node=\"node-a\"} 1500", text, StringComparison.Ordinal);
        Assert.Contains("fleetsim_offline_queue_depth{node=\"node-a\"} 3", text, StringComparison.Ordinal);
        Assert.Contains("fleetsim_sessions_active{node=\"node-a\"} 1", text, StringComparison.Ordinal);
        foreach (var le in new[] { "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30", "60", "+Inf" })
        {
            Assert.Contains($"fleetsim_ocpp_call_duration_seconds_bucket{{node=\"node-a\",action=\"BootNotification\",ocpp_version=\"1.6\",direction=\"cp_to_csms\",outcome=\"ok\",le=\"{le}\"}}", text, StringComparison.Ordinal);
        }

        // 12 ms falls in the 0.025 bucket, not in the 0.01 one.
        Assert.Contains("outcome=\"ok\",le=\"0.01\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("outcome=\"ok\",le=\"0.025\"} 1", text, StringComparison.Ordinal);
    }
}
