using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace Simulator.Fleet.ChargePoints;

/// <summary>
/// The charge-point actors' mailbox: unbounded, many senders, one reader, like Akka's default, but a plain queue under a lock.
/// The default (a ConcurrentQueue) holds a 32-slot segment per actor from the start, about 1 KB for each of thousands of
/// charge points that mostly wait; this one holds a few envelopes' worth after the busiest moment so far (boot). A charge
/// point gets a message at a time from its socket, its timer or the coordinator, so the lock is not contended.
/// </summary>
public sealed class ChargePointMailbox : MailboxType, IProducesMessageQueue<ChargePointMailboxQueue>
{
    /// <summary>The mailbox's id in the actor system's configuration (see <see cref="Hocon"/>).</summary>
    public const string Id = "fleetsim-charge-point-mailbox";

    /// <summary>What an actor system that hosts charge points needs in its configuration (a fallback is enough).</summary>
    public static Config Hocon { get; } = ConfigurationFactory.ParseString(
        $"{Id}.mailbox-type = \"{typeof(ChargePointMailbox).FullName}, {typeof(ChargePointMailbox).Assembly.GetName().Name}\"");

    public ChargePointMailbox(Settings settings, Config config)
        : base(settings, config)
    {
    }

    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new ChargePointMailboxQueue();
}

/// <summary>The queue of <see cref="ChargePointMailbox"/>.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Akka names its queues so")]
public sealed class ChargePointMailboxQueue : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private readonly Queue<Envelope> _queue = new();

    public bool HasMessages
    {
        get
        {
            lock (_queue)
            {
                return _queue.Count > 0;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_queue)
            {
                return _queue.Count;
            }
        }
    }

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        lock (_queue)
        {
            _queue.Enqueue(envelope);
        }
    }

    public bool TryDequeue(out Envelope envelope)
    {
        lock (_queue)
        {
            return _queue.TryDequeue(out envelope);
        }
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        ArgumentNullException.ThrowIfNull(deadletters);
        while (TryDequeue(out var envelope))
        {
            deadletters.Enqueue(owner, envelope);
        }
    }
}
