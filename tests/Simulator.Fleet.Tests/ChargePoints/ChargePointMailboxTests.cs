using Akka.Actor;
using Akka.Dispatch.MessageQueues;
using Simulator.Fleet.ChargePoints;

namespace Simulator.Fleet.Tests.ChargePoints;

public sealed class ChargePointMailboxTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly ActorSystem _system = ActorSystem.Create("mailbox", ChargePointMailbox.Hocon);

    public void Dispose() => _system.Dispose();

    [Fact]
    public async Task Messages_from_many_senders_all_arrive_each_sender_s_in_order_through_the_charge_point_mailbox()
    {
        const int Senders = 4;
        const int PerSender = 5_000;
        var done = new TaskCompletionSource<List<(int Sender, int Sequence)>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queueSeen = new TaskCompletionSource<IMessageQueue?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = _system.ActorOf(Props.Create(() => new Collector(Senders * PerSender, done, queueSeen)).WithMailbox(ChargePointMailbox.Id));

        await Task.WhenAll(Enumerable.Range(0, Senders).Select(sender => Task.Run(() =>
        {
            for (var i = 0; i < PerSender; i++)
            {
                actor.Tell((sender, i));
            }
        })));

        var received = await done.Task.WaitAsync(Patience);
        Assert.IsType<ChargePointMailboxQueue>(await queueSeen.Task);
        Assert.Equal(Senders * PerSender, received.Count);
        foreach (var group in received.GroupBy(r => r.Sender))
        {
            Assert.Equal(Enumerable.Range(0, PerSender), group.Select(r => r.Sequence));
        }
    }

    [Fact]
    public void Clean_up_hands_what_is_left_to_the_dead_letters_in_order()
    {
        var queue = new ChargePointMailboxQueue();
        queue.Enqueue(ActorRefs.Nobody, new Envelope("first", ActorRefs.NoSender));
        queue.Enqueue(ActorRefs.Nobody, new Envelope("second", ActorRefs.NoSender));
        Assert.True(queue.HasMessages);
        Assert.Equal(2, queue.Count);

        var dead = new UnboundedMessageQueue();
        queue.CleanUp(ActorRefs.Nobody, dead);

        Assert.False(queue.HasMessages);
        Assert.True(dead.TryDequeue(out var first));
        Assert.True(dead.TryDequeue(out var second));
        Assert.Equal(["first", "second"], new[] { first.Message, second.Message });
        Assert.False(dead.TryDequeue(out _));
    }

    private sealed class Collector(int expected, TaskCompletionSource<List<(int Sender, int Sequence)>> done, TaskCompletionSource<IMessageQueue?> queueSeen) : UntypedActor
    {
        private readonly List<(int Sender, int Sequence)> _received = [];

        protected override void OnReceive(object message)
        {
            queueSeen.TrySetResult((Context as ActorCell)?.Mailbox?.MessageQueue);
            _received.Add(((int, int))message);
            if (_received.Count == expected)
            {
                done.TrySetResult(_received);
            }
        }
    }
}
