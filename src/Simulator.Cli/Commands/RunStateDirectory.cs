using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Simulator.Cli.Profiles;
using Simulator.Fleet.State;

namespace Simulator.Cli.Commands;

/// <summary>
/// A state directory (<c>fleetsim run --state DIR</c>): <c>fleetsim-state.json</c> says which fleet it belongs to (the profile's
/// path and SHA-256, the seed, the command-line overrides), <c>store/</c> holds the charge points' non-volatile state (LMDB).
/// Nothing secret is stored: the profile's text stays in its file (it may hold an authorizationKey) and an
/// <c>--authorization-key</c> given on the command line must be given again to <c>--resume</c>.
/// </summary>
internal sealed record RunStateManifest
{
    public const string FileName = "fleetsim-state.json";
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public required string ProfilePath { get; init; }
    public required string ProfileSha256 { get; init; }
    public int Seed { get; init; }
    public required ProfileOverrides Overrides { get; init; }
    /// <summary>The run was started with <c>--authorization-key</c> (its value is not stored).</summary>
    public bool AuthorizationKeyGiven { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

internal static class RunStateDirectory
{
    public static string StorePath(string directory) => Path.Combine(directory, "store");

    /// <summary>
    /// Makes <paramref name="directory"/> the state of a new run: it may not exist yet or be empty. Returns the problem, or null.
    /// </summary>
    public static string? Create(string directory, string profilePath, int seed, ProfileOverrides overrides)
    {
        var full = Path.GetFullPath(directory);
        if (File.Exists(Path.Combine(full, RunStateManifest.FileName)))
        {
            return $"--state {directory}: it already holds the state of a run; continue it with --resume {directory}, or give an empty directory";
        }
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            return $"--state {directory}: the directory is not empty";
        }
        try
        {
            Directory.CreateDirectory(full);
            var manifest = new RunStateManifest
            {
                ProfilePath = Path.GetFullPath(profilePath),
                ProfileSha256 = HashOf(profilePath),
                Seed = seed,
                Overrides = overrides with { AuthorizationKey = null },
                AuthorizationKeyGiven = overrides.AuthorizationKey is not null,
                CreatedAt = DateTimeOffset.UtcNow,
            };
            var temporary = Path.Combine(full, RunStateManifest.FileName + ".tmp");
            File.WriteAllText(temporary, JsonSerializer.Serialize(manifest, RunStateJson.Default.RunStateManifest));
            File.Move(temporary, Path.Combine(full, RunStateManifest.FileName));
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return $"--state {directory}: {ex.Message}";
        }
    }

    /// <summary>Reads the manifest of a state to resume and checks the profile is still the one it was made with.</summary>
    public static (RunStateManifest? Manifest, string? Problem) Open(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!Directory.Exists(full))
        {
            return (null, $"--resume {directory}: the directory does not exist");
        }
        var path = Path.Combine(full, RunStateManifest.FileName);
        if (!File.Exists(path))
        {
            return (null, $"--resume {directory}: not a FleetSim state directory ({RunStateManifest.FileName} is missing)");
        }
        RunStateManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize(File.ReadAllText(path), RunStateJson.Default.RunStateManifest);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return (null, $"--resume {directory}: {RunStateManifest.FileName} is corrupt or unreadable ({ex.Message})");
        }
        if (manifest is null || manifest.Format != RunStateManifest.CurrentFormat || string.IsNullOrEmpty(manifest.ProfilePath) || manifest.Overrides is null)
        {
            return (null, $"--resume {directory}: {RunStateManifest.FileName} is corrupt (format {manifest?.Format.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, this FleetSim reads {RunStateManifest.CurrentFormat})");
        }
        if (!File.Exists(manifest.ProfilePath))
        {
            return (null, $"--resume {directory}: the run's profile {manifest.ProfilePath} is gone");
        }
        if (!string.Equals(HashOf(manifest.ProfilePath), manifest.ProfileSha256, StringComparison.OrdinalIgnoreCase))
        {
            return (null, $"--resume {directory}: the profile {manifest.ProfilePath} changed since the run started; the state belongs to the fleet it described");
        }
        return (manifest, null);
    }

    /// <summary>Opens the store of a state directory; <paramref name="resume"/> also reads every saved charge point. Problem: one line.</summary>
    public static (ChargePointStateStore? Store, string? Problem) OpenStore(string directory, bool resume, string option)
    {
        try
        {
            return (ChargePointStateStore.Open(StorePath(Path.GetFullPath(directory)), create: !resume, load: resume), null);
        }
        catch (StateStoreException ex)
        {
            return (null, $"{option} {directory}: the charge points' state is unusable: {ex.Message}");
        }
    }

    private static string HashOf(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RunStateManifest))]
internal sealed partial class RunStateJson : JsonSerializerContext;
