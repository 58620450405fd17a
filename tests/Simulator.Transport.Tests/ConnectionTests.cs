using System.Net.WebSockets;
using System.Text;

namespace Simulator.Transport.Tests;

public sealed class ConnectionTests
{
    private static async Task<WebSocketConnection> ConnectAsync(TestServer server, int maxMessageBytes = 64 * 1024)
    {
        var connector = new WebSocketConnector(new ConnectionSettings(new Uri($"ws://127.0.0.1:{server.Port}/ocpp"))
        {
            MaxMessageBytes = maxMessageBytes,
            CloseTimeout = TimeSpan.FromSeconds(5),
        });
        var result = await connector.ConnectAsync(new ConnectionTarget("CP-C"));
        Assert.True(result.IsSuccess, result.ToString());
        return result.Connection;
    }

    [Fact]
    public async Task Abort_ends_the_connection_abruptly_and_OnClosed_fires_once()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions());
        using var connection = await ConnectAsync(server);
        var listener = new RecordingListener();
        connection.Start(listener);
        Assert.True(connection.Send("ping"u8.ToArray()));
        Assert.Equal("ping", await listener.NextTextAsync());

        connection.Abort();
        connection.Abort();
        connection.Dispose();

        var closed = await listener.Closed.Task.WaitAsync(Wait.Long);
        Assert.Equal(CloseOrigin.Aborted, closed.Origin);
        var end = await server.Ended.Task.WaitAsync(Wait.Long);
        Assert.Null(end.Status); // no close frame reached the server
        Assert.NotNull(end.Error);
        Assert.False(connection.Send("late"u8.ToArray()));
        await Task.Delay(200); // give a stray second report time to show up
        Assert.Equal(1, listener.ClosedCount);
    }

    [Fact]
    public async Task Abort_before_Start_is_still_reported_once_when_started()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions());
        var connection = await ConnectAsync(server);
        connection.Abort();
        Assert.False(connection.IsOpen);
        Assert.Equal(CloseOrigin.Aborted, connection.ClosedInfo?.Origin);

        var listener = new RecordingListener();
        connection.Start(listener);

        Assert.Equal(CloseOrigin.Aborted, (await listener.Closed.Task.WaitAsync(Wait.Long)).Origin);
        Assert.Equal(1, listener.ClosedCount);
        Assert.Throws<InvalidOperationException>(() => connection.Start(new RecordingListener()));
    }

    [Fact]
    public async Task A_listener_that_observes_writes_is_told_of_each_message_once_it_is_written_in_order()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions());
        using var connection = await ConnectAsync(server);
        var listener = new WriteObservingListener();
        connection.Start(listener);
        var first = "one"u8.ToArray();
        var second = "two"u8.ToArray();

        Assert.True(connection.Send(first));
        Assert.True(connection.Send(second));
        Assert.Equal("one", await listener.Messages.NextTextAsync());
        Assert.Equal("two", await listener.Messages.NextTextAsync());

        // Both were written (the pump may still be between the write and telling the listener): the same arrays, in the order sent.
        var deadline = DateTime.UtcNow + Wait.Long;
        while (listener.Written.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
        var written = listener.Written.ToArray();
        Assert.Equal(2, written.Length);
        Assert.Equal(first, written[0].Message);
        Assert.Equal(second, written[1].Message);
        Assert.True(written[0].At <= written[1].At);
    }

    private sealed class WriteObservingListener : IConnectionListener, IConnectionWriteObserver
    {
        public RecordingListener Messages { get; } = new();

        public System.Collections.Concurrent.ConcurrentQueue<(byte[] Message, long At)> Written { get; } = new();

        public void OnMessage(byte[] utf8) => Messages.OnMessage(utf8);

        public void OnClosed(ConnectionClosed info) => Messages.OnClosed(info);

        public void OnWritten(ReadOnlySpan<byte> utf8, long timestamp) => Written.Enqueue((utf8.ToArray(), timestamp));
    }

    [Fact]
    public async Task Rented_frames_of_any_size_arrive_intact_while_messages_arrive_and_the_pool_is_busy()
    {
        // Every frame is echoed while later ones are still being sent. Meanwhile another thread keeps renting arrays of the
        // same sizes from the shared pool and scribbling over them: an array given back before its write finished would be
        // handed out and overwritten, and its echo would not match.
        int[] sizes = [20, 300, 4_000, 70_000, 200_000];
        await using var server = await TestServer.StartAsync(new ServerOptions());
        using var connection = await ConnectAsync(server, maxMessageBytes: 1024 * 1024);
        var listener = new RecordingListener();
        connection.Start(listener);

        using var stop = new CancellationTokenSource();
        var scribbler = Task.Factory.StartNew(
            () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    foreach (var size in sizes)
                    {
                        var array = System.Buffers.ArrayPool<byte>.Shared.Rent(size);
                        array.AsSpan().Fill((byte)'#');
                        System.Buffers.ArrayPool<byte>.Shared.Return(array);
                    }
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        const int Rounds = 40;
        var expected = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var size in sizes)
            {
                var text = $"{round}:{size}:" + new string((char)('a' + round % 26), size);
                var array = System.Buffers.ArrayPool<byte>.Shared.Rent(text.Length + 7);
                array.AsSpan().Fill((byte)'!');   // bytes past the frame must not be sent
                var length = Encoding.UTF8.GetBytes(text, array);
                Assert.True(connection.SendRented(new ArraySegment<byte>(array, 0, length)));
                expected.Add(text);
            }
        }

        try
        {
            foreach (var text in expected)
            {
                Assert.Equal(text, await listener.NextTextAsync());
            }
        }
        finally
        {
            await stop.CancelAsync();
            await scribbler.WaitAsync(Wait.Long);
        }
    }

    [Fact]
    public async Task A_rented_frame_is_refused_once_the_connection_has_ended_and_frames_queued_at_an_abort_are_dropped()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions { Session = (ws, s) => s.ReceiveAllAsync(ws, echo: false) });
        var connection = await ConnectAsync(server);
        var listener = new RecordingListener();
        connection.Start(listener);
        for (var i = 0; i < 200; i++)
        {
            // Valid UTF-8: a pooled array may hold another test's bytes, and a text frame the server cannot decode
            // makes it close first, so the send fails before the abort.
            var array = System.Buffers.ArrayPool<byte>.Shared.Rent(20_000);
            array.AsSpan(0, 20_000).Fill((byte)'x');
            connection.SendRented(new ArraySegment<byte>(array, 0, 20_000));
        }

        connection.Abort();
        Assert.Equal(CloseOrigin.Aborted, (await listener.Closed.Task.WaitAsync(Wait.Long)).Origin);
        Assert.False(connection.SendRented(new ArraySegment<byte>(System.Buffers.ArrayPool<byte>.Shared.Rent(10), 0, 10)));
        Assert.Equal(1, listener.ClosedCount);
    }

    [Fact]
    public async Task Sends_from_many_threads_arrive_intact_and_in_per_thread_order()
    {
        const int Threads = 8;
        const int PerThread = 400;
        await using var server = await TestServer.StartAsync(new ServerOptions { Session = (ws, s) => s.ReceiveAllAsync(ws, echo: false) });
        using var connection = await ConnectAsync(server);
        var listener = new RecordingListener();
        connection.Start(listener);

        using var start = new Barrier(Threads);
        var senders = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                for (var i = 0; i < PerThread; i++)
                {
                    // Varying sizes so that frames of different lengths interleave.
                    var payload = $"{t}:{i}:" + new string((char)('a' + t), (i * 37) % 3000);
                    Assert.True(connection.Send(Encoding.UTF8.GetBytes(payload)));
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToArray();
        await Task.WhenAll(senders).WaitAsync(Wait.Long);

        var next = new int[Threads];
        for (var n = 0; n < Threads * PerThread; n++)
        {
            var message = await server.Received.Reader.ReadAsync().AsTask().WaitAsync(Wait.Long);
            var parts = message.Split(':');
            var t = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            var i = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(next[t], i);
            Assert.Equal(new string((char)('a' + t), (i * 37) % 3000), parts[2]);
            next[t]++;
        }

        Assert.All(next, count => Assert.Equal(PerThread, count));
        Assert.False(server.Received.Reader.TryRead(out _));
    }

    [Fact]
    public async Task CloseAsync_sends_what_was_queued_before_the_close_frame()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions { Session = (ws, s) => s.ReceiveAllAsync(ws, echo: false) });
        var connection = await ConnectAsync(server);
        var listener = new RecordingListener();
        connection.Start(listener);
        for (var i = 0; i < 50; i++)
        {
            Assert.True(connection.Send(Encoding.UTF8.GetBytes("m" + i + new string('z', 10_000))));
        }

        await connection.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");

        for (var i = 0; i < 50; i++)
        {
            Assert.StartsWith("m" + i + "z", await server.Received.Reader.ReadAsync().AsTask().WaitAsync(Wait.Long), StringComparison.Ordinal);
        }

        var end = await server.Ended.Task.WaitAsync(Wait.Long);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, end.Status);
        Assert.Equal("bye", end.Description);
        Assert.Equal(CloseOrigin.Local, (await listener.Closed.Task.WaitAsync(Wait.Long)).Origin);
    }

    [Fact]
    public async Task A_close_by_the_server_is_reported_with_its_status_and_description()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions
        {
            Session = async (ws, s) =>
            {
                await ws.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "go away", CancellationToken.None);
                await s.ReceiveAllAsync(ws, echo: false);
            },
        });
        using var connection = await ConnectAsync(server);
        var listener = new RecordingListener();
        connection.Start(listener);

        var closed = await listener.Closed.Task.WaitAsync(Wait.Long);
        Assert.Equal(CloseOrigin.Peer, closed.Origin);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, closed.Status);
        Assert.Equal("go away", closed.Description);

        // The client answered the close: the server saw a completed handshake.
        var end = await server.Ended.Task.WaitAsync(Wait.Long);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, end.Status);
    }

    [Fact]
    public async Task A_message_above_the_maximum_is_refused_with_close_1009_after_the_messages_before_it()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions
        {
            Session = async (ws, s) =>
            {
                await ws.SendAsync(Encoding.UTF8.GetBytes(new string('s', 1000)), WebSocketMessageType.Text, true, CancellationToken.None);
                await ws.SendAsync(Encoding.UTF8.GetBytes(new string('b', 70_000)), WebSocketMessageType.Text, true, CancellationToken.None);
                await s.ReceiveAllAsync(ws, echo: false);
            },
        });
        using var connection = await ConnectAsync(server, maxMessageBytes: 64 * 1024);
        var listener = new RecordingListener();
        connection.Start(listener);

        Assert.Equal(1000, (await listener.NextAsync()).Length);
        var closed = await listener.Closed.Task.WaitAsync(Wait.Long);
        Assert.Equal(CloseOrigin.ProtocolViolation, closed.Origin);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, closed.Status);
        Assert.Contains("65536", closed.Description, StringComparison.Ordinal);
        Assert.Equal(70_000, closed.MessageBytes);   // the rest was read and dropped, so the size is the whole message's
        Assert.Equal(new string('b', ConnectionClosed.MessageHeadLength), Encoding.UTF8.GetString(closed.MessageHead.Span));
        var end = await server.Ended.Task.WaitAsync(Wait.Long);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, end.Status);
        Assert.False(listener.TryTakeExtra(out _));
    }

    [Fact]
    public async Task A_message_of_exactly_the_maximum_is_delivered()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions
        {
            Session = async (ws, s) =>
            {
                await ws.SendAsync(Encoding.UTF8.GetBytes(new string('e', 5000)), WebSocketMessageType.Text, true, CancellationToken.None);
                await s.ReceiveAllAsync(ws, echo: false);
            },
        });
        using var connection = await ConnectAsync(server, maxMessageBytes: 5000);
        var listener = new RecordingListener();
        connection.Start(listener);

        Assert.Equal(5000, (await listener.NextAsync()).Length);
        Assert.True(connection.IsOpen);
    }

    [Fact]
    public async Task A_binary_message_is_dropped_and_reported_and_the_connection_carries_on()
    {
        var binary = new byte[100_000];
        await using var server = await TestServer.StartAsync(new ServerOptions
        {
            Session = async (ws, s) =>
            {
                await ws.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None);
                await ws.SendAsync(binary, WebSocketMessageType.Binary, true, CancellationToken.None);
                await ws.SendAsync("after"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
                await s.ReceiveAllAsync(ws, echo: true);
            },
        });
        using var connection = await ConnectAsync(server, maxMessageBytes: 1024);   // a binary message is never held, whatever its size
        var listener = new RecordingListener();
        connection.Start(listener);

        Assert.Equal("after", await listener.NextTextAsync());
        Assert.Equal([3L, 100_000L], listener.BinaryIgnored.ToArray());
        Assert.True(connection.Send("still here"u8.ToArray()));
        Assert.Equal("still here", await listener.NextTextAsync());
        Assert.True(connection.IsOpen);
    }

    [Fact]
    public async Task A_message_of_1_MiB_is_delivered_whole_with_the_default_maximum()
    {
        var big = Encoding.UTF8.GetBytes(new string('m', 1024 * 1024));
        await using var server = await TestServer.StartAsync(new ServerOptions
        {
            Session = async (ws, s) =>
            {
                // Sent in fragments, as a server streaming a big SendLocalList would.
                for (var offset = 0; offset < big.Length; offset += 100_000)
                {
                    var length = Math.Min(100_000, big.Length - offset);
                    await ws.SendAsync(big.AsMemory(offset, length), WebSocketMessageType.Text, offset + length == big.Length, CancellationToken.None);
                }
                await s.ReceiveAllAsync(ws, echo: false);
            },
        });
        var connector = new WebSocketConnector(new ConnectionSettings(new Uri($"ws://127.0.0.1:{server.Port}/ocpp")));
        Assert.Equal(4 * 1024 * 1024, connector.Settings.MaxMessageBytes);
        var result = await connector.ConnectAsync(new ConnectionTarget("CP-BIG"));
        Assert.True(result.IsSuccess, result.ToString());
        using var connection = result.Connection;
        var listener = new RecordingListener();
        connection.Start(listener);

        Assert.Equal(big, await listener.NextAsync());
        Assert.True(connection.IsOpen);
    }

    [Fact]
    public void Keep_alive_is_off_unless_asked_for() => Assert.Equal(TimeSpan.Zero, new ConnectionSettings(new Uri("ws://127.0.0.1:1/ocpp")).KeepAliveInterval);

    [Theory]
    [InlineData(100, true)]
    [InlineData(0, false)]
    public async Task The_client_sends_keep_alive_frames_only_when_its_connection_asks_for_them(int intervalMs, bool expectFrames)
    {
        var tcp = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        tcp.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)tcp.LocalEndpoint).Port;
            var serverSide = RawServers.AcceptUpgradeAndGoSilentAsync(tcp, "ocpp1.6");
            // The settings' default: no keep-alive; the target (a charge point's WebSocketPingInterval) may ask for one.
            var connector = new WebSocketConnector(new ConnectionSettings(new Uri($"ws://127.0.0.1:{port}/ocpp")));
            var target = new ConnectionTarget("CP-PING") { KeepAliveInterval = TimeSpan.FromMilliseconds(intervalMs) };

            var result = await connector.ConnectAsync(target);
            Assert.True(result.IsSuccess, result.ToString());
            using var connection = result.Connection;
            using var server = await serverSide.WaitAsync(Wait.Long);
            connection.Start(new RecordingListener());

            var received = new byte[256];
            var count = 0;
            // Frames expected: the first one ends the wait (a hang guard only, the pump may run late on a busy machine). None
            // expected: a second at which a 100 ms interval would have sent several.
            using var window = new CancellationTokenSource(expectFrames ? Wait.Long : TimeSpan.FromSeconds(1));
            try
            {
                while (count < received.Length && !(expectFrames && count > 0))
                {
                    var read = await server.ReceiveAsync(received.AsMemory(count), System.Net.Sockets.SocketFlags.None, window.Token);
                    if (read == 0)
                    {
                        break;
                    }
                    count += read;
                }
            }
            catch (OperationCanceledException)
            {
                // the second is over
            }

            if (expectFrames)
            {
                Assert.True(count > 0, "no keep-alive frame at a 100 ms interval");
                Assert.Contains(received[0] & 0x0F, new[] { 0x9, 0xA }); // a ping or an unsolicited pong
            }
            else
            {
                Assert.Equal(0, count);
            }
        }
        finally
        {
            tcp.Stop();
            tcp.Dispose();
        }
    }

    [Fact]
    public async Task A_peer_that_stops_answering_pings_is_dropped_by_the_keep_alive_timeout()
    {
        var tcp = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        tcp.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)tcp.LocalEndpoint).Port;
            var serverSide = RawServers.AcceptUpgradeAndGoSilentAsync(tcp, "ocpp1.6");
            var connector = new WebSocketConnector(new ConnectionSettings(new Uri($"ws://127.0.0.1:{port}/ocpp"))
            {
                KeepAliveInterval = TimeSpan.FromMilliseconds(100),
                KeepAliveTimeout = TimeSpan.FromMilliseconds(200),
            });

            var result = await connector.ConnectAsync(new ConnectionTarget("CP-K"));
            Assert.True(result.IsSuccess, result.ToString());
            using var connection = result.Connection;
            using var silentServer = await serverSide.WaitAsync(Wait.Long);
            var listener = new RecordingListener();
            connection.Start(listener);

            var closed = await listener.Closed.Task.WaitAsync(Wait.Long);
            Assert.Equal(CloseOrigin.NetworkError, closed.Origin);
            Assert.Equal(1, listener.ClosedCount);
        }
        finally
        {
            tcp.Stop();
            tcp.Dispose();
        }
    }

    [Fact]
    public async Task The_server_vanishing_is_a_NetworkError()
    {
        var server = await TestServer.StartAsync(new ServerOptions
        {
            Session = async (ws, s) =>
            {
                // Wait for the client's first message, then drop the connection without a close frame.
                await ws.ReceiveAsync(new byte[64], CancellationToken.None);
                ws.Abort();
            },
        });
        await using (server)
        {
            using var connection = await ConnectAsync(server);
            var listener = new RecordingListener();
            connection.Start(listener);
            Assert.True(connection.Send("trigger"u8.ToArray()));

            var closed = await listener.Closed.Task.WaitAsync(Wait.Long);
            Assert.Equal(CloseOrigin.NetworkError, closed.Origin);
            Assert.NotNull(closed.Error);
        }
    }
}
