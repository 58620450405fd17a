using Simulator.Cli.Profiles;

namespace Simulator.Cli.Tests;

/// <summary>The shipped profiles inside the tool: <c>fleetsim profiles</c>, <c>fleetsim init</c>, a profile by its name.</summary>
public sealed class BuiltInProfilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleetsim-init-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string ProfilesDirectory => Path.Combine(TestProfiles.RepositoryRoot(), "profiles");

    [Fact]
    public void Every_shipped_profile_is_built_in_as_it_is_in_the_repository()
    {
        var shipped = Directory.GetFiles(ProfilesDirectory, "*.yaml").ToDictionary(f => Path.GetFileNameWithoutExtension(f), File.ReadAllText);

        Assert.Equal(shipped.Keys.Order(StringComparer.Ordinal), BuiltInProfiles.All.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.All(BuiltInProfiles.All, p => Assert.Equal(shipped[p.Name], p.Text));
        Assert.Equal("smoke", BuiltInProfiles.All[0].Name);
    }

    [Fact]
    public void Profiles_lists_each_with_its_size_and_the_first_sentence_of_its_comment()
    {
        var (code, output, errors) = Run("profiles");

        Assert.Equal(0, code);
        Assert.Empty(errors);
        var lines = output.TrimEnd().Split('\n');
        Assert.Equal(BuiltInProfiles.All.Count + 1, lines.Length);
        Assert.Matches(@"^  smoke +20 CPs, 40s +The README's first run: a small fleet charging against the embedded CSMS for 40 seconds$", lines[1]);
        Assert.Contains(lines, l => l.StartsWith("  ramp-10k ", StringComparison.Ordinal) && l.Contains("10,000 CPs, 20m", StringComparison.Ordinal) && l.EndsWith("Ramp to 10,000 charge points in stages, k6 style", StringComparison.Ordinal));
        Assert.Equal(BuiltInProfiles.All.Count, BuiltInProfiles.All.Select(p => p.Description).Distinct().Count());
    }

    [Fact]
    public void Profiles_schema_prints_the_schema()
    {
        var (code, output, _) = Run("profiles", "--schema");

        Assert.Equal(0, code);
        Assert.Equal(ProfileSchema.Generate(), output);
    }

    [Fact]
    public void Init_writes_a_copy_of_the_built_in_and_its_schema_and_says_so()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        Assert.Equal(0, ProfilesCommand.Init("steady-load", _dir, output, errors));

        var written = Path.Combine(_dir, "steady-load.yaml");
        Assert.Equal(BuiltInProfiles.Find("steady-load")!.Text, File.ReadAllText(written));
        Assert.Equal(ProfileSchema.Generate(), File.ReadAllText(Path.Combine(_dir, "profile.schema.json")));
        Assert.Contains($"Wrote {written}: a copy of the built-in profile steady-load", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"Wrote {Path.Combine(_dir, "profile.schema.json")}", output.ToString(), StringComparison.Ordinal);
        Assert.True(ProfileLoader.LoadFile(written).IsValid);
    }

    [Fact]
    public void Init_never_overwrites_a_file()
    {
        var existing = Path.Combine(_dir, "smoke.yaml");
        File.WriteAllText(existing, "mine");
        using var output = new StringWriter();
        using var errors = new StringWriter();

        Assert.Equal(104, ProfilesCommand.Init("smoke", _dir, output, errors));

        Assert.Equal("mine", File.ReadAllText(existing));
        Assert.Contains($"{existing} already exists; it was left as it is", errors.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public void Init_keeps_a_schema_that_is_already_there()
    {
        var schema = Path.Combine(_dir, "profile.schema.json");
        File.WriteAllText(schema, "{}");
        using var output = new StringWriter();
        using var errors = new StringWriter();

        Assert.Equal(0, ProfilesCommand.Init("idle", _dir, output, errors));

        Assert.Equal("{}", File.ReadAllText(schema));
        Assert.Contains("Kept", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Init_of_an_unknown_name_suggests_the_close_one_and_writes_nothing()
    {
        var (code, _, errors) = Run("init", "steady");

        Assert.Equal(104, code);
        Assert.Contains("there is no built-in profile 'steady' (did you mean 'steady-load'?)", errors, StringComparison.Ordinal);
        Assert.Contains("smoke, idle, mixed-fleet, ramp-10k", errors, StringComparison.Ordinal);
        Assert.False(File.Exists("steady.yaml"));
    }

    private static (int Code, string Output, string Errors) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = Program.RunAsync(args, output, errors).GetAwaiter().GetResult();
        return (code, output.ToString(), errors.ToString());
    }
}
