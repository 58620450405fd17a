using Akka.Cluster.Sharding;
using Akka.Util;
using Simulator.Fleet.ChargePoints;

namespace Simulator.Fleet.Cluster;

/// <summary>
/// Maps a charge-point command to its entity (the chargeBoxId) and shard (a stable hash of it, the same in every process),
/// and maps an entity id alone to the same shard: Akka.NET 1.5 routes <see cref="ShardRegion.StartEntity"/> (and
/// <see cref="ShardingEnvelope"/>) itself through <see cref="ShardId(string, object?)"/>, so they must not be matched here
/// (analyzer rule AK2001).
/// </summary>
public sealed class ChargePointMessageExtractor(int maxShards) : IMessageExtractor
{
    public const int DefaultMaxShards = 90;

    public string? EntityId(object message) => message switch
    {
        IChargePointCommand command => command.ChargeBoxId,
        _ => null,
    };

    public object EntityMessage(object message) => message;

    public string ShardId(object message) => message switch
    {
        IChargePointCommand command => ShardId(command.ChargeBoxId, message),
        _ => throw new ArgumentException($"not a charge-point message: {message.GetType().FullName}", nameof(message)),
    };

    /// <summary>The shard of an entity id: used for <see cref="ShardRegion.StartEntity"/> and for every message above.</summary>
    public string ShardId(string entityId, object? messageHint = null) => ShardOf(entityId);

    /// <summary><see cref="string.GetHashCode()"/> differs between processes; MurmurHash does not.</summary>
    private string ShardOf(string entityId) => ((uint)MurmurHash.StringHash(entityId) % (uint)maxShards).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
