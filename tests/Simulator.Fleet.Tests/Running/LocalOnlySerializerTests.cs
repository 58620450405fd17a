using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Simulator.Fleet.Running;

namespace Simulator.Fleet.Tests.Running;

/// <summary>
/// A single-node run binds Akka's default serializer name to <see cref="LocalOnlySerializer"/> (FleetRunner's config), so Akka
/// makes no Newtonsoft.Json serializer at start. Nothing is serialized in one process; were anything asked to be, the error
/// names the type instead of writing JSON nobody reads.
/// </summary>
public sealed class LocalOnlySerializerTests : IDisposable
{
    private sealed record SomeMessage(string ChargeBoxId);

    private readonly ActorSystem _system = ActorSystem.Create("local-only", ConfigurationFactory.ParseString(
        """akka.actor.serializers.json = "Simulator.Fleet.Running.LocalOnlySerializer, Simulator.Fleet" """));

    public void Dispose() => _system.Dispose();

    [Fact]
    public void The_default_serializer_for_any_object_is_the_local_only_one_and_it_refuses_naming_the_type()
    {
        var serializer = _system.Serialization.FindSerializerFor(new SomeMessage("CP-1"));

        Assert.IsType<LocalOnlySerializer>(serializer);
        var refused = Assert.Throws<SerializationException>(() => serializer.ToBinary(new SomeMessage("CP-1")));
        Assert.Contains(typeof(SomeMessage).FullName!, refused.Message, StringComparison.Ordinal);
        var notRead = Assert.Throws<SerializationException>(() => serializer.FromBinary<SomeMessage>([1, 2, 3]));
        Assert.Contains(typeof(SomeMessage).FullName!, notRead.Message, StringComparison.Ordinal);
    }
}
