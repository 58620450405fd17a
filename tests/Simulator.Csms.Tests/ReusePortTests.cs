using System.Diagnostics;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Csms.Tests;

/// <summary>Two real CSMS servers listening on one 127.0.0.1 port with SO_REUSEPORT; the kernel spreads the connections.</summary>
public sealed class ReusePortTests
{
    // 64 connections hashed over 2 listeners all land on one with probability 2^-63.
    private const int ConnectionCount = 64;

    [Fact]
    public async Task Two_servers_share_one_port_and_every_connection_is_answered_by_one_of_them()
    {
        if (!OperatingSystem.IsLinux())
        {
            var unsupported = Assert.Throws<PlatformNotSupportedException>(() => new CsmsServer(new CsmsOptions { ReusePort = true }));
            Assert.Contains("Linux", unsupported.Message, StringComparison.Ordinal);
            return;
        }
        await using var first = await Support.StartAsync(new CsmsOptions { ReusePort = true, ControlPort = null });
        await using var second = await Support.StartAsync(new CsmsOptions { ReusePort = true, ControlPort = null, Port = first.Port });
        Assert.Equal(first.Port, second.Port);
        var clients = new List<TestChargePoint>();
        try
        {
            for (var i = 0; i < ConnectionCount; i++)
            {
                var client = await TestChargePoint.ConnectAsync(first.Url, $"CP-{i:00}");
                clients.Add(client);
                var boot = await client.AskDecodedAsync(new BootNotificationRequest { ChargePointVendor = "Acme", ChargePointModel = "X1" });
                Assert.Equal(RegistrationStatus.Accepted, boot.Status);
            }
            Assert.Equal(ConnectionCount, first.ConnectionCount + second.ConnectionCount);
            Assert.True(first.ConnectionCount > 0, $"the first server got none of {ConnectionCount} connections");
            Assert.True(second.ConnectionCount > 0, $"the second server got none of {ConnectionCount} connections");
            Assert.Empty(first.ConnectedIds.Intersect(second.ConnectedIds));
            Assert.Equal(ConnectionCount, first.GetStats().CallsReceived + second.GetStats().CallsReceived);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Without_the_option_on_both_the_second_bind_fails_with_address_in_use(bool firstReusesPort, bool secondReusesPort)
    {
        if ((firstReusesPort || secondReusesPort) && !OperatingSystem.IsLinux())
        {
            return; // the first test checks the error there
        }
        await using var first = await Support.StartAsync(new CsmsOptions { ReusePort = firstReusesPort, ControlPort = null });
        await using var second = new CsmsServer(new CsmsOptions { ReusePort = secondReusesPort, ControlPort = null, Port = first.Port });
        var error = await Assert.ThrowsAnyAsync<IOException>(() => second.StartAsync());
        Assert.IsType<AddressInUseException>(error.InnerException);
    }

    [Fact]
    public async Task Tcp_refusal_on_one_server_sends_new_connections_to_the_other_and_then_it_takes_its_share_again()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the first test checks the error there
        }
        await using var refusing = await Support.StartAsync(new CsmsOptions { ReusePort = true, ControlPort = null });
        await using var other = await Support.StartAsync(new CsmsOptions { ReusePort = true, ControlPort = null, Port = refusing.Port });
        var clients = new List<TestChargePoint>();
        try
        {
            // The 16 connects must all land inside the window; on a busy machine they take seconds.
            var window = TimeSpan.FromSeconds(8);
            await refusing.Faults.RefuseConnectionsAsync(RefusalMode.Tcp, window);
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < 16; i++)
            {
                clients.Add(await TestChargePoint.ConnectAsync(refusing.Url, $"CP-WINDOW-{i:00}"));
            }
            Assert.True(watch.Elapsed < window, $"the 16 connects took {watch.Elapsed}, longer than the refusal window");
            Assert.Equal(0, refusing.ConnectionCount);
            Assert.Equal(16, other.ConnectionCount);

            // After the window the refusing server binds the shared port again (with SO_REUSEPORT) and gets connections.
            await Task.Delay(window - watch.Elapsed + TimeSpan.FromMilliseconds(200));
            for (var i = 0; refusing.ConnectionCount == 0; i++)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(25), $"the refusing server took no connection again within {watch.Elapsed} ({i} connects)");
                try
                {
                    clients.Add(await TestChargePoint.ConnectAsync(refusing.Url, $"CP-AFTER-{i:00}"));
                }
                catch (WebSocketException)
                {
                    // a connect queued on the old listening socket just before it closed is reset; the next one is hashed anew
                }
                await Support.EventuallyAsync(() => refusing.ConnectionCount + other.ConnectionCount == clients.Count, TimeSpan.FromSeconds(2));
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }
}
