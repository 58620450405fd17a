using Simulator.Csms;

namespace Simulator.Cli.Tests.EndToEnd;

/// <summary>
/// A run builds the message set of the OCPP versions its charge points speak and no other: <c>fleetsim run</c> as a child
/// process (a fresh runtime, so nothing another test built counts) with the JIT's own list of the methods it compiled
/// (DOTNET_JitDisasmSummary, printed on standard output). A version's set is made by its static class's type initializer
/// (<c>Ocpp201..cctor</c>), which the JIT compiles when, and only when, something asks for the set.
/// </summary>
[Collection(CliEndToEndGroup.Name)]
public sealed class MessageSetsBuiltTests : IDisposable
{
    private const string V16SetBuilt = "Simulator.Ocpp.V16.Ocpp16:.cctor()";
    private const string V201SetBuilt = "Simulator.Ocpp.V201.Ocpp201:.cctor()";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("fleetsim-sets-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData("1.6", V16SetBuilt, V201SetBuilt, "Simulator.Ocpp.V201.Ocpp201JsonContext")]
    [InlineData("2.0.1", V201SetBuilt, V16SetBuilt, "Simulator.Ocpp.V16.Ocpp16JsonContext")]
    public async Task A_run_builds_the_message_set_of_its_version_and_not_the_other_one(string version, string built, string notBuilt, string otherJsonContext)
    {
        await using var csms = new CsmsServer(new CsmsOptions { ControlPort = null, HeartbeatInterval = 1 });
        await csms.StartAsync();

        var output = await RunChildAsync("v" + version.Replace(".", "", StringComparison.Ordinal), version, csms.Url);

        Assert.Contains(built, output, StringComparison.Ordinal);
        Assert.DoesNotContain(notBuilt, output, StringComparison.Ordinal);
        Assert.DoesNotContain(otherJsonContext, output, StringComparison.Ordinal);
        Assert.Equal(3, csms.Registry.Snapshot().Count(s => s.Booted));
    }

    private async Task<string> RunChildAsync(string name, string version, Uri target)
    {
        var profile = await ShortSessionsProfile.WriteAsync(_dir, name, version, count: 3, TimeSpan.FromSeconds(5), target);
        using var child = new FleetSimChild(
            new Dictionary<string, string?> { ["DOTNET_JitDisasmSummary"] = "1", ["DOTNET_JitStdOutFile"] = null },
            "run", profile, "--quiet");
        var exitCode = await child.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var output = child.Output;
        Assert.True(exitCode == 0, $"exit code {exitCode}; output:\n{Tail(output)}");
        // The JIT did print its list: the run's own code is in it.
        Assert.Contains("JIT compiled Simulator.ChargePoint.ChargingStations:", output, StringComparison.Ordinal);
        return output;
    }

    private static string Tail(string output) => output.Length <= 4000 ? output : output[^4000..];
}
