using Akka.Actor;

namespace Simulator.Fleet.ChargePoints;

/// <summary>
/// Props that make their actor with a plain constructor call. <c>Props.Create(() => new T(...))</c> builds an expression tree
/// for every Props and Akka reads its arguments back by reflection, once per spawned charge point; with the ReceiveActors gone
/// too, a run uses System.Linq.Expressions only for Akka's own guardians (0.5 MiB less resident,
/// tests/benchmarks/results/2026-12-05-assemblies.txt).
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
