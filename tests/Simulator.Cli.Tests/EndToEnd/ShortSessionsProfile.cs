using System.Globalization;

namespace Simulator.Cli.Tests.EndToEnd;

/// <summary>A profile for a <c>fleetsim run</c> child: a few charge points of one OCPP version, all at once, in short sessions.</summary>
internal static class ShortSessionsProfile
{
    /// <summary>Writes <c>{name}.yaml</c> into <paramref name="directory"/> and returns its path.</summary>
    public static Task<string> WriteAsync(DirectoryInfo directory, string name, string version, int count, TimeSpan duration, Uri target)
        => WriteAsync(directory, name, version, count, duration, target.ToString(), topLevel: "");

    /// <summary>The same against <paramref name="target"/> as the profile writes it (<c>embedded</c>, a URL), with more top-level YAML.</summary>
    public static async Task<string> WriteAsync(DirectoryInfo directory, string name, string version, int count, TimeSpan duration, string target, string topLevel)
    {
        var path = Path.Combine(directory.FullName, $"{name}.yaml");
        await File.WriteAllTextAsync(path, $"""
            name: {name}
            duration: {duration.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s
            target:
              url: {target}
            {topLevel}
            fleet:
              - name: ac
                ocppVersion: "{version}"
                count: {count}
                idPattern: {name}-{"{0}"}
                connectors: 1
            arrival: allAtOnce
            behaviour:
              sessions:
                meanTimeBetweenSessions: 1s
                plugInDuration: {"{uniform: [1s, 2s]}"}
                energyNeed: 1kWh
            """);
        return path;
    }
}
