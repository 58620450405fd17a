using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Simulator.Metrics;

namespace Simulator.Cli.Tests.EndToEnd;

/// <summary><c>fleetsim csms --hold-ms/--hold-actions/--stamps</c>: a CSMS of known latency that stamps what it receives and sends.</summary>
[Collection(CliEndToEndGroup.Name)]
public sealed class CsmsHoldTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("csms-hold-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_held_answer_comes_after_the_hold_and_both_ends_are_stamped()
    {
        var stamps = Path.Combine(_directory, "stamps.csv");
        using var csms = new FleetSimChild("csms", "--port", "0", "--control-port", "0", "--hold-ms", "300", "--stamps", stamps, "--inline-io");
        var line = await csms.WaitForLineAsync(l => l.StartsWith("CSMS listening on ", StringComparison.Ordinal), Patience);
        Assert.Contains(csms.Stdout, l => l.StartsWith("Answers held 300 ms after their CALL arrived (every action; hold thread: ", StringComparison.Ordinal));
        var listening = line["CSMS listening on ".Length..];
        using var timeout = new CancellationTokenSource(Patience);
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        await socket.ConnectAsync(new Uri(listening[..listening.IndexOf("<chargeBoxId>", StringComparison.Ordinal)] + "CP-1"), timeout.Token);

        var watch = Stopwatch.StartNew();
        await socket.SendAsync(Encoding.UTF8.GetBytes("""[2,"b-1","BootNotification",{"chargePointVendor":"V","chargePointModel":"M"}]"""), WebSocketMessageType.Text, true, timeout.Token);
        var buffer = new byte[4096];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(300), $"answered after {watch.Elapsed.TotalMilliseconds} ms");
        Assert.StartsWith("""[3,"b-1",""", Encoding.UTF8.GetString(buffer, 0, received.Count), StringComparison.Ordinal);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        Assert.Equal(0, await csms.SignalAndWaitAsync("TERM", Patience));

        var all = File.ReadAllLines(stamps).Select(l => l.Split(',')).ToList();
        // Besides the calls and answers: the CSMS process's GC totals (and its pauses, allocation ticks), for the attribution.
        Assert.Contains(all, l => l[0] == "gc_total");
        var lines = all.Where(l => l[0] is "in" or "out").ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal(["in", "CP-1", "b-1"], lines[0][..3]);
        Assert.Equal(["out", "CP-1", "b-1"], lines[1][..3]);
        Assert.True(long.Parse(lines[1][3], System.Globalization.CultureInfo.InvariantCulture) - long.Parse(lines[0][3], System.Globalization.CultureInfo.InvariantCulture) >= 300_000_000);
    }

    [Theory]
    [InlineData("--hold-ms", "60001", "60001")]
    [InlineData("--hold-ms", "-5", "-5")]
    [InlineData("--hold-actions", "MeterValue", "'MeterValue'")]
    [InlineData("--stamps", "missing/stamps.csv", "missing")]
    public async Task A_bad_value_is_an_argument_error_naming_the_option(string option, string value, string named)
    {
        var arguments = new List<string> { "csms", "--port", "0", "--control-port", "0" };
        if (option != "--hold-ms")
        {
            arguments.AddRange(["--hold-ms", "50"]);
        }
        arguments.AddRange([option, option == "--stamps" ? Path.Combine(_directory, value) : value]);
        using var csms = new FleetSimChild([.. arguments]);
        Assert.Equal(ExitCodes.InvalidArguments, await csms.WaitForExitAsync(Patience));
        var error = Assert.Single(csms.Stderr, l => l.StartsWith(option + ":", StringComparison.Ordinal));
        Assert.Contains(named, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hold_actions_without_a_hold_is_an_argument_error()
    {
        using var csms = new FleetSimChild("csms", "--port", "0", "--control-port", "0", "--hold-actions", "MeterValues");
        Assert.Equal(ExitCodes.InvalidArguments, await csms.WaitForExitAsync(Patience));
        Assert.Contains(csms.Stderr, l => l.StartsWith("--hold-actions: needs --hold-ms", StringComparison.Ordinal));
    }
}
