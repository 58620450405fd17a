using System.Net.WebSockets;
using Simulator.Metrics;

namespace Simulator.Cli.Tests.EndToEnd;

/// <summary><c>fleetsim csms --subprotocols</c>: which OCPP versions the one port serves.</summary>
[Collection(CliEndToEndGroup.Name)]
public sealed class CsmsSubprotocolTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_unknown_subprotocol_is_an_argument_error_naming_the_known_ones()
    {
        using var csms = new FleetSimChild("csms", "--port", "0", "--control-port", "0", "--subprotocols", "ocpp2.0.1,ocpp1.5");
        Assert.Equal(ExitCodes.InvalidArguments, await csms.WaitForExitAsync(Patience));
        Assert.Contains(csms.Stderr, line => line.Contains("--subprotocols", StringComparison.Ordinal) && line.Contains("'ocpp1.5'", StringComparison.Ordinal)
            && line.Contains("ocpp2.0.1, ocpp1.6", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_CSMS_serving_only_201_takes_a_201_station_and_refuses_a_16_charge_point()
    {
        using var csms = new FleetSimChild("csms", "--port", "0", "--control-port", "0", "--subprotocols", "ocpp2.0.1");
        var line = await csms.WaitForLineAsync(l => l.StartsWith("CSMS listening on ", StringComparison.Ordinal), Patience);
        Assert.Contains("ocpp2.0.1)", line, StringComparison.Ordinal);
        var listening = line["CSMS listening on ".Length..];
        var url = new Uri(listening[..listening.IndexOf("<chargeBoxId>", StringComparison.Ordinal)] + "CS-1");
        using var timeout = new CancellationTokenSource(Patience);

        using var station = new ClientWebSocket();
        station.Options.AddSubProtocol("ocpp1.6");
        station.Options.AddSubProtocol("ocpp2.0.1");
        await station.ConnectAsync(url, timeout.Token);
        Assert.Equal("ocpp2.0.1", station.SubProtocol);
        await station.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);

        using var chargePoint = new ClientWebSocket();
        chargePoint.Options.AddSubProtocol("ocpp1.6");
        await Assert.ThrowsAsync<WebSocketException>(() => chargePoint.ConnectAsync(url, timeout.Token));
        Assert.Equal(0, await csms.SignalAndWaitAsync("TERM", Patience));
    }
}
