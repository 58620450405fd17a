using System.Net.WebSockets;
using System.Text;

namespace Simulator.Transport.Tests;

/// <summary>
/// A peer that sends faster than the listener handles, or does not read what this side sends, waits in TCP: the connection
/// stops reading until the listener acknowledges or the send queue drains, instead of buffering without bound.
/// </summary>
public sealed class BackPressureTests
{
    private static async Task<WebSocketConnection> ConnectAsync(TestServer server, int? maxUnacknowledged = null, long? maxQueuedBytes = null)
    {
        var connector = new WebSocketConnector(new ConnectionSettings(new Uri($"ws://127.0.0.1:{server.Port}/ocpp"))
        {
            MaxMessageBytes = 1024 * 1024,
            MaxUnacknowledgedMessages = maxUnacknowledged,
            MaxQueuedSendBytes = maxQueuedBytes,
        });
        var result = await connector.ConnectAsync(new ConnectionTarget("CP-B"));
        Assert.True(result.IsSuccess, result.ToString());
        return result.Connection;
    }

    private static Task SendTextAsync(WebSocket webSocket, string text) =>
        webSocket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    [Fact]
    public async Task Without_acknowledgements_only_the_limit_is_delivered_and_each_acknowledgement_lets_one_more_through()
    {
        const int Sent = 200;
        var sentAll = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(new ServerOptions
        {
            Session = async (ws, s) =>
            {
                for (var i = 0; i < Sent; i++)
                {
                    await SendTextAsync(ws, $"m{i}");
                }
                sentAll.TrySetResult();
                await s.ReceiveAllAsync(ws, echo: false);
            },
        });
        using var connection = await ConnectAsync(server, maxUnacknowledged: 4);
        var listener = new RecordingListener();
        connection.Start(listener);

        // 200 small messages fit in the socket buffers: the server is done, and the listener got only the first four.
        await sentAll.Task.WaitAsync(Wait.Long);
        var first = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            first.Add(await listener.NextTextAsync().WaitAsync(Wait.Long));
        }
        Assert.Equal(["m0", "m1", "m2", "m3"], first);
        await Task.Delay(300);
        Assert.False(listener.TryTakeExtra(out _), "a fifth message arrived without an acknowledgement");

        connection.Acknowledge();
        Assert.Equal("m4", await listener.NextTextAsync().WaitAsync(Wait.Long));
        await Task.Delay(300);
        Assert.False(listener.TryTakeExtra(out _), "more than one message per acknowledgement");

        // Acknowledging as they come: everything arrives, in order.
        for (var i = 0; i < 5; i++)
        {
            connection.Acknowledge();
        }
        for (var i = 5; i < Sent; i++)
        {
            Assert.Equal($"m{i}", await listener.NextTextAsync().WaitAsync(Wait.Long));
            connection.Acknowledge();
        }
    }

    [Fact]
    public async Task A_peer_that_does_not_read_stops_this_side_reading_until_the_send_queue_drains()
    {
        var sendNext = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var startReading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(new ServerOptions
        {
            Session = async (ws, s) =>
            {
                await SendTextAsync(ws, "first");
                await sendNext.Task;
                await SendTextAsync(ws, "second");
                await startReading.Task;
                await s.ReceiveAllAsync(ws, echo: false);
            },
        });
        using var connection = await ConnectAsync(server, maxQueuedBytes: 256 * 1024);
        var listener = new RecordingListener();
        connection.Start(listener);
        Assert.Equal("first", await listener.NextTextAsync().WaitAsync(Wait.Long));

        // 32 MB the server does not read: far more than the TCP buffers take, so most of it stays queued here.
        var chunk = Encoding.UTF8.GetBytes(new string('x', 64 * 1024));
        for (var i = 0; i < 512; i++)
        {
            Assert.True(connection.Send(chunk));
        }
        sendNext.TrySetResult();
        await Task.Delay(500);
        Assert.False(listener.TryTakeExtra(out _), "a message was read while the send queue was over its limit");

        startReading.TrySetResult();
        Assert.Equal("second", await listener.NextTextAsync().WaitAsync(Wait.Long));
        Assert.Equal(512, await CountAsync(server, 512));
    }

    private static async Task<int> CountAsync(TestServer server, int expected)
    {
        var count = 0;
        while (count < expected)
        {
            await server.Received.Reader.ReadAsync().AsTask().WaitAsync(Wait.Long);
            count++;
        }
        return count;
    }
}
