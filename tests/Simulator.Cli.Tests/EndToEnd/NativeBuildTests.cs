using System.Globalization;
using System.Text.Json;
using Simulator.Tests;
using Simulator.Fleet.Tests.StrictCsms;

namespace Simulator.Cli.Tests.EndToEnd;

/// <summary>
/// The ahead-of-time compiled fleetsim (<see cref="NativeFleetSim"/>) does what the JIT build does: everything Akka, the
/// profile loader, the JSON codecs and the reports create by reflection or by name must have survived trimming. These runs go
/// through the paths a trimmed binary breaks first: both OCPP versions' codecs against the strict third-party CSMS (official
/// schemas) including calls it initiates, the resolved profile and the HTML report's charts (native SkiaSharp), and the
/// embedded CSMS started as a second fleetsim process.
/// </summary>
[Collection(CliEndToEndGroup.Name)]
public sealed class NativeBuildTests(NativeFleetSim native) : IClassFixture<NativeFleetSim>, IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("fleetsim-native-run-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task The_native_fleetsim_charges_with_both_versions_against_the_strict_csms_answers_its_calls_and_writes_its_reports()
    {
        await using var strict = await StrictCsmsProcess.StartAsync();
        var profile = Path.Combine(_dir.FullName, "native.yaml");
        await File.WriteAllTextAsync(profile, $"""
            name: native
            duration: 10s
            target:
              url: {strict.Url}
            fleet:
              - name: v16
                ocppVersion: "1.6"
                count: 2
                idPattern: NATIVE16-{"{0}"}
                connectors: 1
                configuration: {"{MeterValueSampleInterval: \"1\"}"}
              - name: v201
                ocppVersion: "2.0.1"
                count: 2
                idPattern: NATIVE201-{"{0}"}
                connectors: 1
            arrival: allAtOnce
            behaviour:
              sessions:
                meanTimeBetweenSessions: 1s
                plugInDuration: {"{uniform: [2s, 3s]}"}
                energyNeed: 1kWh
            """);
        var report = Path.Combine(_dir.FullName, "native.json");
        var html = Path.Combine(_dir.FullName, "native.html");
        using var child = FleetSimChild.Native(native.Executable, "run", profile, "--quiet", "--report", report, "--html", html);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string? booted16 = null, booted201 = null;
        while ((booted16 ??= BootedOf("NATIVE16-")) is null || (booted201 ??= BootedOf("NATIVE201-")) is null)
        {
            Assert.False(child.HasExited, $"the native fleetsim exited before its charge points booted:\n{child.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"no BootNotification from both versions within 30 s:\n{child.Output}\n{strict.StandardError}");
            await Task.Delay(100);
        }
        await Task.Delay(TimeSpan.FromSeconds(1));
        var configuration = await strict.CallAsync(booted16!, "GetConfiguration", new { key = new[] { "HeartbeatInterval" } });
        var trigger = await strict.CallAsync(booted201!, "TriggerMessage", new { requestedMessage = "Heartbeat" });
        var exitCode = await child.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{child.Output}");
        strict.AssertNoViolations();
        Assert.Equal("HeartbeatInterval", configuration.Answer.GetProperty("configurationKey")[0].GetProperty("key").GetString());
        Assert.Equal("Accepted", trigger.Status);
        Assert.Contains(CallsOf("NATIVE16-"), a => a == "StartTransaction");
        Assert.Contains(CallsOf("NATIVE16-"), a => a == "MeterValues");
        Assert.Contains(CallsOf("NATIVE201-"), a => a == "TransactionEvent");

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var root = json.RootElement;
        Assert.Equal(0, root.GetProperty("exitCode").GetInt32());
        Assert.Equal("ocpp201", root.GetProperty("resolvedProfile").GetProperty("types")[1].GetProperty("reconnect").GetProperty("kind").GetString());
        var actions = root.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("action").GetString()).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("StartTransaction", actions);
        Assert.Contains("TransactionEvent", actions);
        var page = await File.ReadAllTextAsync(html);
        Assert.DoesNotContain("Chart not drawn", page, StringComparison.Ordinal);
        Assert.Contains("<svg", page, StringComparison.Ordinal);

        string? BootedOf(string prefix) => strict.Events.FirstOrDefault(e => e.Kind == "answered" && e.Action == "BootNotification"
            && e.ChargeBoxId!.StartsWith(prefix, StringComparison.Ordinal))?.ChargeBoxId;

        IEnumerable<string?> CallsOf(string prefix) =>
            strict.Events.Where(e => e.Kind == "call" && e.ChargeBoxId!.StartsWith(prefix, StringComparison.Ordinal)).Select(e => e.Action);
    }

    [Fact]
    public async Task The_native_fleetsim_starts_the_embedded_csms_as_its_own_process_and_loses_nothing()
    {
        var profile = await ShortSessionsProfile.WriteAsync(_dir, "native-embedded", "1.6", 3, TimeSpan.FromSeconds(8), "embedded", "csms: {separateProcess: true}");
        var report = Path.Combine(_dir.FullName, "embedded.json");
        using var child = FleetSimChild.Native(native.Executable, "run", profile, "--quiet", "--report", report);

        var exitCode = await child.WaitForExitAsync(TimeSpan.FromSeconds(90));

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{child.Output}");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        AssertEveryMessageDelivered(json.RootElement);
    }

    [Fact]
    public async Task Two_native_fleetsims_share_a_fleet_as_a_cluster_and_the_coordinator_accounts_for_every_message()
    {
        var profile = await ShortSessionsProfile.WriteAsync(_dir, "native-cluster", "1.6", 8, TimeSpan.FromSeconds(10), "embedded", topLevel: "");
        var report = Path.Combine(_dir.FullName, "cluster.json");
        var seedPort = ListenPorts.Free().ToString(CultureInfo.InvariantCulture);
        using var coordinator = FleetSimChild.Native(native.Executable, "run", profile, "--cluster", "--port", seedPort, "--min-nodes", "2",
            "--nodes-timeout", "60s", "--quiet", "--report", report);
        using var worker = FleetSimChild.Native(native.Executable, "node", "--seed", $"127.0.0.1:{seedPort}",
            "--port", ListenPorts.Free().ToString(CultureInfo.InvariantCulture), "--linger", "0");

        var exitCode = await coordinator.WaitForExitAsync(TimeSpan.FromSeconds(120));
        var workerExitCode = await worker.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0, $"coordinator exit code {exitCode}:\n{coordinator.Output}\nworker:\n{worker.Output}");
        Assert.True(workerExitCode == 0, $"worker exit code {workerExitCode}:\n{worker.Output}");
        // The worker left when the run was over: Akka.Remote's failed-association warning and error stay out of a run that
        // went as planned (the logger that leaves them out is created by its type name, which the native build must keep).
        Assert.DoesNotContain("[ERROR]", coordinator.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("EndpointDisassociatedException", coordinator.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("[ERROR]", worker.Output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report));
        var nodes = json.RootElement.GetProperty("cluster").GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(2, nodes.Count);
        Assert.All(nodes, n => Assert.True(n.GetProperty("bootNotifications").GetInt64() > 0, $"a node booted no charge point: {n.GetRawText()}"));
        AssertEveryMessageDelivered(json.RootElement);
    }

    private static void AssertEveryMessageDelivered(JsonElement report)
    {
        var loss = report.GetProperty("lossCheck");
        Assert.True(loss.GetProperty("produced").GetInt64() > 0, loss.GetRawText());
        Assert.Equal(loss.GetProperty("produced").GetInt64(), loss.GetProperty("delivered").GetInt64());
        Assert.Equal(0, loss.GetProperty("lost").GetInt64());
    }
}
