using System.CommandLine;
using System.Globalization;
using Simulator.Metrics;

namespace Simulator.Cli.Profiles;

/// <summary><c>fleetsim profiles</c> (the built-in profiles, or the profile JSON Schema) and <c>fleetsim init [NAME]</c> (a starter profile).</summary>
internal static class ProfilesCommand
{
    public static Command Create(TextWriter output, TextWriter errors)
    {
        var schema = new Option<bool>("--schema") { Description = "Print the JSON Schema of profiles instead (profiles/profile.schema.json)" };
        var command = new Command("profiles", """
            List the profiles built into fleetsim, with a line on each: run one by its name (fleetsim run smoke), or write
            it to the current directory to edit (fleetsim init smoke).
            """);
        command.Options.Add(schema);
        command.SetAction(parse =>
        {
            if (parse.GetValue(schema))
            {
                output.Write(ProfileSchema.Generate());
                return ExitCodes.Ok;
            }

            List(output);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command CreateInit(TextWriter output, TextWriter errors)
    {
        var name = new Argument<string>("name") { Description = "The built-in profile to start from (fleetsim profiles lists them)", DefaultValueFactory = _ => "smoke" };
        var command = new Command("init", """
            Write a starter profile to the current directory: a copy of a built-in profile (default smoke) as NAME.yaml, and
            profile.schema.json beside it so editors complete and check its fields. Never overwrites a file.

            Example:
              fleetsim init steady-load && fleetsim run steady-load.yaml --count 50
            """);
        command.Arguments.Add(name);
        command.SetAction(parse => Init(parse.GetValue(name)!, Directory.GetCurrentDirectory(), output, errors));
        return command;
    }

    public static void List(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine("Built-in profiles (fleetsim run NAME runs one; fleetsim init NAME writes it here to edit):");
        var width = BuiltInProfiles.All.Select(p => p.Name.Length).DefaultIfEmpty(0).Max();
        foreach (var profile in BuiltInProfiles.All)
        {
            var plan = ProfileLoader.LoadText(profile.Text, profile.FileName).GetPlanOrThrow();
            var size = string.Create(CultureInfo.InvariantCulture, $"{plan.TotalCount:N0} CPs, {Units.FormatDuration(plan.Duration)}");
            output.WriteLine($"  {profile.Name.PadRight(width)}  {size,-17} {profile.Description}");
        }
    }

    /// <summary>Writes <c>NAME.yaml</c> (and <c>profile.schema.json</c> when there is none) to <paramref name="directory"/>; 0, or 104 and why not.</summary>
    public static int Init(string name, string directory, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        if (BuiltInProfiles.Find(name) is not { } profile)
        {
            errors.WriteLine($"init: there is no built-in profile '{name}'{BuiltInProfiles.Suggest(name)}; the built-ins are {BuiltInProfiles.Names}");
            return ExitCodes.InvalidArguments;
        }

        var path = Path.Combine(directory, profile.FileName);
        try
        {
            // CreateNew: an existing file is never overwritten, not even one made between a check and the write.
            using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(profile.Text);
            }
        }
        catch (IOException) when (File.Exists(path))
        {
            errors.WriteLine($"init: {path} already exists; it was left as it is (remove it, or run it: fleetsim run {profile.FileName})");
            return ExitCodes.InvalidArguments;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"init: cannot write {path}: {ex.Message}");
            return ExitCodes.InvalidArguments;
        }

        output.WriteLine($"Wrote {path}: a copy of the built-in profile {profile.Name} ({profile.Description}).");
        var schemaPath = Path.Combine(directory, ProfileSchema.FileName);
        var schema = ProfileSchema.Generate();
        if (!File.Exists(schemaPath))
        {
            File.WriteAllText(schemaPath, schema);
            output.WriteLine($"Wrote {schemaPath}: the JSON Schema its first line names, so editors complete and check the fields.");
        }
        else if (File.ReadAllText(schemaPath) != schema)
        {
            output.WriteLine($"Kept {schemaPath}, which differs from this fleetsim's schema; 'fleetsim profiles --schema > {ProfileSchema.FileName}' refreshes it.");
        }

        output.WriteLine($"Check it with: fleetsim validate {profile.FileName}    Run it with: fleetsim run {profile.FileName}");
        return ExitCodes.Ok;
    }
}
