using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Simulator.Cli.Tests.EndToEnd;

/// <summary>A run whose target cannot be reached says so while it runs: attempts per second by result, and a warning.</summary>
[Collection(CliEndToEndGroup.Name)]
public sealed class UnreachableTargetTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("fleetsim-unreachable-");

    public void Dispose() => _dir.Delete(recursive: true);

    private async Task<(int ExitCode, string Output)> RunAsync(string target)
    {
        var profile = Path.Combine(_dir.FullName, "unreachable.yaml");
        await File.WriteAllTextAsync(profile, $"""
            name: unreachable
            duration: 8s
            target:
              url: {target}
            fleet:
              - name: ac
                count: 5
                idPattern: UNR-{"{000}"}
                connectors: 1
            arrival: allAtOnce
            """);
        var output = new StringWriter();
        var before = Console.Out;
        Console.SetOut(output);
        try
        {
            // Not --quiet: the plain lines are what a CI log shows (the test's output is not a terminal).
            var exit = await Program.Main(["run", profile, "--report", Path.Combine(_dir.FullName, "report.json")]);
            return (exit, output.ToString());
        }
        finally
        {
            Console.SetOut(before);
        }
    }

    private static List<string> LiveLines(string output) =>
        [.. output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith('[') && l.Length > 7 && l[6] == ']')];

    [Fact]
    public async Task A_closed_port_shows_refused_attempts_per_second_and_warns_that_nothing_connects()
    {
        // Bound but not listening for the whole run: connects are refused, and no other test's listener can take the port meanwhile.
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)closed.LocalEndPoint!).Port;

        var (_, output) = await RunAsync($"ws://127.0.0.1:{port}/ocpp");

        var lines = LiveLines(output);
        Assert.Contains(lines, l => l.Contains("connected 0/5", StringComparison.Ordinal) && System.Text.RegularExpressions.Regex.IsMatch(l, @"attempts refused \d+(\.\d)?/s"));
        Assert.Contains(lines, l => l.Contains("WARNING: nothing connected for", StringComparison.Ordinal)
            && l.Contains("attempts failed (refused ", StringComparison.Ordinal) && l.Contains("nothing listens", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_port_that_does_not_speak_TLS_shows_tls_not_offered_and_warns_with_the_hint()
    {
        // A plain HTTP server: it answers the TLS hello with "400 Bad Request" in plain text.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var socket = await listener.AcceptSocketAsync(stop.Token);
                await socket.ReceiveAsync(new byte[4096], SocketFlags.None, stop.Token);
                await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), SocketFlags.None, stop.Token);
                socket.Shutdown(SocketShutdown.Both);
            }
        });

        var (_, output) = await RunAsync($"wss://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/ocpp");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => serving);

        var lines = LiveLines(output);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"attempts tls_not_offered \d+(\.\d)?/s"));
        Assert.Contains(lines, l => l.Contains("WARNING: nothing connected for", StringComparison.Ordinal) && l.Contains("the port does not speak TLS", StringComparison.Ordinal));
        Assert.DoesNotContain("InvalidTLSVersion", output, StringComparison.Ordinal);
    }
}
