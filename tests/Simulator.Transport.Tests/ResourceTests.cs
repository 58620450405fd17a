using System.Net;
using System.Net.Sockets;
using System.Runtime;

namespace Simulator.Transport.Tests;

public sealed class ResourceTests
{
    [Fact]
    public async Task The_connection_can_leave_from_a_chosen_loopback_source_address()
    {
        await using var server = await TestServer.StartAsync(new ServerOptions());
        var connector = new WebSocketConnector(new ConnectionSettings(new Uri($"ws://127.0.0.1:{server.Port}/ocpp")));
        var source = IPAddress.Parse("127.0.0.2");

        var result = await connector.ConnectAsync(new ConnectionTarget("CP-R1") { LocalAddress = source });

        Assert.True(result.IsSuccess, result.ToString());
        using var connection = result.Connection;
        Assert.Equal(source, ((IPEndPoint)connection.LocalEndPoint!).Address);
        Assert.Equal(source, Assert.Single(server.RemoteAddresses));
    }

    [Fact]
    public async Task No_outcome_leaves_a_socket_open()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // counts descriptors through /proc
        }

        // A leaked socket is closed by its finalizer at the next GC and would hide here: hold the GC off while we look.
        var noGc = GC.TryStartNoGCRegion(200L * 1024 * 1024);
        try
        {
            await RunAllOutcomesAndCountAsync();
        }
        finally
        {
            if (noGc && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
            }
        }
    }

    private static async Task RunAllOutcomesAndCountAsync()
    {
        var before = CountSockets();
        await using (var server = await TestServer.StartAsync(new ServerOptions()))
        await using (var rejecting = await TestServer.StartAsync(new ServerOptions { RejectStatus = 401 }))
        {
            var ok = new WebSocketConnector(new ConnectionSettings(new Uri($"ws://127.0.0.1:{server.Port}/ocpp")));
            for (var i = 0; i < 5; i++)
            {
                var closed = await ok.ConnectAsync(new ConnectionTarget("CP-closed-" + i));
                Assert.True(closed.IsSuccess, closed.ToString());
                var listener = new RecordingListener();
                closed.Connection.Start(listener);
                await closed.Connection.CloseAsync();
                await listener.Closed.Task.WaitAsync(Wait.Long);

                var aborted = await ok.ConnectAsync(new ConnectionTarget("CP-aborted-" + i));
                Assert.True(aborted.IsSuccess, aborted.ToString());
                aborted.Connection.Abort();

                var unstarted = await ok.ConnectAsync(new ConnectionTarget("CP-unstarted-" + i));
                Assert.True(unstarted.IsSuccess, unstarted.ToString());
                await unstarted.Connection.CloseAsync();

                var refusedHttp = await new WebSocketConnector(new ConnectionSettings(new Uri($"ws://127.0.0.1:{rejecting.Port}/ocpp")))
                    .ConnectAsync(new ConnectionTarget("CP-401-" + i));
                Assert.Equal(ConnectFailureKind.HttpStatus, refusedHttp.Failure?.Kind);

                var tlsOnPlain = await new WebSocketConnector(new ConnectionSettings(new Uri($"wss://127.0.0.1:{server.Port}/ocpp")))
                    .ConnectAsync(new ConnectionTarget("CP-tls-" + i));
                Assert.Equal(ConnectFailureKind.TlsFailure, tlsOnPlain.Failure?.Kind);
            }

            using (var bound = RawServers.BoundButNotListening(out var port))
            {
                var refused = await new WebSocketConnector(new ConnectionSettings(new Uri($"ws://127.0.0.1:{port}/ocpp")))
                    .ConnectAsync(new ConnectionTarget("CP-refused"));
                Assert.Equal(ConnectFailureKind.Refused, refused.Failure?.Kind);
            }

            var silent = new TcpListener(IPAddress.Loopback, 0);
            silent.Start();
            var silentPort = ((IPEndPoint)silent.LocalEndpoint).Port;
            var accepted = RawServers.AnswerOnceAsync(silent, response: null);
            var timedOut = await new WebSocketConnector(new ConnectionSettings(new Uri($"ws://127.0.0.1:{silentPort}/ocpp"))
            {
                ConnectTimeout = TimeSpan.FromMilliseconds(200),
            }).ConnectAsync(new ConnectionTarget("CP-timeout"));
            Assert.Equal(ConnectFailureKind.Timeout, timedOut.Failure?.Kind);
            (await accepted.WaitAsync(Wait.Long))?.Dispose();
            silent.Stop();
            silent.Dispose();
        }

        // Servers are gone; every client socket must be too. Poll: the kernel side of a close is asynchronous to us, and the
        // disposals run on a thread pool that a busy machine may serve late (the wait ends as soon as the count is back).
        var deadline = DateTime.UtcNow + Wait.Long;
        var after = CountSockets();
        while (after > before && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            after = CountSockets();
        }

        Assert.True(after <= before, $"{after - before} socket(s) left open");
    }

    private static int CountSockets()
    {
        var count = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true)
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // The descriptor closed while we looked.
            }
        }

        return count;
    }
}
