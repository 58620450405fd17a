using Simulator.ChargePoint.Station;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using static Simulator.ChargePoint.Tests.Station.Samples;

namespace Simulator.ChargePoint.Tests.Station;

public class OutboxTests
{
    private static OutboundMessage Message(IOcppRequest request) => new(request, false, T0, null, 1);

    [Fact]
    public void Once_accepted_messages_go_in_creation_order()
    {
        var outbox = new Outbox();
        Assert.Null(outbox.FirstOrder);
        outbox.Add(3, Message(new HeartbeatRequest()), OutboxFlags.None);
        outbox.Add(4, Message(Status(1)), OutboxFlags.Triggered);
        outbox.Add(5, Message(Status(2)), OutboxFlags.None);
        Assert.Equal(3, outbox.FirstOrder);

        var taken = new List<IOcppRequest>();
        while (outbox.TryTake(Registration.Accepted, out var message, out _))
        {
            taken.Add(message.Request);
        }
        Assert.IsType<HeartbeatRequest>(taken[0]);
        Assert.Equal([1, 2], taken.Skip(1).Cast<StatusNotificationRequest>().Select(s => s.ConnectorId));
        Assert.Equal(0, outbox.Count);
    }

    [Fact]
    public void Before_acceptance_only_the_boot_goes_and_while_Pending_what_the_CSMS_asked_for_the_rest_keeps_its_order()
    {
        var outbox = new Outbox();
        outbox.Add(1, Message(new HeartbeatRequest()), OutboxFlags.None);
        outbox.Add(2, Message(Status(1)), OutboxFlags.Triggered);
        outbox.Add(3, Message(Status(2)), OutboxFlags.Requested);
        outbox.Add(4, Message(Boot()), OutboxFlags.Boot);
        Assert.True(outbox.HoldsBoot);

        Assert.True(outbox.TryTake(Registration.None, out var first, out var flags));
        Assert.IsType<BootNotificationRequest>(first.Request);
        Assert.Equal(OutboxFlags.Boot, flags);
        Assert.False(outbox.HoldsBoot);
        Assert.False(outbox.TryTake(Registration.None, out _, out _));
        Assert.False(outbox.TryTake(Registration.Rejected, out _, out _));

        Assert.True(outbox.TryTake(Registration.Pending, out var triggered, out flags));
        Assert.Equal(1, Assert.IsType<StatusNotificationRequest>(triggered.Request).ConnectorId);
        Assert.Equal(OutboxFlags.Triggered, flags);
        Assert.True(outbox.TryTake(Registration.Pending, out var requested, out flags));
        Assert.Equal(2, Assert.IsType<StatusNotificationRequest>(requested.Request).ConnectorId);
        Assert.Equal(OutboxFlags.Requested, flags);
        Assert.False(outbox.TryTake(Registration.Pending, out _, out _));

        Assert.Equal(1, outbox.FirstOrder);   // the held heartbeat waits for Accepted
        Assert.True(outbox.TryTake(Registration.Accepted, out var held, out _));
        Assert.IsType<HeartbeatRequest>(held.Request);
    }

    [Fact]
    public void Holds_finds_only_asked_for_messages_that_the_comparison_calls_the_same()
    {
        var outbox = new Outbox();
        static bool SameConnector(IOcppRequest a, IOcppRequest b) =>
            a is StatusNotificationRequest x && b is StatusNotificationRequest y && x.ConnectorId == y.ConnectorId;
        Assert.False(outbox.Holds(Status(1), SameConnector));
        outbox.Add(1, Message(Status(1)), OutboxFlags.None);
        Assert.False(outbox.Holds(Status(1), SameConnector));   // the station's own report, not asked for
        outbox.Add(2, Message(Status(2)), OutboxFlags.Triggered);
        Assert.True(outbox.Holds(Status(2), SameConnector));
        Assert.False(outbox.Holds(Status(3), SameConnector));
        outbox.Clear();
        Assert.False(outbox.Holds(Status(2), SameConnector));
        Assert.Equal(0, outbox.Count);
    }
}
