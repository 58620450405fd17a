using System.Globalization;
using Simulator.Csms;

namespace Simulator.Cli.Tests.EndToEnd;

/// <summary>
/// A single-node <c>fleetsim run</c> against an external CSMS, with --quiet, does not map the assemblies only other kinds of run
/// use: a mapped assembly costs about its file's size in resident pages whether its code runs or not (these together were
/// 3.6 MiB of a 5,000-charge-point run's RSS, tests/benchmarks/results/2026-12-05-assemblies.txt). <c>fleetsim run</c> is a child process (a fresh runtime) and its
/// <c>/proc/PID/maps</c> is read while its charge points are booted and charging.
/// </summary>
[Collection(CliEndToEndGroup.Name)]
public sealed class AssembliesLoadedTests : IDisposable
{
    /// <summary>What a single-node, quiet run against an external CSMS never needs, and who needs it instead.</summary>
    private static readonly string[] NotMapped =
    [
        "Newtonsoft.Json.dll",                              // Akka's default serializer: only a cluster serializes messages
        "System.Runtime.Serialization.Formatters.dll",      // ... pulled in by Newtonsoft.Json
        "Spectre.Console.dll",                              // the live table on a terminal
        "Spectre.Console.Ansi.dll",
        "Akka.Cluster.dll",                                 // --cluster
        "Simulator.Csms.dll",                               // the embedded CSMS and `fleetsim csms`
        "OpenTelemetry.Exporter.OpenTelemetryProtocol.dll", // --otlp
        "System.Net.Security.dll",                          // wss:// (TLS)
        "System.Net.Http.dll",                              // --csms-control (the external CSMS's ledger), OTLP
    ];

    /// <summary>What every run maps: if these were missing, the maps were not the run's.</summary>
    private static readonly string[] Mapped = ["Akka.dll", "Simulator.Fleet.dll", "Simulator.Transport.dll", "YamlDotNet.dll"];

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("fleetsim-maps-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData("1.6")]
    [InlineData("2.0.1")]
    public async Task A_quiet_run_against_an_external_csms_maps_no_cluster_terminal_csms_tls_or_json_assembly(string version)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;   // /proc/PID/maps
        }
        const int count = 4;
        await using var csms = new CsmsServer(new CsmsOptions { ControlPort = null, HeartbeatInterval = 1 });
        await csms.StartAsync();
        var name = "maps" + version.Replace(".", "", StringComparison.Ordinal);
        var profile = await ShortSessionsProfile.WriteAsync(_dir, name, version, count, TimeSpan.FromSeconds(8), csms.Url);
        using var child = new FleetSimChild("run", profile, "--quiet");

        // Booted, then a while into the sessions: start-up, spawning, connecting and the steady phase's code have all run.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (csms.Registry.Snapshot().Count(s => s.Booted) < count)
        {
            Assert.False(child.HasExited, $"fleetsim exited before its charge points booted:\n{child.Output}");
            Assert.True(DateTime.UtcNow < deadline, $"the charge points did not boot within 60 s:\n{child.Output}");
            await Task.Delay(100);
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        var maps = await File.ReadAllLinesAsync($"/proc/{child.Id.ToString(CultureInfo.InvariantCulture)}/maps");
        var exitCode = await child.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{child.Output}");
        var assemblies = maps.Where(l => l.EndsWith(".dll", StringComparison.Ordinal)).Select(l => Path.GetFileName(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^1])).ToHashSet(StringComparer.Ordinal);
        foreach (var dll in Mapped)
        {
            Assert.True(assemblies.Contains(dll), $"{dll} is not mapped; mapped: {string.Join(", ", assemblies.Order(StringComparer.Ordinal))}");
        }
        var unexpected = NotMapped.Where(assemblies.Contains).ToList();
        Assert.True(unexpected.Count == 0, $"mapped although the run does not use them: {string.Join(", ", unexpected)}");
    }
}
