using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.RemoteTrigger;
using Simulator.Ocpp.V16.Types;

namespace Simulator.ChargePoint.Tests.Model;

/// <summary>A CSMS that triggers faster than the messages go: the outbox keeps one of each, not one per trigger.</summary>
public class TriggerFloodTests
{
    [Fact]
    public void Triggers_of_a_message_still_waiting_to_go_are_Accepted_and_send_it_once()
    {
        var h = new Harness().Boot();
        h.Sent.Clear();
        for (var i = 0; i < 1000; i++)
        {
            Assert.Equal(TriggerMessageStatus.Accepted, h.Trigger(MessageTrigger.Heartbeat));
            Assert.Equal(TriggerMessageStatus.Accepted, h.Trigger(MessageTrigger.MeterValues, 1));
            Assert.Equal(TriggerMessageStatus.Accepted, h.Trigger(MessageTrigger.MeterValues, 2));
            Assert.Equal(TriggerMessageStatus.Accepted, h.Trigger(MessageTrigger.StatusNotification, 1));
        }
        var sent = h.Pump();
        Assert.Single(sent, m => m.Request is HeartbeatRequest);
        Assert.Equal([1, 2], sent.Select(m => m.Request).OfType<MeterValuesRequest>().Select(m => m.ConnectorId).Order());
        Assert.Single(sent, m => m.Request is StatusNotificationRequest);

        // Taken (queued at the RPC endpoint or in flight) and not yet answered: still one.
        Assert.Equal(TriggerMessageStatus.Accepted, h.Trigger(MessageTrigger.Heartbeat));
        var taken = Assert.Single(h.Take());
        Assert.Equal(TriggerMessageStatus.Accepted, h.Trigger(MessageTrigger.Heartbeat));
        Assert.Empty(h.Take());

        // Once it was answered, the next trigger sends it again.
        h.Model.OnAnswered(taken, new HeartbeatResponse { CurrentTime = DateTimeOffset.UtcNow });
        Assert.Equal(TriggerMessageStatus.Accepted, h.Trigger(MessageTrigger.Heartbeat));
        Assert.Single(h.Pump(), m => m.Request is HeartbeatRequest);
    }
}
