using System.Reflection;
using System.Runtime.InteropServices;

namespace Simulator.Metrics;

/// <summary>The FleetSim build that ran: its version and the git commit it was built from ("unknown" outside git).</summary>
public sealed record FleetSimBuild(string Version, string Commit)
{
    public const string Unknown = "unknown";

    /// <summary>
    /// From an assembly's informational version: the .NET SDK appends <c>+COMMIT</c> (SourceRevisionId, which source control
    /// integration sets from <c>git rev-parse HEAD</c>, or <c>-p:SourceRevisionId=...</c>) when the build knows it.
    /// </summary>
    public static FleetSimBuild Of(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return Parse(assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
    }

    public static FleetSimBuild Parse(string? informationalVersion)
    {
        if (string.IsNullOrWhiteSpace(informationalVersion))
        {
            return new FleetSimBuild(Unknown, Unknown);
        }
        var plus = informationalVersion.IndexOf('+', StringComparison.Ordinal);
        return plus < 0
            ? new FleetSimBuild(informationalVersion, Unknown)
            : new FleetSimBuild(informationalVersion[..plus], informationalVersion[(plus + 1)..] is { Length: > 0 } commit ? commit : Unknown);
    }
}

/// <summary>The machine the run's coordinator ran on (in a cluster, the other nodes are not described).</summary>
public sealed record MachineInfo(int ProcessorCount, long MemoryBytes, string Os, string Architecture, string Runtime)
{
    /// <summary>This machine; memory as the runtime sees it (a container's limit when there is one).</summary>
    public static MachineInfo Current() => new(
        Environment.ProcessorCount,
        GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
        RuntimeInformation.OSDescription,
        RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
        RuntimeInformation.FrameworkDescription);
}
