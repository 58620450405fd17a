using Simulator.Cli.Profiles;
using Simulator.Fleet.Plan;

namespace Simulator.Cli.Tests;

internal static class TestProfiles
{
    public const string File = "profiles/test.yaml";

    public static ProfileLoadResult Load(string yaml) => ProfileLoader.LoadText(yaml, File);

    public static FleetPlan LoadValid(string yaml)
    {
        var result = Load(yaml);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        return result.Plan!;
    }

    /// <summary>The single error the profile has (fails listing all errors otherwise).</summary>
    public static ProfileError SingleError(string yaml)
    {
        var result = Load(yaml);
        Assert.False(result.IsValid);
        Assert.True(result.Errors.Count == 1, "expected one error, got:" + Environment.NewLine + string.Join(Environment.NewLine, result.Errors));
        return result.Errors[0];
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Simulator.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Simulator.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A minimal valid profile with <paramref name="extra"/> appended (top-level YAML).</summary>
    public static string Minimal(string fleet = DefaultFleet, string target = "target:\n  url: embedded\n", string extra = "")
        => "name: t\nduration: 2m\n" + target + fleet + extra;

    public const string DefaultFleet = "fleet:\n  - name: ac\n    count: 10\n    idPattern: CP-{0000}\n";
}
