using System.Globalization;
using System.Text.Json;
using Simulator.Metrics;

namespace Simulator.Dashboards.Tests;

/// <summary>
/// After the run, <c>/metrics</c> stays up (<c>--linger</c>) so a real Prometheus's last scrape sees the run's end: the last
/// StopTransaction and the ledger check's figures, and every series any dashboard panel queries.
/// </summary>
public sealed class FinalScrapeTests
{
    private const string Profile = """
        name: final-scrape
        duration: 12s
        target:
          url: embedded
        csms: {heartbeatInterval: 2s}
        fleet:
          - name: ac
            count: 10
            idPattern: FINAL-{000}
            connectors: 2
            configuration:
              MeterValueSampleInterval: "2"
        arrival: allAtOnce
        behaviour:
          sessions:
            meanTimeBetweenSessions: 1s
            plugInDuration: {uniform: [2s, 4s]}
            energyNeed: {uniform: [1kWh, 2kWh]}
        """;

    [Fact]
    public async Task A_final_scrape_after_the_run_sees_the_reports_StopTransactions_the_ledger_and_every_metric_a_panel_queries()
    {
        var prometheusBinary = Repo.OnPath("prometheus");
        Assert.True(prometheusBinary is not null, "prometheus is not on PATH; tests/run-all.sh installs it (Debian package 'prometheus').");
        var temp = Directory.CreateTempSubdirectory("fleetsim-final-scrape-");
        var metricsPort = Repo.FreePort();
        var prometheusPort = Repo.FreePort();
        var profile = Path.Combine(temp.FullName, "final.yaml");
        var reportFile = Path.Combine(temp.FullName, "report.json");
        await File.WriteAllTextAsync(profile, Profile);
        var config = Path.Combine(temp.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: fleetsim
                static_configs:
                  - targets: ["127.0.0.1:{metricsPort}"]
            """);
        using var prometheus = new ChildProcess(prometheusBinary!, [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(temp.FullName, "data")}",
            $"--web.listen-address=127.0.0.1:{prometheusPort}", "--log.level=warn"], Repo.Root);
        using var run = new ChildProcess("dotnet", [Repo.FleetSimDll, "run", profile, "--metrics-port", P(metricsPort), "--linger", "20s",
            "--report", reportFile, "--quiet", "--node", "final"], Repo.Root);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{prometheusPort}/"), Timeout = TimeSpan.FromSeconds(10) };
            // The run is over (report written) once it says /metrics stays up.
            await WaitForAsync(() => Task.FromResult(run.Output.Contains("/metrics stays up 20s after the run", StringComparison.Ordinal)), TimeSpan.FromSeconds(90), "the run to end and linger", run, prometheus);
            Assert.False(run.HasExited, run.Output);
            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(reportFile));
            var stops = report.RootElement.GetProperty("actions").EnumerateArray()
                .Single(a => a.GetProperty("action").GetString() == "StopTransaction" && a.GetProperty("direction").GetString() == Directions.CpToCsms)
                .GetProperty("count").GetInt64();
            Assert.True(stops > 0, "sessions ended");
            var loss = report.RootElement.GetProperty("lossCheck");

            // Every series a panel of any dashboard queries is on /metrics now, at 0 if nothing happened to it.
            using var scrape = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var text = await scrape.GetStringAsync(new Uri($"http://127.0.0.1:{metricsPort}/metrics"));
            var exposed = text.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(['{', ' '], 2)[0]).SelectMany(Dashboards.MetricsIn).ToHashSet(StringComparer.Ordinal);
            var queried = Dashboards.Queries().SelectMany(q => Dashboards.MetricsIn(q.Expr).Select(m => (Metric: m, Query: q))).ToList();
            Assert.NotEmpty(queried);
            var missing = queried.Where(q => !exposed.Contains(q.Metric)).Select(q => $"{q.Metric} ({q.Query})").Distinct().ToList();
            Assert.True(missing.Count == 0, "queried by a panel but not on /metrics after the run:\n" + string.Join('\n', missing) + "\n\n/metrics:\n" + text);

            // Prometheus's latest sample (a scrape after the run) has the report's figures.
            await WaitForAsync(async () => await ValueAsync(http, "sum(fleetsim_ocpp_call_duration_seconds_count{node=\"final\",action=\"StopTransaction\",direction=\"cp_to_csms\"})") == stops,
                TimeSpan.FromSeconds(15), $"Prometheus to see the report's {stops} StopTransactions", run, prometheus);
            // The ledger gauges are set by the loss check after the last StopTransaction: wait for a scrape that has them.
            await WaitForAsync(async () => await ValueAsync(http, "fleetsim_ledger_messages_lost{node=\"final\"}") is not null,
                TimeSpan.FromSeconds(15), "Prometheus to scrape the ledger's figures", run, prometheus);
            Assert.Equal<double?>(loss.GetProperty("lost").GetInt64(), await ValueAsync(http, "fleetsim_ledger_messages_lost{node=\"final\"}"));
            Assert.Equal<double?>(loss.GetProperty("duplicatesRecognised").GetInt64(), await ValueAsync(http, "fleetsim_ledger_messages_duplicated{node=\"final\"}"));
            Assert.Equal<double?>(0, await ValueAsync(http, "sum(fleetsim_ocpp_call_timeouts_total{node=\"final\"})"));
            Assert.Equal<double?>(0, await ValueAsync(http, "fleetsim_reconnects_total{node=\"final\"}"));

            run.Process.Kill(entireProcessTree: true);   // the linger's end is not what this test waits for
        }
        finally
        {
            try
            {
                temp.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Prometheus may still be closing its files; the temp folder is left behind.
            }
        }
    }

    private static string P(int port) => port.ToString(CultureInfo.InvariantCulture);

    /// <summary>The single value of an instant query, or null when it has none (yet).</summary>
    private static async Task<double?> ValueAsync(HttpClient http, string expr)
    {
        try
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri($"api/v1/query?query={Uri.EscapeDataString(expr)}", UriKind.Relative)));
            var result = doc.RootElement.GetProperty("data").GetProperty("result");
            return result.GetArrayLength() == 1 ? double.Parse(result[0].GetProperty("value")[1].GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture) : null;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, params ChildProcess[] processes)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after {timeout} waiting for {what}.\n" + string.Join('\n', processes.Select(p => $"--- {p.CommandLine}\n{p.Output}")));
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }
}
