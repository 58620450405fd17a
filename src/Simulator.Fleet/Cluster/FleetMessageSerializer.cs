using Akka.Actor;
using Akka.Serialization;
using System.Runtime.Serialization;
using MessagePack;
using Simulator.Fleet.ChargePoints;

namespace Simulator.Fleet.Cluster;

/// <summary>
/// Every message that crosses nodes, in MessagePack with <see cref="FleetWireFormat"/>'s formatters (never a typeless or a
/// code-generating resolver): bound to <see cref="IFleetWireMessage"/>, a fixed identifier, one short constant manifest per
/// type, and a throw for any type it does not know — a new message must be added here and to <see cref="FleetWireFormat"/>,
/// which the serializer tests check.
/// </summary>
public sealed class FleetMessageSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    /// <summary>Fixed forever: nodes of one cluster must agree on it. Akka reserves 0–100.</summary>
    public const int Id = 4716;

    /// <summary>The name the serializer is registered under in Akka's configuration.</summary>
    public const string Name = "fleetsim-msgpack";

    private const string StartManifest = "cps";
    private const string StopManifest = "cpx";
    private const string DropManifest = "cpd";
    private const string RebootManifest = "cpr";
    private const string StoppedManifest = "cpz";
    private const string AssignmentManifest = "ra";
    private const string AssignedManifest = "na";
    private const string CollectStatisticsManifest = "cs";
    private const string StatisticsManifest = "ns";
    private const string CollectFinalManifest = "cf";
    private const string FinalManifest = "nf";
    private const string RunOverManifest = "ro";
    private const string UnfoldedManifest = "nu";
    private const string LookupManifest = "ll";
    private const string LookupAnswerManifest = "la";

    /// <summary>What the messages are written and read with: <see cref="FleetWireFormat.Resolver"/> alone, for untrusted data.</summary>
    public static MessagePackSerializerOptions Options { get; } =
        MessagePackSerializerOptions.Standard.WithResolver(FleetWireFormat.Resolver).WithSecurity(MessagePackSecurity.UntrustedData);

    public override int Identifier => Id;

    public override string Manifest(object o) => o switch
    {
        StartChargePoint => StartManifest,
        StopChargePoint => StopManifest,
        DropNetwork => DropManifest,
        RebootChargePoint => RebootManifest,
        ChargePointStopped => StoppedManifest,
        RunAssignment => AssignmentManifest,
        NodeAssigned => AssignedManifest,
        CollectStatistics => CollectStatisticsManifest,
        NodeStatistics => StatisticsManifest,
        CollectFinal => CollectFinalManifest,
        NodeFinal => FinalManifest,
        RunOver => RunOverManifest,
        NodeUnfolded => UnfoldedManifest,
        LedgerLookupRequest => LookupManifest,
        LedgerLookupAnswer => LookupAnswerManifest,
        _ => throw Unknown(o),
    };

    public override byte[] ToBinary(object obj) => obj switch
    {
        StartChargePoint m => MessagePackSerializer.Serialize(m, Options),
        StopChargePoint m => MessagePackSerializer.Serialize(m, Options),
        DropNetwork m => MessagePackSerializer.Serialize(m, Options),
        RebootChargePoint m => MessagePackSerializer.Serialize(m, Options),
        ChargePointStopped m => MessagePackSerializer.Serialize(m, Options),
        RunAssignment m => MessagePackSerializer.Serialize(m, Options),
        NodeAssigned m => MessagePackSerializer.Serialize(m, Options),
        CollectStatistics => [],
        NodeStatistics m => MessagePackSerializer.Serialize(m, Options),
        CollectFinal => [],
        NodeFinal m => MessagePackSerializer.Serialize(m, Options),
        RunOver m => MessagePackSerializer.Serialize(m, Options),
        NodeUnfolded m => MessagePackSerializer.Serialize(m, Options),
        LedgerLookupRequest m => MessagePackSerializer.Serialize(m, Options),
        LedgerLookupAnswer m => MessagePackSerializer.Serialize(m, Options),
        _ => throw Unknown(obj),
    };

    public override object FromBinary(byte[] bytes, string manifest) => manifest switch
    {
        StartManifest => MessagePackSerializer.Deserialize<StartChargePoint>(bytes, Options),
        StopManifest => MessagePackSerializer.Deserialize<StopChargePoint>(bytes, Options),
        DropManifest => MessagePackSerializer.Deserialize<DropNetwork>(bytes, Options),
        RebootManifest => MessagePackSerializer.Deserialize<RebootChargePoint>(bytes, Options),
        StoppedManifest => MessagePackSerializer.Deserialize<ChargePointStopped>(bytes, Options),
        AssignmentManifest => MessagePackSerializer.Deserialize<RunAssignment>(bytes, Options),
        AssignedManifest => MessagePackSerializer.Deserialize<NodeAssigned>(bytes, Options),
        CollectStatisticsManifest => CollectStatistics.Instance,
        StatisticsManifest => MessagePackSerializer.Deserialize<NodeStatistics>(bytes, Options),
        CollectFinalManifest => CollectFinal.Instance,
        FinalManifest => MessagePackSerializer.Deserialize<NodeFinal>(bytes, Options),
        RunOverManifest => MessagePackSerializer.Deserialize<RunOver>(bytes, Options),
        UnfoldedManifest => MessagePackSerializer.Deserialize<NodeUnfolded>(bytes, Options),
        LookupManifest => MessagePackSerializer.Deserialize<LedgerLookupRequest>(bytes, Options),
        LookupAnswerManifest => MessagePackSerializer.Deserialize<LedgerLookupAnswer>(bytes, Options),
        _ => throw new SerializationException($"{nameof(FleetMessageSerializer)} does not know the manifest '{manifest}'"),
    };

    private static SerializationException Unknown(object o)
        => new($"{nameof(FleetMessageSerializer)} cannot serialize {o.GetType().FullName}; add it to the serializer with a manifest of its own");
}
