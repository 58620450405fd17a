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

    [Fact]
    public void An_outbound_message_keeps_its_instants_absent_or_present_through_with_and_equality()
    {
        var local = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.FromHours(2));   // the instant T0, at +02:00
        var unscheduled = new OutboundMessage(new HeartbeatRequest(), false, local, null, 1);
        Assert.Equal(T0, unscheduled.CreatedAt);
        Assert.Equal(TimeSpan.Zero, unscheduled.CreatedAt.Offset);
        Assert.Null(unscheduled.ScheduledFor);

        var request = new HeartbeatRequest();
        var scheduled = new OutboundMessage(request, true, T0, DateTimeOffset.MinValue, 2) { Sequence = 5 };
        Assert.Equal(DateTimeOffset.MinValue, scheduled.ScheduledFor);   // 0 ticks is an instant, not "none"
        var (_, isTransaction, createdAt, scheduledFor, attempt) = scheduled;
        Assert.Equal((true, T0, DateTimeOffset.MinValue, 2), (isTransaction, createdAt, scheduledFor!.Value, attempt));

        var later = scheduled with { ScheduledFor = T0.AddSeconds(1), Sequence = 6 };
        Assert.Equal(T0.AddSeconds(1), later.ScheduledFor);
        Assert.Equal(T0, later.CreatedAt);
        Assert.Null((later with { ScheduledFor = null }).ScheduledFor);
        Assert.Equal(new OutboundMessage(request, true, local, DateTimeOffset.MinValue, 2) { Sequence = 5 }, scheduled);
        Assert.NotEqual(later, scheduled);
    }
}
