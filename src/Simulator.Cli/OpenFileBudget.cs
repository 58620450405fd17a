using System.Globalization;

namespace Simulator.Cli;

/// <summary>
/// How many connections a process can hold: every socket is a file descriptor, and a process that runs out of them fails
/// in ways that name neither the cause nor the charge point (connects fail, Akka remoting drops, the runtime aborts).
/// FleetSim checks before it starts instead.
/// </summary>
internal static class OpenFileBudget
{
    /// <summary>Descriptors a node holds besides its connections: runtime, Kestrel, Akka remoting, logs (about 250 measured).</summary>
    public const int Reserve = 500;

    /// <summary>This process's open-file limit (<c>ulimit -n</c>, as the runtime raised it at start), or null where it cannot be read.</summary>
    public static int? ProcessLimit() => Csms.OpenFileLimit.Soft();

    /// <summary>Why <paramref name="connections"/> do not fit under <paramref name="limit"/> with the reserve, or null when they do (or the limit is unknown).</summary>
    public static string? Check(int connections, int? limit, string what)
        => limit is { } l && connections + Reserve > l
            ? string.Create(CultureInfo.InvariantCulture, $"{what}: about {connections + Reserve:N0} open files needed ({connections:N0} connections and {Reserve:N0} for the runtime), but this process may hold {l:N0} (ulimit -n)")
            : null;

    /// <summary>
    /// The charge points one of <paramref name="nodes"/> nodes may get: Cluster Sharding spreads shards, not charge points,
    /// so allow 2 % more than an even share (0.8 % measured at 57,000 over 3 nodes).
    /// </summary>
    public static int ShareOfNode(int fleetSize, int nodes) => nodes <= 1 ? fleetSize : (int)Math.Ceiling(fleetSize / (double)nodes * 1.02);
}
