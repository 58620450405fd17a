using Akka.Actor;

namespace Simulator.Fleet.ChargePoints;

/// <summary>
/// The single-node home of charge-point actors: routes each command to the child named by its chargeBoxId, creating it on
/// <see cref="StartChargePoint"/> — the same contract a shard region offers, so the coordinator does not know which it talks to.
/// </summary>
public sealed class ChargePointHost(FleetEnvironment environment) : UntypedActor
{
    private int _created;

    // UntypedActor's switch rather than ReceiveActor's Receive<T>: a ReceiveActor compiles its handlers with
    // System.Linq.Expressions when it starts, code a single-node run has no other use for.
    protected override void OnReceive(object message)
    {
        if (message is not IChargePointCommand command)
        {
            Unhandled(message);
            return;
        }
        var name = Uri.EscapeDataString(command.ChargeBoxId);
        var child = Context.Child(name);
        if (child.IsNobody())
        {
            if (command is StopChargePoint)
            {
                Sender.Tell(new ChargePointStopped(command.ChargeBoxId, [], 0));
                return;
            }
            if (command is not StartChargePoint || environment.Catalog.Find(command.ChargeBoxId) is not { } member)
            {
                return;
            }
            child = Context.ActorOf(ChargePointActor.Props(environment, member), name);
            if (++_created == environment.Catalog.Members.Count)
            {
                Running.BootTimeline.Current?.Mark("allSpawned");
            }
        }
        child.Forward(command);
    }

    /// <summary>Charge points are isolated: one failing never takes the others down, and is not restarted behind the run's back.</summary>
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    public static Props Props(FleetEnvironment environment) => ActorProducer<ChargePointHost>.Props(() => new ChargePointHost(environment));
}
