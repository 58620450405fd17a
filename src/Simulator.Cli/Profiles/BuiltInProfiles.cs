using System.Reflection;

namespace Simulator.Cli.Profiles;

/// <summary>A shipped profile carried inside the tool: its name (<c>smoke</c>), text and the first sentence of its comment.</summary>
internal sealed record BuiltInProfile(string Name, string Text, string Description)
{
    public string FileName => Name + ".yaml";
}

/// <summary>
/// The shipped <c>profiles/*.yaml</c>, embedded in the assembly (<c>profiles/NAME.yaml</c> resources), so an installed
/// <c>fleetsim</c> runs <c>fleetsim run smoke</c> without a checkout.
/// </summary>
internal static class BuiltInProfiles
{
    private const string ResourcePrefix = "profiles/";

    public static IReadOnlyList<BuiltInProfile> All { get; } = Load();

    public static BuiltInProfile? Find(string name) => All.FirstOrDefault(p => p.Name == name);

    /// <summary>" (did you mean 'smoke'?)" for a name close to a built-in's, else "".</summary>
    public static string Suggest(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var best = All
            .Select(p => (p.Name, Distance: YamlWalker.EditDistance(name.ToUpperInvariant(), p.Name.ToUpperInvariant())))
            .Where(c => c.Distance <= Math.Max(2, name.Length / 3) || (name.Length >= 4 && c.Name.StartsWith(name, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(c => c.Distance)
            .Select(c => c.Name)
            .FirstOrDefault();
        return best is null ? "" : $" (did you mean '{best}'?)";
    }

    public static string Names => string.Join(", ", All.Select(p => p.Name));

    /// <summary>The first sentence of the comment a profile opens with (the schema line aside).</summary>
    internal static string DescriptionOf(string text)
    {
        var comment = string.Join(' ', text.Split('\n')
            .Select(l => l.Trim())
            .SkipWhile(l => l.StartsWith("# yaml-language-server:", StringComparison.Ordinal))
            .TakeWhile(l => l.StartsWith('#'))
            .Select(l => l.TrimStart('#').Trim()));
        var end = comment.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? comment.TrimEnd('.') : comment[..end];
    }

    private static List<BuiltInProfile> Load()
    {
        var assembly = typeof(BuiltInProfiles).Assembly;
        var profiles = new List<BuiltInProfile>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            profiles.Add(new BuiltInProfile(resource[ResourcePrefix.Length..^".yaml".Length], text, DescriptionOf(text)));
        }

        // The README's first run first, then by name.
        return [.. profiles.OrderBy(p => p.Name != "smoke").ThenBy(p => p.Name, StringComparer.Ordinal)];
    }
}

/// <summary>
/// The profile a command line names: a file, or (when no such file exists) a built-in profile of that name.
/// </summary>
internal sealed record ProfileSource
{
    private ProfileSource(string argument, string? filePath, BuiltInProfile? builtIn)
    {
        Argument = argument;
        FilePath = filePath;
        BuiltIn = builtIn;
    }

    /// <summary>As the user wrote it.</summary>
    public string Argument { get; }

    /// <summary>The full path of a profile file; null for a built-in.</summary>
    public string? FilePath { get; }

    public BuiltInProfile? BuiltIn { get; }

    /// <summary>A file name for messages and the cluster's assignment (<c>smoke.yaml</c>).</summary>
    public string Name => BuiltIn?.FileName ?? Path.GetFileName(FilePath!);

    /// <summary>How the run names its profile: the file's path, or <c>smoke (built-in)</c>.</summary>
    public string Label => BuiltIn is { } b ? $"{b.Name} (built-in)" : FilePath!;

    /// <summary>An existing file wins; else a built-in of that name; else the file (whose loading then says it is missing).</summary>
    public static ProfileSource Resolve(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        return !File.Exists(argument) && BuiltInProfiles.Find(argument) is { } builtIn
            ? new ProfileSource(argument, null, builtIn)
            : FromFile(argument);
    }

    public static ProfileSource FromFile(string path) => new(path, Path.GetFullPath(path), null);

    public ProfileLoadResult Load()
    {
        if (BuiltIn is { } builtIn)
        {
            return ProfileLoader.LoadText(builtIn.Text, $"built-in {builtIn.FileName}");
        }

        var result = ProfileLoader.LoadFile(FilePath!);
        var bareName = Argument.IndexOfAny(['/', '\\', '.']) < 0;
        return result.IsValid || !bareName || File.Exists(FilePath)
            ? result
            : ProfileLoadResult.Failed([.. result.Errors, new ProfileError(Argument, 0, 0, "",
                $"no built-in profile is called '{Argument}' either{BuiltInProfiles.Suggest(Argument)}; the built-ins are {BuiltInProfiles.Names} (fleetsim profiles)")]);
    }

    public string ReadText() => BuiltIn?.Text ?? File.ReadAllText(FilePath!);
}
