using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Simulator.Fleet.State;
using Simulator.Metrics;

namespace Simulator.Cli.Tests.EndToEnd;

/// <summary>
/// A crash is a power cut: <c>kill -9</c> of <c>fleetsim run --state DIR</c>, then <c>fleetsim run --resume DIR</c>, against a
/// <c>fleetsim csms</c> of its own that outlives the runner. Also: a child CSMS ends with its parent; bad state directories.
/// </summary>
[Collection(CliEndToEndGroup.Name)]
public sealed class CrashResumeTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("fleetsim-crash-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private string Write(string name, string text)
    {
        File.WriteAllText(PathOf(name), text);
        return PathOf(name);
    }

    private static string Profile(string target, string extra = "") => $"""
        name: crash
        duration: 5m
        target:
          url: {target}
        {extra}
        fleet:
          - name: ac
            count: 6
            idPattern: CRASH-{"{00}"}
            connectors: 2
            configuration:
              MeterValueSampleInterval: "1"
        arrival: allAtOnce
        behaviour:
          sessions:
            meanTimeBetweenSessions: 1s
            plugInDuration: {"{uniform: [120s, 180s]}"}
            energyNeed: {"{uniform: [20kWh, 30kWh]}"}
        """;

    [Fact]
    public async Task After_kill_9_the_resumed_fleet_delivers_every_queued_message_once_and_closes_every_transaction_with_PowerLoss()
    {
        var withToken = new Dictionary<string, string?> { [Simulator.Csms.ControlTokens.EnvironmentVariable] = Simulator.Csms.ControlTokens.Generate() };
        using var csms = new FleetSimChild(withToken, "csms", "--port", "0", "--control-port", "0", "--heartbeat-interval", "300");
        var listening = await csms.WaitForLineAsync(l => l.StartsWith("CSMS listening on ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var target = listening["CSMS listening on ".Length..].Split("<chargeBoxId>")[0].TrimEnd('/');
        var controlUrl = (await csms.WaitForLineAsync(l => l.StartsWith("Control API on ", StringComparison.Ordinal), TimeSpan.FromSeconds(10)))["Control API on ".Length..].Trim();
        using var control = new HttpClient { BaseAddress = new Uri(controlUrl) };
        control.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", withToken.Values.Single());
        var profile = Write("crash.yaml", Profile(target));
        var stateDir = PathOf("state");

        int queuedAtCut, openAtCut;
        using (var runner = new FleetSimChild("run", profile, "--state", stateDir, "--quiet"))
        {
            await WaitUntilAsync(async () => (await LedgerAsync(control))["total"]!["meterValuesDelivered"]!.GetValue<long>() >= 12, TimeSpan.FromSeconds(60), () => runner.Output);
            // The CSMS goes away for the charge points (connections aborted, reconnects refused with 503): transaction messages queue up.
            await PostAsync(control, "faults/refuse", """{"mode":"http503","seconds":300}""");
            await PostAsync(control, "faults/drop", """{"mode":"abort"}""");
            await Task.Delay(TimeSpan.FromSeconds(4));
            Assert.False(runner.HasExited, runner.Output);
            runner.KillHard();
            Assert.NotEqual(0, await runner.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        }
        using (var saved = ChargePointStateStore.Open(Path.Combine(stateDir, "store"), create: false, load: true))
        {
            var states = Enumerable.Range(1, 6).Select(i => saved.TakeRestored($"CRASH-{i:00}")).ToList();
            Assert.All(states, Assert.NotNull);
            queuedAtCut = states.Sum(s => s!.Queue.Count);
            openAtCut = states.Sum(s => s!.Memory.Transactions.Count);
        }
        Assert.True(queuedAtCut > 0, "the offline queue was not empty at the cut");
        Assert.True(openAtCut > 0, "transactions were open at the cut");
        var before = await LedgerAsync(control);
        Assert.True(before["openTransactions"]!.GetValue<long>() > 0);
        var resentBefore = before["total"]!["resent"]!.GetValue<long>();

        await DeleteFaultsAsync(control);
        var reportFile = PathOf("resumed.json");
        using (var resumed = new FleetSimChild(withToken, "run", "--resume", stateDir, "--duration", "6s", "--quiet", "--csms-control", controlUrl, "--report", reportFile))
        {
            Assert.True(await resumed.WaitForExitAsync(TimeSpan.FromSeconds(120)) == 0, resumed.Output);
            Assert.Contains(resumed.Stdout, l => l.Contains($"with {queuedAtCut} queued transaction messages and {openAtCut} interrupted transactions", StringComparison.Ordinal));
        }

        var report = RunReport.FromJson(await File.ReadAllTextAsync(reportFile));
        Assert.NotNull(report.LossCheck);
        Assert.Equal(0, report.LossCheck!.Lost);
        // This run's loss check covers what it brought back (the saved queue and the PowerLoss stops) and what it produced itself.
        Assert.True(report.LossCheck.Produced >= queuedAtCut + openAtCut, $"produced {report.LossCheck.Produced} < {queuedAtCut} + {openAtCut}");
        var after = await LedgerAsync(control);
        Assert.Equal(0, after["openTransactions"]!.GetValue<long>());
        Assert.Equal(openAtCut, after["stopReasons"]!["PowerLoss"]!.GetValue<long>());
        // Resends recognised by the ledger only for messages whose answer the abort swallowed (at most one in flight per charge point).
        Assert.InRange(after["total"]!["resent"]!.GetValue<long>() - resentBefore, 0, 6);
        using (var left = ChargePointStateStore.Open(Path.Combine(stateDir, "store"), create: false, load: true))
        {
            // Delivered messages left the saved queue; the stopped charge points ended their sessions.
            Assert.All(Enumerable.Range(1, 6), i => Assert.Empty(left.TakeRestored($"CRASH-{i:00}")!.Queue));
        }
    }

    [Fact]
    public async Task A_child_CSMS_ends_within_seconds_when_its_runner_is_killed_and_frees_its_port()
    {
        var profile = Write("child.yaml", Profile("embedded", "csms: {separateProcess: true}"));
        using var runner = new FleetSimChild("run", profile, "--quiet");
        var banner = await runner.WaitForLineAsync(l => l.StartsWith("FleetSim: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        var url = new Uri(banner[(banner.IndexOf("ws://", StringComparison.Ordinal))..].Split(' ')[0]);
        var child = ChildrenOf(runner.Id).Single();

        runner.KillHard();
        await runner.WaitForExitAsync(TimeSpan.FromSeconds(30));

        await WaitUntilAsync(() => Task.FromResult(!IsAlive(child)), TimeSpan.FromSeconds(10), () => $"the CSMS process {child} still runs 10 s after its parent was killed");
        using var listener = new TcpListener(IPAddress.Loopback, url.Port);
        listener.Start();   // the port is free again
        listener.Stop();
    }

    [Fact]
    public async Task A_bad_state_directory_is_refused_with_exit_104_and_one_clear_line()
    {
        var profile = Write("p.yaml", Profile("ws://127.0.0.1:9/ocpp"));
        var empty = Directory.CreateDirectory(PathOf("empty")).FullName;
        var badManifest = Directory.CreateDirectory(PathOf("bad-manifest")).FullName;
        File.WriteAllText(Path.Combine(badManifest, "fleetsim-state.json"), "{\"format\": 1, \"profilePath\": ");
        var badStore = Directory.CreateDirectory(PathOf("bad-store")).FullName;
        File.WriteAllText(Path.Combine(badStore, "fleetsim-state.json"), $$"""
            {"format": 1, "profilePath": "{{profile.Replace("\\", "\\\\", StringComparison.Ordinal)}}", "profileSha256": "{{Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(profile)))}}",
             "seed": 1, "overrides": {}, "authorizationKeyGiven": false, "createdAt": "2026-01-01T00:00:00Z"}
            """);
        Directory.CreateDirectory(Path.Combine(badStore, "store"));
        File.WriteAllBytes(Path.Combine(badStore, "store", "charge-points.sqlite"), Encoding.ASCII.GetBytes(new string('x', 8192)));

        (string[] Args, string Expected)[] cases =
        [
            (["run", "--resume", PathOf("missing")], "the directory does not exist"),
            (["run", "--resume", empty], "not a FleetSim state directory"),
            (["run", "--resume", badManifest], "fleetsim-state.json is corrupt"),
            (["run", "--resume", badStore], "the charge points' state is unusable"),
            (["run", profile, "--state", badStore], "already holds the state of a run"),
            (["run", "--resume", badStore, "--count", "3"], "--count cannot be given"),
        ];
        foreach (var (args, expected) in cases)
        {
            using var run = new FleetSimChild(args);
            var exit = await run.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.True(exit == 104, $"{string.Join(' ', args)}: exit {exit}\n{run.Output}");
            var line = Assert.Single(run.Stderr, l => l.Length > 0);
            Assert.Contains(expected, line, StringComparison.Ordinal);
        }
    }

    private static async Task<JsonNode> LedgerAsync(HttpClient control) => JsonNode.Parse(await control.GetStringAsync(new Uri("ledger", UriKind.Relative)))!;

    private static async Task PostAsync(HttpClient control, string route, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await control.PostAsync(new Uri(route, UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
    }

    private static async Task DeleteFaultsAsync(HttpClient control)
    {
        using var response = await control.DeleteAsync(new Uri("faults", UriKind.Relative));
        response.EnsureSuccessStatusCode();
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> explain)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail(explain());
            }
            await Task.Delay(200);
        }
    }

    private static List<int> ChildrenOf(int parent) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(name => int.TryParse(name, out _))
            .Select(name => int.Parse(name!, CultureInfo.InvariantCulture))
            .Where(pid => StatOf(pid) is { } stat && stat.Parent == parent)];

    /// <summary>Alive = listed and not a zombie (a container's init may be slow to reap).</summary>
    private static bool IsAlive(int pid) => StatOf(pid) is { } stat && stat.State != 'Z';

    private static (char State, int Parent)? StatOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        catch (IOException)
        {
            return null;
        }
    }
}
