using Akka.Actor;

namespace Simulator.Fleet.ChargePoints;

/// <summary>
/// Props that make their actor with a plain constructor call. <c>Props.Create(() => new T(...))</c> builds an expression tree
/// for every Props, and Akka evaluates its arguments by reflection: a run that spawns thousands of charge points kept
/// System.Linq.Expressions' code resident (2.3 MiB of a 5,000-charge-point fleet's RSS) for nothing else.
/// </summary>
internal sealed class ActorProducer<TActor>(Func<TActor> create) : IIndirectActorProducer where TActor : ActorBase
{
    public Type ActorType => typeof(TActor);

    public ActorBase Produce() => create();

    public void Release(ActorBase actor)
    {
        // Nothing to give back: the actor owns what it made and Akka stops it.
    }

    public static Props Props(Func<TActor> create) => Akka.Actor.Props.CreateBy(new ActorProducer<TActor>(create));
}
