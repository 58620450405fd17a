using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Simulator.Cluster.Tests;

/// <summary>
/// What the multi-process tests share: a scratch directory, the <c>fleetsim</c> processes a test starts (every one killed,
/// by its id, when the harness is disposed, whatever happened), a real CSMS with its control API, and profiles.
/// </summary>
internal sealed class ClusterHarness(ITestOutputHelper output) : IDisposable
{
    private readonly List<FleetSimProcess> _processes = [];

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("fleetsim-cluster-").FullName;

    /// <summary>Every process started so far, in order.</summary>
    public IReadOnlyList<FleetSimProcess> Processes => _processes;

    public FleetSimProcess Start(string name, params string[] arguments) => Start(name, null, arguments);

    /// <summary>A process with these environment variables set on top of this one's.</summary>
    public FleetSimProcess Start(string name, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var process = new FleetSimProcess(name, FleetSimDll, arguments, output, environment);
        _processes.Add(process);
        return process;
    }

    /// <summary>A <c>fleetsim csms</c> process: its OCPP base URL and a client for its control API.</summary>
    public async Task<(Uri Url, HttpClient Control)> StartCsmsAsync()
    {
        var csms = Start("csms", "csms", "--port", "0", "--control-port", "0", "--heartbeat-interval", "60");
        var listening = await csms.WaitForLineAsync(l => l.StartsWith("CSMS listening on ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var controlLine = await csms.WaitForLineAsync(l => l.StartsWith("Control API on ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var tokenLine = await csms.WaitForLineAsync(l => l.StartsWith("Control API token: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        var url = new Uri(listening["CSMS listening on ".Length..].Split("<chargeBoxId>")[0]);
        var control = new HttpClient { BaseAddress = new Uri(controlLine["Control API on ".Length..].Trim()) };
        control.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", tokenLine["Control API token: ".Length..].Trim());
        return (url, control);
    }

    /// <summary>A one-type fleet of <paramref name="fleetSize"/> AC charge points, all arriving at once; <paramref name="behaviour"/> is YAML.</summary>
    public string WriteProfile(string name, int fleetSize, string duration, string behaviour)
    {
        var path = Path.Combine(Directory, name + ".yaml");
        File.WriteAllText(path, $"""
            name: cluster-{name}
            duration: {duration}
            target:
              url: ws://127.0.0.1:1/ocpp
            fleet:
              - name: ac
                count: {fleetSize}
                idPattern: CL-{"{0000}"}
                connectors: 1
                current: ac3
                maxPower: 11kW
                configuration:
                  HeartbeatInterval: "60"
                  MeterValueSampleInterval: "0"
            arrival: allAtOnce

            """ + behaviour);
        return path;
    }

    public static async Task<List<JsonNode>> CsmsChargePointsAsync(HttpClient control)
        => [.. (await control.GetFromJsonNodeAsync("chargepoints"))["chargePoints"]!.AsArray().Select(c => c!)];

    /// <summary>The run's elapsed time on a plain progress line, "[mm:ss] connected ...".</summary>
    public static TimeSpan? ElapsedOf(string line)
        => Regex.Match(line, @"^\[(\d\d):(\d\d)\] connected") is { Success: true } m
            ? TimeSpan.FromSeconds((int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 60) + int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))
            : null;

    /// <summary>Successful calls of <paramref name="action"/> in a JSON report.</summary>
    public static long Count(JsonNode report, string action)
        => report["actions"]!.AsArray().Where(a => a!["action"]!.GetValue<string>() == action).Sum(a => a!["ok"]!.GetValue<long>());

    /// <summary>A port to hand to a node that will listen on it: below the ephemeral range (see <see cref="Simulator.Tests.ListenPorts"/>).</summary>
    public static int FreePort() => Simulator.Tests.ListenPorts.Free();

    /// <summary>The fleetsim.dll built beside this test assembly's configuration (the project reference builds it first).</summary>
    public static string FleetSimDll
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory); // tests/Simulator.Cluster.Tests/bin/<Configuration>/<tfm>/
            var framework = here.Name;
            var configuration = here.Parent!.Name;
            var root = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            var dll = Path.Combine(root, "src", "Simulator.Cli", "bin", configuration, framework, "fleetsim.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("build src/Simulator.Cli first", dll);
        }
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class HttpClientJson
{
    public static async Task<JsonNode> GetFromJsonNodeAsync(this HttpClient client, string path)
        => JsonNode.Parse(await client.GetStringAsync(new Uri(path, UriKind.Relative)))!;
}
