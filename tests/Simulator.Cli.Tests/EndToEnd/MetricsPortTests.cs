using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Simulator.Cli.Tests.EndToEnd;

public sealed class MetricsPortTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("fleetsim-metrics-port-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task A_metrics_port_already_in_use_exits_104_with_one_line_and_no_stack_trace()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        var profile = Path.Combine(_dir.FullName, "p.yaml");
        await File.WriteAllTextAsync(profile, """
            name: metrics-port
            duration: 2s
            target:
              url: embedded
            fleet:
              - name: ac
                count: 1
                idPattern: MP-{0}
            arrival: allAtOnce
            behaviour: idle
            """);

        using var run = new FleetSimChild("run", profile, "--metrics-port", port, "--quiet");

        Assert.Equal(104, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var line = Assert.Single(run.Stderr, l => l.Contains("already in use", StringComparison.Ordinal));
        Assert.Equal($"--metrics-port {port}: address 127.0.0.1 port {port} is already in use", line);
        Assert.DoesNotContain(run.Stderr, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }
}
