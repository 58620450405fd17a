using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Simulator.Cli.Tests.EndToEnd;

/// <summary>
/// The fleetsim the Docker image ships: compiled ahead of time, one native executable. tests/run-all.sh publishes it with the
/// Dockerfile's own build steps (dashboards/check-dockerfile.sh) and names it in <see cref="Variable"/>; without that variable
/// this fixture publishes it once itself (a few minutes), so the native tests never skip.
/// </summary>
public sealed class NativeFleetSim : IAsyncLifetime
{
    public const string Variable = "FLEETSIM_NATIVE";

    private DirectoryInfo? _published;

    public string Executable { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(given))
        {
            Assert.True(File.Exists(given), $"{Variable}={given}: no such file (tests/run-all.sh sets it to the Dockerfile check's native fleetsim)");
            Executable = given;
            return;
        }
        _published = Directory.CreateTempSubdirectory("fleetsim-native-");
        var rid = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "linux-arm64" : "linux-x64";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var word in new[] { "publish", Path.Combine(TestProfiles.RepositoryRoot(), "src", "Simulator.Cli"), "-c", "Release", "-r", rid,
                     "-p:PublishAot=true", "-o", _published.FullName, "-nologo", "-v", "q" })
        {
            start.ArgumentList.Add(word);
        }
        using var publish = Process.Start(start)!;
        var output = publish.StandardOutput.ReadToEndAsync();
        var errors = publish.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        await publish.WaitForExitAsync(timeout.Token);
        Executable = Path.Combine(_published.FullName, "fleetsim");
        Assert.True(publish.ExitCode == 0 && File.Exists(Executable), $"dotnet publish -p:PublishAot=true failed ({publish.ExitCode}):\n{await output}\n{await errors}");
    }

    public Task DisposeAsync()
    {
        _published?.Delete(recursive: true);
        return Task.CompletedTask;
    }
}
