using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Rpc;

namespace Simulator.Csms.Tests;

public sealed class FaultTests
{
    /// <summary>
    /// The timed faults (all but the TCP refusal) end on the CSMS's clock, which these tests move past the window: the CALL
    /// or connect that must land inside it does, however late a busy machine runs it.
    /// </summary>
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    [Theory]
    [InlineData(DropMode.Close)]
    [InlineData(DropMode.Abort)]
    public async Task Drop_all_closes_every_connection_and_clients_see_close_or_abort(DropMode mode)
    {
        await using var csms = await Support.StartAsync();
        var clients = new List<TestChargePoint>();
        for (var i = 0; i < 5; i++)
        {
            clients.Add(await TestChargePoint.ConnectAsync(csms.Url, $"CP-{i}"));
        }
        try
        {
            var dropped = await csms.Faults.DropAllAsync(mode);
            Assert.Equal(5, dropped);
            foreach (var client in clients)
            {
                var end = await client.Ended.WaitAsync(TimeSpan.FromSeconds(10));
                if (mode == DropMode.Close)
                {
                    Assert.True(end.ByCloseFrame);
                    Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, end.CloseStatus);
                }
                else
                {
                    Assert.False(end.ByCloseFrame);
                    Assert.IsType<WebSocketException>(end.Error);
                }
            }
            Assert.True(await Support.EventuallyAsync(() => csms.ConnectionCount == 0));
            Assert.All(csms.Registry.Snapshot(), s => Assert.False(s.Connected));
            var counts = csms.Faults.Counts;
            Assert.Equal(5, mode == DropMode.Close ? counts.ConnectionsDroppedClose : counts.ConnectionsDroppedAbort);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Tcp_refusal_refuses_connects_for_the_window_keeps_open_connections_and_then_accepts_again()
    {
        await using var csms = await Support.StartAsync();
        await using var survivor = await TestChargePoint.ConnectAsync(csms.Url, "CP-OLD");
        // The TCP refusal reopens the listener on a real timer: a window long enough for the refused connect and the heartbeat
        // below to land in it on a busy machine.
        var watch = Stopwatch.StartNew();   // before the window opens: no accept can come sooner than its length after
        await csms.Faults.RefuseConnectionsAsync(RefusalMode.Tcp, TimeSpan.FromSeconds(5));
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            var refused = await Assert.ThrowsAsync<SocketException>(() => socket.ConnectAsync(IPAddress.Loopback, csms.Port));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
        await survivor.AskDecodedAsync(new HeartbeatRequest());
        TestChargePoint? late = null;
        while (late is null)
        {
            try
            {
                late = await TestChargePoint.ConnectAsync(csms.Url, "CP-NEW");
            }
            catch (WebSocketException) when (watch.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(100);
            }
        }
        await using (late)
        {
            Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(4.5), $"accepted after {watch.Elapsed}");
            await late.AskDecodedAsync(new HeartbeatRequest());
        }
        Assert.Equal(1, csms.Faults.Counts.TcpRefusalWindows);
    }

    [Fact]
    public async Task Http503_refusal_answers_the_upgrade_with_503_until_the_window_ends()
    {
        var clock = new MovableClock();
        await using var csms = await Support.StartAsync(new CsmsOptions { TimeProvider = clock });
        await csms.Faults.RefuseConnectionsAsync(RefusalMode.Http503, Window);
        var (status, client) = await TestChargePoint.TryConnectAsync(csms.Url, "CP-1", o => o.AddSubProtocol("ocpp1.6"));
        Assert.Null(client);
        Assert.Equal(503, status);
        Assert.Equal(1, csms.GetStats().Refused.Http503);
        clock.Advance(Window);
        await using var after = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        await after.AskDecodedAsync(new HeartbeatRequest());
    }

    [Fact]
    public async Task Delay_holds_every_answer_back_for_the_window()
    {
        await using var csms = await Support.StartAsync();
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        csms.Faults.DelayAnswers(TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(600), TimeSpan.FromSeconds(30));
        var watch = Stopwatch.StartNew();
        await cp.AskDecodedAsync(new HeartbeatRequest());
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(390), $"answered after {watch.Elapsed}");
        Assert.Equal(1, csms.Faults.Counts.AnswersDelayed);
        csms.Faults.Clear();
        await cp.AskDecodedAsync(new HeartbeatRequest());
        Assert.Equal(1, csms.Faults.Counts.AnswersDelayed);
    }

    [Fact]
    public async Task Error_fraction_answers_about_that_fraction_of_calls_with_the_configured_CALLERROR()
    {
        await using var csms = await Support.StartAsync();
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        csms.Faults.InjectCallErrors(0.3, TimeSpan.FromMinutes(5), OcppErrorCode.GenericError, seed: 42);
        const int calls = 400;
        var errors = 0;
        for (var i = 0; i < calls; i++)
        {
            if (await cp.CallAsync(new HeartbeatRequest()) is CallFailed failed)
            {
                Assert.Equal(OcppErrorCode.GenericError, failed.ErrorCode);
                errors++;
            }
        }
        Assert.InRange(errors, 90, 150);
        Assert.Equal(errors, csms.Faults.Counts.ErrorsInjected);
    }

    [Fact]
    public async Task Boots_are_held_Pending_and_accepted_after_the_hold()
    {
        var clock = new MovableClock();
        await using var csms = await Support.StartAsync(new CsmsOptions { TimeProvider = clock });
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        csms.Faults.HoldBoots(BootFaultMode.Pending, 3, Window);
        var boot = new BootNotificationRequest { ChargePointVendor = "Acme", ChargePointModel = "X1" };
        var held = await cp.AskDecodedAsync(boot);
        Assert.Equal((RegistrationStatus.Pending, 3), (held.Status, held.Interval));
        clock.Advance(Window);
        Assert.Equal(RegistrationStatus.Accepted, (await cp.AskDecodedAsync(boot)).Status);
        csms.Faults.HoldBoots(BootFaultMode.Reject, 5, TimeSpan.FromSeconds(30));
        Assert.Equal(RegistrationStatus.Rejected, (await cp.AskDecodedAsync(boot)).Status);
        Assert.Equal((1L, 1L), (csms.Faults.Counts.BootsPending, csms.Faults.Counts.BootsRejected));
    }

    [Fact]
    public async Task Black_hole_reads_but_never_answers_until_the_window_ends()
    {
        var clock = new MovableClock();
        await using var csms = await Support.StartAsync(new CsmsOptions { TimeProvider = clock });
        await using var swallowed = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        csms.Faults.BlackHole(Window);
        await Assert.ThrowsAsync<TimeoutException>(() => swallowed.CallAsync(new HeartbeatRequest(), TimeSpan.FromSeconds(1)));
        Assert.Equal(1, csms.Faults.Counts.CallsBlackholed);
        clock.Advance(Window);
        await using var later = await TestChargePoint.ConnectAsync(csms.Url, "CP-2");
        await later.AskDecodedAsync(new HeartbeatRequest());
    }

    [Fact]
    public async Task Faults_can_be_set_through_the_control_api_and_end_by_themselves()
    {
        var clock = new MovableClock();
        await using var csms = await Support.StartAsync(new CsmsOptions { TimeProvider = clock });
        await using var cp = await TestChargePoint.ConnectAsync(csms.Url, "CP-1");
        var (status, body) = await csms.ControlAsync(HttpMethod.Post, "faults/errors", """{"fraction":1,"seconds":60,"code":"SecurityError"}""");
        Assert.Equal(200, status);
        Assert.Equal(1.0, body.GetProperty("active").GetProperty("errorFraction").GetDouble());
        var failed = Assert.IsType<CallFailed>(await cp.CallAsync(new HeartbeatRequest()));
        Assert.Equal(OcppErrorCode.SecurityError, failed.ErrorCode);
        clock.Advance(TimeSpan.FromSeconds(60));
        await cp.AskDecodedAsync(new HeartbeatRequest());
        var (_, stats) = await csms.ControlAsync(HttpMethod.Get, "stats");
        Assert.Equal(1, stats.GetProperty("faults").GetProperty("errorsInjected").GetInt64());

        var (dropStatus, drop) = await csms.ControlAsync(HttpMethod.Post, "faults/drop", """{"mode":"abort"}""");
        Assert.Equal(200, dropStatus);
        Assert.Equal(1, drop.GetProperty("dropped").GetInt32());
        var end = await cp.Ended.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(end.ByCloseFrame);
    }
}
