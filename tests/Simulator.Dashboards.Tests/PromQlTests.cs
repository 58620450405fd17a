using System.Globalization;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Simulator.Metrics;

namespace Simulator.Dashboards.Tests;

/// <summary>
/// Every panel's PromQL, evaluated by a real Prometheus scraping real FleetSim processes: the smoke profile (embedded
/// CSMS) and a small fleet against a separate <c>fleetsim csms</c> whose control API injects CALLERRORs, a connection
/// drop with HTTP 503 refusals, and a black hole (CALL timeouts), so the failure panels have something to show.
/// </summary>
public sealed class PromQlTests
{
    /// <summary>Series the test's runs cannot produce; queries using only these may return no data (but must evaluate).</summary>
    private static readonly Dictionary<string, string> NotProducedByTheseRuns = new(StringComparer.Ordinal)
    {
        [MetricNames.TlsHandshakeDuration] = NoHandshake,
        [MetricNames.MessagesLost] = LedgerAtTheEnd,
        [MetricNames.MessagesDuplicated] = LedgerAtTheEnd,
    };

    private const string LedgerAtTheEnd = "published after the end-of-run loss check, during --linger (FinalScrapeTests checks it); these runs are stopped before";

    private const string NoHandshake = "published at 0 from the start, but the test's fleets use security profile 0 (no TLS), so its quantiles are NaN";

    private const string FaultsProfile = """
        name: dashboard-faults
        duration: 90s
        target:
          url: ws://127.0.0.1:{CSMS_PORT}/ocpp
        fleet:
          - name: ac
            count: 10
            idPattern: FAULT-{000}
            connectors: 2
            bootOnReconnect: true
            configuration:
              MeterValueSampleInterval: "2"
            reconnect:
              policy: fixed
              interval: 1s
        arrival: allAtOnce
        behaviour:
          sessions:
            meanTimeBetweenSessions: 3s
            plugInDuration: {uniform: [10s, 20s]}
            energyNeed: {uniform: [1kWh, 2kWh]}
        """;

    [Fact]
    public async Task Every_panel_query_returns_data_from_a_real_FleetSim_run()
    {
        var prometheusBinary = Repo.OnPath("prometheus");
        Assert.True(prometheusBinary is not null,
            "prometheus is not on PATH. The dashboard tests evaluate every panel against a real Prometheus; " +
            "tests/run-all.sh installs it (Debian package 'prometheus').");
        var queries = Dashboards.Queries();
        Assert.NotEmpty(queries);
        var known = typeof(MetricNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name != nameof(MetricNames.MeterName)).Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);
        var unknown = queries.SelectMany(q => Dashboards.MetricsIn(q.Expr).Where(m => !known.Contains(m)).Select(m => $"{q}\n    uses {m}, which FleetSim does not export")).ToList();
        Assert.True(unknown.Count == 0, string.Join('\n', unknown));

        var fleetsim = Repo.FleetSimDll;
        var temp = Directory.CreateTempSubdirectory("fleetsim-dashboards-");
        var processes = new List<ChildProcess>();
        try
        {
            var csmsPort = Repo.FreePort();
            var controlPort = Repo.FreePort();
            var smokeMetrics = Repo.FreePort();
            var faultsMetrics = Repo.FreePort();
            var prometheusPort = Repo.FreePort();

            const string controlToken = "dashboards-test-control-token";
            var csms = Start(processes, "dotnet", [fleetsim, "csms", "--port", P(csmsPort), "--control-port", P(controlPort), "--control-token", controlToken]);
            await WaitForAsync(() => csms.Output.Contains("Control API on", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "fleetsim csms to start", processes);

            var profile = Path.Combine(temp.FullName, "faults.yaml");
            await File.WriteAllTextAsync(profile, FaultsProfile.Replace("{CSMS_PORT}", P(csmsPort), StringComparison.Ordinal));
            Start(processes, "dotnet", [fleetsim, "run", "profiles/smoke.yaml", "--metrics-port", P(smokeMetrics), "--quiet", "--duration", "90s", "--node", "smoke"]);
            Start(processes, "dotnet", [fleetsim, "run", profile, "--metrics-port", P(faultsMetrics), "--quiet", "--duration", "90s", "--node", "faults"]);

            var config = Path.Combine(temp.FullName, "prometheus.yml");
            await File.WriteAllTextAsync(config, $"""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: fleetsim
                    static_configs:
                      - targets: ["127.0.0.1:{smokeMetrics}", "127.0.0.1:{faultsMetrics}"]
                """);
            Start(processes, prometheusBinary!, [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(temp.FullName, "data")}",
                $"--web.listen-address=127.0.0.1:{prometheusPort}", "--log.level=warn"]);

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{prometheusPort}/"), Timeout = TimeSpan.FromSeconds(10) };
            await WaitForAsync(async () => await TargetsUpAsync(http) == 2, TimeSpan.FromSeconds(60), "Prometheus to scrape both FleetSim nodes", processes);
            await WaitForAsync(async () => (await QueryAsync(http, "fleetsim_charge_points_booted{node=\"faults\"} > 0")).Data.Count > 0,
                TimeSpan.FromSeconds(30), "the faults node's charge points to boot", processes);

            // Faults, through the CSMS control API: CALLERRORs, then a drop with HTTP 503 refusals (reconnects), then a
            // black hole whose unanswered CALLs time out 30 s later.
            using var control = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{controlPort}/control/") };
            control.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", controlToken);
            await PostAsync(control, "faults/errors", """{"fraction":0.5,"seconds":4}""");
            await Task.Delay(TimeSpan.FromSeconds(5));
            await PostAsync(control, "faults/refuse", """{"mode":"http503","seconds":3}""");
            await PostAsync(control, "faults/drop", """{"mode":"abort"}""");
            await Task.Delay(TimeSpan.FromSeconds(6));
            await PostAsync(control, "faults/blackhole", """{"seconds":3}""");

            // Poll until every query has returned a value that is a number (not NaN) at least once.
            var pending = queries.ToList();
            var errors = new List<string>();
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (pending.Count > 0 && DateTime.UtcNow < deadline)
            {
                foreach (var query in pending.ToList())
                {
                    var result = await QueryAsync(http, Dashboards.Substitute(query.Expr));
                    if (result.Error is { } error)
                    {
                        errors.Add($"{query}\n    Prometheus: {error}");
                        pending.Remove(query);
                    }
                    else if (result.Data.Any(v => !double.IsNaN(v)))
                    {
                        pending.Remove(query);
                    }
                }
                Assert.True(errors.Count == 0, "queries Prometheus rejected:\n" + string.Join('\n', errors));
                if (pending.Count > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(2));
                }
            }

            var exported = await ExportedMetricsAsync(http);
            var noData = pending
                .Where(q => !Dashboards.MetricsIn(q.Expr).All(NotProducedByTheseRuns.ContainsKey))
                .Select(q => $"{q}\n    evaluated as {Dashboards.Substitute(q.Expr)}")
                .ToList();
            Assert.True(noData.Count == 0,
                $"queries that never returned a number in 60 s:\n{string.Join('\n', noData)}\n\nFleetSim series Prometheus has: {string.Join(", ", exported.Order(StringComparer.Ordinal))}");

            // Every series the dashboards use was really exported by these runs, except the ones listed as not produced.
            var used = queries.SelectMany(q => Dashboards.MetricsIn(q.Expr)).ToHashSet(StringComparer.Ordinal);
            var missing = used.Where(m => !exported.Contains(m) && !NotProducedByTheseRuns.ContainsKey(m)).Order(StringComparer.Ordinal).ToList();
            Assert.True(missing.Count == 0, "series the dashboards use but the FleetSim runs never exported: " + string.Join(", ", missing));
            // The exceptions stay honest: the TLS histogram is exported (at 0), the ledger gauges are not before the runs end.
            Assert.Contains(MetricNames.TlsHandshakeDuration, exported);
            var ledgerSeen = NotProducedByTheseRuns.Where(e => e.Value == LedgerAtTheEnd).Select(e => e.Key).Where(exported.Contains).ToList();
            Assert.True(ledgerSeen.Count == 0, $"the ledger is exported during the run now, remove from {nameof(NotProducedByTheseRuns)}: {string.Join(", ", ledgerSeen)}");
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }
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

    private static ChildProcess Start(List<ChildProcess> processes, string fileName, string[] arguments)
    {
        var process = new ChildProcess(fileName, arguments, Repo.Root);
        processes.Add(process);
        return process;
    }

    private static Task WaitForAsync(Func<bool> condition, TimeSpan timeout, string what, List<ChildProcess> processes) =>
        WaitForAsync(() => Task.FromResult(condition()), timeout, what, processes);

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what, List<ChildProcess> processes)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var exited = processes.FirstOrDefault(p => p.HasExited);
            Assert.True(exited is null, $"{exited?.CommandLine} exited early while waiting for {what}:\n{exited?.Output}");
            bool met;
            try
            {
                met = await condition();
            }
            catch (HttpRequestException)
            {
                met = false;
            }
            if (met)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline,
                $"timed out after {timeout} waiting for {what}.\n" + string.Join('\n', processes.Select(p => $"--- {p.CommandLine}\n{p.Output}")));
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    private static async Task PostAsync(HttpClient control, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await control.PostAsync(new Uri(path, UriKind.Relative), content);
        Assert.True(response.IsSuccessStatusCode, $"POST /control/{path} {json}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<int> TargetsUpAsync(HttpClient http)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/v1/targets?state=active", UriKind.Relative)));
        return doc.RootElement.GetProperty("data").GetProperty("activeTargets").EnumerateArray()
            .Count(t => t.GetProperty("health").GetString() == "up");
    }

    /// <summary>Evaluates an instant query: its values (vector or scalar), or Prometheus' error.</summary>
    private static async Task<(IReadOnlyList<double> Data, string? Error)> QueryAsync(HttpClient http, string expr)
    {
        using var response = await http.GetAsync(new Uri($"api/v1/query?query={Uri.EscapeDataString(expr)}", UriKind.Relative));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        if (root.GetProperty("status").GetString() != "success")
        {
            return ([], $"{root.GetProperty("errorType").GetString()}: {root.GetProperty("error").GetString()}");
        }
        var data = root.GetProperty("data");
        var result = data.GetProperty("result");
        var values = data.GetProperty("resultType").GetString() switch
        {
            "vector" => result.EnumerateArray().Select(s => Number(s.GetProperty("value")[1])).ToList(),
            "scalar" => [Number(result[1])],
            var other => throw new InvalidOperationException($"unexpected result type {other} for {expr}"),
        };
        return (values, null);
    }

    private static double Number(JsonElement value) => double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Names of the FleetSim series Prometheus holds (histogram suffixes removed).</summary>
    private static async Task<HashSet<string>> ExportedMetricsAsync(HttpClient http)
    {
        var values = await http.GetFromJsonAsync<JsonElement>(new Uri("api/v1/label/__name__/values", UriKind.Relative));
        return values.GetProperty("data").EnumerateArray().Select(v => v.GetString()!)
            .SelectMany(Dashboards.MetricsIn).ToHashSet(StringComparer.Ordinal);
    }
}
