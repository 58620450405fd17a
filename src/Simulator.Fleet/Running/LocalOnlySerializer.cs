using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using System.Runtime.Serialization;

namespace Simulator.Fleet.Running;

/// <summary>
/// What a single-node run binds Akka's default serializer name ("json") to. One process without remoting serializes no message
/// (serialize-messages is off), and Akka's own default, a Newtonsoft.Json serializer made at start, loaded that assembly and
/// what it pulls in (about 1 MiB of RSS) for nothing. Should anything ever ask for it, the error names the type.
/// </summary>
public sealed class LocalOnlySerializer : Serializer
{
    /// <summary>Fixed: Akka reserves 0–100; the cluster's MessagePack serializer is 4716.</summary>
    public const int Id = 4717;

    public LocalOnlySerializer(ExtendedActorSystem system) : base(system)
    {
    }

    /// <summary>The constructor Akka calls when the name has settings (the default "json" has).</summary>
    public LocalOnlySerializer(ExtendedActorSystem system, Config config) : base(system)
    {
    }

    public override int Identifier => Id;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj) =>
        throw new SerializationException($"A single-node fleet serializes no message, but {obj?.GetType().FullName ?? "null"} was to be serialized: it would need a cluster's serializer");

    public override object FromBinary(byte[] bytes, Type type) =>
        throw new SerializationException($"A single-node fleet deserializes no message, but {type?.FullName ?? "a message"} was to be deserialized");
}
