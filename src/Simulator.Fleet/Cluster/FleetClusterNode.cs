using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Configuration;
using Akka.Event;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Simulator.Fleet.Cluster;

/// <summary>Where a node listens and whom it joins.</summary>
public sealed record ClusterNodeOptions
{
    public required string NodeName { get; init; }

    /// <summary>The address remoting binds to; loopback unless told otherwise.</summary>
    public string Hostname { get; init; } = "127.0.0.1";

    public int Port { get; init; }

    /// <summary>The address other nodes reach this one at, when it differs from <see cref="Hostname"/> (NAT, containers).</summary>
    public string? PublicHostname { get; init; }

    /// <summary>Seed nodes as <c>host:port</c>; the coordinator is its own seed.</summary>
    public required IReadOnlyList<string> Seeds { get; init; }

    public bool IsCoordinator { get; init; }
}

/// <summary>Marker type for the charge-point shard region in the <see cref="IActorRegistry"/>.</summary>
public sealed class ChargePointRegion;

/// <summary>
/// One FleetSim node in a cluster: an actor system built with Akka.Hosting (remoting, clustering, the charge-point shard
/// region, the MessagePack serializer, the node actor). The coordinator and every worker start one.
/// </summary>
public sealed class FleetClusterNode : IAsyncDisposable
{
    public const string SystemName = "fleetsim";
    public const string ChargePointTypeName = "charge-point";
    public const string CoordinatorRole = "coordinator";

    private readonly IHost _host;

    private FleetClusterNode(IHost host, FleetNodeState state)
    {
        _host = host;
        State = state;
        System = host.Services.GetRequiredService<ActorSystem>();
        var registry = host.Services.GetRequiredService<IActorRegistry>();
        ChargePoints = registry.Get<ChargePointRegion>();
        NodeActor = registry.Get<FleetNodeActor>();
    }

    public ActorSystem System { get; }

    /// <summary>The shard region: the same contract as the single-node <see cref="ChargePoints.ChargePointHost"/>.</summary>
    public IActorRef ChargePoints { get; }

    public IActorRef NodeActor { get; }

    public FleetNodeState State { get; }

    public Akka.Cluster.Cluster Cluster => Akka.Cluster.Cluster.Get(System);

    public static async Task<FleetClusterNode> StartAsync(ClusterNodeOptions options, Func<RunAssignment, ChargePoints.SettledMessageFold, AssignmentOutcome> onAssignment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var state = new FleetNodeState(options.NodeName, onAssignment);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddAkka(SystemName, akka => akka.WithFleetCluster(options, state));
        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return new FleetClusterNode(host, state);
    }

    /// <summary>Up members of the cluster right now.</summary>
    public int UpMembers => Cluster.State.Members.Count(m => m.Status == Akka.Cluster.MemberStatus.Up);

    /// <summary>Waits until at least <paramref name="count"/> members are up; false when <paramref name="timeout"/> passed first.</summary>
    public async Task<bool> WaitForMembersAsync(int count, TimeSpan timeout, Action<int>? onChange, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var last = -1;
        while (true)
        {
            var up = UpMembers;
            if (up != last)
            {
                last = up;
                onChange?.Invoke(up);
            }
            if (up >= count)
            {
                return true;
            }
            if (DateTimeOffset.UtcNow >= deadline)
            {
                return false;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits until the shard coordinator knows <paramref name="count"/> shard regions, so that the first charge points are
    /// spread over every node rather than over those whose region registered first.
    /// </summary>
    public async Task<bool> WaitForRegionsAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            try
            {
                var regions = await ChargePoints.Ask<Akka.Cluster.Sharding.CurrentRegions>(Akka.Cluster.Sharding.GetCurrentRegions.Instance, TimeSpan.FromSeconds(3), cancellationToken).ConfigureAwait(false);
                if (regions.Regions.Count >= count)
                {
                    return true;
                }
            }
            catch (AskTimeoutException)
            {
                // The shard coordinator is not up yet.
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
        return false;
    }

    /// <summary>Leaves the cluster (shards hand over) and stops the actor system.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await CoordinatedShutdown.Get(System).Run(CoordinatedShutdown.ClrExitReason.Instance).WaitAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The system is torn down by the host below regardless.
        }
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _host.StopAsync(stop.Token).ConfigureAwait(false);
        _host.Dispose();
        State.Dispose();
    }
}

/// <summary>The Akka.Hosting wiring of a FleetSim cluster node, shared by the CLI and the tests.</summary>
public static class FleetClusterSetup
{
    /// <summary>
    /// What the hosting builders have no option for: the split-brain resolver decides 5 s after the membership settles
    /// (the default 20 s is half a short run); shards are not rebalanced during a run (moving a charge point means a
    /// reconnect and a boot, load nobody asked for) — shards of a node that left are still allocated anew at once.
    /// SIGTERM is the CLI's (a run aborts gracefully on every node and writes its report; a worker leaves after its part):
    /// Akka's own SIGTERM hook would run the coordinated shutdown at once, and the coordinator would leave mid-run.
    /// <see cref="FleetClusterNode.DisposeAsync"/> runs the coordinated shutdown when the command is done.
    /// </summary>
    private static readonly Config Tuning = ConfigurationFactory.ParseString("""
        akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
        akka.cluster.split-brain-resolver.stable-after = 5s
        akka.cluster.sharding.rebalance-interval = 24h
        akka.cluster.shutdown-after-unsuccessful-join-seed-nodes = 60s
        akka.log-dead-letters = off
        akka.log-dead-letters-during-shutdown = off
        """);

    public static AkkaConfigurationBuilder WithFleetSerializer(this AkkaConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithCustomSerializer(FleetMessageSerializer.Name, [typeof(IFleetWireMessage)], system => new FleetMessageSerializer(system));
    }

    public static AkkaConfigurationBuilder WithFleetCluster(this AkkaConfigurationBuilder builder, ClusterNodeOptions options, FleetNodeState state)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(state);
        return builder
            .AddHocon(Tuning, HoconAddMode.Prepend)
            .AddHocon(ChargePoints.ChargePointMailbox.Hocon, HoconAddMode.Append)
            .ConfigureLoggers(loggers =>
            {
                loggers.LogLevel = LogLevel.WarningLevel;
                loggers.ClearLoggers();
                loggers.AddLogger<Logging.ClusterNodeLogger>();
            })
            .WithRemoting(new RemoteOptions
            {
                HostName = options.Hostname,
                Port = options.Port,
                PublicHostName = options.PublicHostname,
                MaxFrameSize = 16 * 1024 * 1024,
                SendBufferSize = 16 * 1024 * 1024,
                ReceiveBufferSize = 16 * 1024 * 1024,
            })
            .WithClustering(new ClusterOptions
            {
                SeedNodes = [.. options.Seeds.Select(seed => $"akka.tcp://{FleetClusterNode.SystemName}@{seed}")],
                Roles = options.IsCoordinator ? [FleetClusterNode.CoordinatorRole] : [],
                SplitBrainResolver = new KeepMajorityOption(),
            })
            .WithShardRegion<ChargePointRegion>(
                FleetClusterNode.ChargePointTypeName,
                state.EntityProps,
                new ChargePointMessageExtractor(ChargePointMessageExtractor.DefaultMaxShards),
                new ShardOptions { StateStoreMode = Akka.Cluster.Sharding.StateStoreMode.DData, RememberEntities = false, ShouldPassivateIdleEntities = false })
            .WithFleetSerializer()
            .WithActors((system, registry) => registry.Register<FleetNodeActor>(system.ActorOf(FleetNodeActor.Props(state, registry.Get<ChargePointRegion>()), FleetNodeActor.Name)));
    }
}
