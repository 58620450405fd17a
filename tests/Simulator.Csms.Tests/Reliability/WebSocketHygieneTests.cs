using Microsoft.Extensions.Logging;
using System.Text;
using Simulator.Ocpp.V16.Core;

namespace Simulator.Csms.Tests.Reliability;

/// <summary>Broken WebSocket traffic gets the RFC 6455 close code in a close frame (not a TCP reset), and dead peers are found.</summary>
public sealed class WebSocketHygieneTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    public static TheoryData<string, int> Broken => new()
    {
        { "invalid UTF-8 in a text frame", 1007 },
        { "a reserved opcode", 1002 },
        { "an unmasked client frame", 1002 },
        { "a reserved bit set", 1002 },
        { "a continuation frame with no message", 1002 },
        { "a fragmented ping", 1002 },
        { "a binary message", 1003 },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public async Task Broken_traffic_gets_its_close_code_in_a_close_frame_and_the_charge_point_next_door_is_unaffected(string what, int code)
    {
        await using var csms = await Support.StartAsync(new CsmsOptions { ControlPort = null });
        await using var neighbour = await TestChargePoint.ConnectAsync(csms.Url, "CP-GOOD");
        var (status, _, socket) = await RawWebSocket.ConnectAsync(csms.Port, "/ocpp/CP-BAD");
        Assert.Equal(101, status);
        await using (socket)
        {
            var ws = socket!;
            // A valid call first: the connection works until the broken frame.
            await ws.SendTextAsync("""[2,"1","Heartbeat",{}]""");
            Assert.Equal(RawFrame.Text, (await ws.ReceiveAsync(Wait))!.Opcode);
            switch (what)
            {
                case "invalid UTF-8 in a text frame":
                    await ws.SendFrameAsync(RawFrame.Text, (byte[])[.. "[2,\"2\",\"Heartbeat\",{\"x\":\""u8, 0xC3, 0x28, .. "\"}]"u8]);
                    break;
                case "a reserved opcode":
                    await ws.SendFrameAsync(3, "x"u8.ToArray());
                    break;
                case "an unmasked client frame":
                    await ws.SendFrameAsync(RawFrame.Text, """[2,"2","Heartbeat",{}]"""u8.ToArray(), masked: false);
                    break;
                case "a reserved bit set":
                    await ws.SendFrameAsync(RawFrame.Text, """[2,"2","Heartbeat",{}]"""u8.ToArray(), rsv: 2);
                    break;
                case "a continuation frame with no message":
                    await ws.SendFrameAsync(0, "x"u8.ToArray());
                    break;
                case "a fragmented ping":
                    await ws.SendFrameAsync(RawFrame.Ping, "x"u8.ToArray(), fin: false);
                    break;
                default:
                    await ws.SendFrameAsync(RawFrame.Binary, """[2,"2","Heartbeat",{}]"""u8.ToArray());
                    break;
            }
            // More data behind the bad frame: the CSMS must read it away, or closing would reset the connection.
            await ws.SendTextAsync("""[2,"3","Heartbeat",{}]""");
            var close = await ws.ReceiveCloseAsync(Wait);
            Assert.True(close is not null, $"{what}: the connection ended without a close frame");
            Assert.Equal(code, close!.CloseCode);
            Assert.True(await ws.EndedAsync(Wait), $"{what}: the CSMS kept the connection open after its close frame");
        }
        Assert.True(await Support.EventuallyAsync(() => !csms.ConnectedIds.Contains("CP-BAD")));
        await neighbour.AskAsync(new HeartbeatRequest());
        var violations = csms.GetStats().Violations!;
        Assert.Equal(1, code switch
        {
            1007 => violations.InvalidUtf8Closed1007,
            1002 => violations.ProtocolErrorsClosed1002,
            _ => violations.BinaryMessages,
        });
    }

    [Fact]
    public async Task A_message_begun_and_never_finished_is_cut_with_1008_after_the_message_timeout()
    {
        await using var csms = await Support.StartAsync(new CsmsOptions { ControlPort = null, MessageTimeout = TimeSpan.FromSeconds(1) });
        var (_, _, socket) = await RawWebSocket.ConnectAsync(csms.Port, "/ocpp/CP-SLOW");
        await using (socket)
        {
            var ws = socket!;
            var frame = RawWebSocket.Encode(RawFrame.Text, Encoding.UTF8.GetBytes("[2,\"1\",\"DataTransfer\",{\"vendorId\":\"FleetSim\",\"data\":\"" + new string('x', 1000) + "\"}]"));
            await ws.SendRawAsync(frame.AsMemory(0, 40));
            var started = DateTime.UtcNow;
            var close = await ws.ReceiveCloseAsync(Wait);
            Assert.Equal(1008, close!.CloseCode);
            Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.5), Wait);
            Assert.Equal(1, csms.GetStats().Violations!.MessageTimeoutsClosed1008);
        }
    }

    [Fact]
    public async Task A_message_over_the_size_limit_gets_1009_in_a_close_frame()
    {
        await using var csms = await Support.StartAsync(new CsmsOptions { ControlPort = null, MaxMessageBytes = 8 * 1024 });
        var (_, _, socket) = await RawWebSocket.ConnectAsync(csms.Port, "/ocpp/CP-BIG");
        await using (socket)
        {
            var ws = socket!;
            await ws.SendTextAsync("[2,\"1\",\"DataTransfer\",{\"vendorId\":\"FleetSim\",\"data\":\"" + new string('x', 64 * 1024) + "\"}]");
            Assert.Equal(1009, (await ws.ReceiveCloseAsync(Wait))!.CloseCode);
            Assert.True(await ws.EndedAsync(Wait));
        }
    }

    [Fact]
    public async Task Pings_find_a_peer_that_never_answers_and_spare_one_that_does()
    {
        var log = new ListLoggerProvider();
        using var loggerFactory = Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddProvider(log).SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace));
        // Pings every 300 ms, but 3 s for each pong: a busy machine may run the live peer's pong late, never 3 s late.
        await using var csms = await Support.StartAsync(new CsmsOptions
        {
            ControlPort = null, WebSocketPingInterval = TimeSpan.FromMilliseconds(300), WebSocketPingTimeout = TimeSpan.FromSeconds(3), LoggerFactory = loggerFactory,
        });
        await using var alive = await TestChargePoint.ConnectAsync(csms.Url, "CP-ALIVE");
        var (_, _, socket) = await RawWebSocket.ConnectAsync(csms.Port, "/ocpp/CP-MUTE");
        await using (socket)
        {
            // The raw socket reads (sees the pings) but never answers them with a pong.
            Assert.True(await Support.EventuallyAsync(() => csms.ConnectedIds.Contains("CP-MUTE")));
            Assert.True(await socket!.EndedAsync(Wait), "a peer answering no ping was not closed");
            Assert.True(await Support.EventuallyAsync(() => !csms.ConnectedIds.Contains("CP-MUTE")));
        }
        Assert.Contains("CP-ALIVE", csms.ConnectedIds);
        await alive.AskAsync(new HeartbeatRequest());
        Assert.True(csms.GetStats().Violations!.PingTimeouts == 1, string.Join("\n", log.Lines));
    }
}
