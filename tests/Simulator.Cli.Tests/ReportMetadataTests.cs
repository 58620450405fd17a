using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using Simulator.Cli.Commands;
using Simulator.Cli.Profiles;
using Simulator.Cli.Reports;
using Simulator.Fleet.Plan;
using Simulator.Metrics;

namespace Simulator.Cli.Tests;

public class ReportMetadataTests
{
    private const string Key = "00112233445566778899aabbccddeeff";

    private static IReadOnlyList<string> CommandLineOf(params string[] args)
    {
        var root = new RootCommand();
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(CsmsCommand.Create());
        return ReportMetadata.CommandLine(root.Parse(args));
    }

    [Fact]
    public void The_command_line_masks_every_option_named_like_a_secret_and_credentials_in_urls()
    {
        Assert.Equal(
            ["fleetsim", "run", "p.yaml", "--authorization-key", "***", "--target", "ws://***@csms.example:8080/ocpp", "--seed", "3"],
            CommandLineOf("run", "p.yaml", "--authorization-key", Key, "--target", "ws://cp:secret@csms.example:8080/ocpp", "--seed", "3"));
        Assert.Equal(["fleetsim", "run", "p.yaml", "--authorization-key", "***"], CommandLineOf("run", "p.yaml", $"--authorization-key={Key}"));
        Assert.Equal(["fleetsim", "csms", "--control-token", "***", "--port", "0"], CommandLineOf("csms", "--control-token", "tok-123", "--port", "0"));
    }

    [Theory]
    [InlineData("authorizationKey", true)]
    [InlineData("AuthorizationKey", true)]
    [InlineData("--control-token", true)]
    [InlineData("ftpPassword", true)]
    [InlineData("client_secret", true)]
    [InlineData("passwordEncoding", false)]
    [InlineData("clientKeyPattern", false)]
    [InlineData("idTags", false)]
    public void Secret_names_are_those_ending_in_key_password_token_or_secret(string name, bool secret) =>
        Assert.Equal(secret, ReportMetadata.IsSecretName(name));

    [Fact]
    public void A_url_keeps_no_credentials() =>
        Assert.Equal("wss://csms.example/ocpp/", ReportMetadata.WithoutCredentials(new Uri("wss://cp:pw@csms.example/ocpp/")));

    [Theory]
    [MemberData(nameof(ShippedProfilesTests.ProfileFiles), MemberType = typeof(ShippedProfilesTests))]
    public void Every_shipped_profile_resolves_to_data_without_its_secrets(string fileName)
    {
        var loaded = ProfileLoader.LoadFile(Path.Combine(TestProfiles.RepositoryRoot(), "profiles", fileName));
        var plan = loaded.Plan!;
        plan = plan with
        {
            Target = plan.Target with { Security = plan.Target.Security with { AuthorizationKey = Key } },
            Types = [.. plan.Types.Select(t => t with { Configuration = new Dictionary<string, string>(t.Configuration) { ["AuthorizationKey"] = Key } })],
        };

        var resolved = ReportMetadata.ResolvedProfile(plan);

        var text = resolved.GetRawText();
        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        Assert.Equal(plan.Name, resolved.GetProperty("name").GetString());
        Assert.Equal(plan.TotalCount, resolved.GetProperty("totalCount").GetInt32());
        Assert.Equal("***", resolved.GetProperty("target").GetProperty("security").GetProperty("authorizationKey").GetString());
        Assert.Equal(Units.FormatDuration(plan.Duration), resolved.GetProperty("duration").GetString());
        Assert.Equal(plan.Types.Count, resolved.GetProperty("types").GetArrayLength());
    }

    [Fact]
    public void Every_enumeration_the_plan_holds_is_written_by_its_camel_cased_name()
    {
        var enums = EnumerationsReachableFrom(typeof(FleetPlan));

        Assert.Contains(typeof(ReconnectKind), enums);
        foreach (var type in enums)
        {
            var last = Enum.GetValues(type).GetValue(Enum.GetValues(type).Length - 1)!;
            var written = JsonSerializer.Serialize(last, type, ReportMetadata.PlanJson);
            Assert.True(written == $"\"{JsonNamingPolicy.CamelCase.ConvertName(last.ToString()!)}\"", $"{type.Name}.{last} is written as {written}");
        }
    }

    [Fact]
    public void The_build_is_the_informational_version_and_the_commit_after_its_plus()
    {
        Assert.Equal(new FleetSimBuild("1.2.3", "0123abc"), FleetSimBuild.Parse("1.2.3+0123abc"));
        Assert.Equal(new FleetSimBuild("1.2.3", FleetSimBuild.Unknown), FleetSimBuild.Parse("1.2.3"));
        Assert.Equal(new FleetSimBuild(FleetSimBuild.Unknown, FleetSimBuild.Unknown), FleetSimBuild.Parse(null));
    }

    /// <summary>The enumerations among the properties of a type and of every type its properties hold, lists and dictionaries included.</summary>
    private static HashSet<Type> EnumerationsReachableFrom(Type root)
    {
        var enums = new HashSet<Type>();
        var seen = new HashSet<Type>();
        var pending = new Stack<Type>([root]);
        while (pending.TryPop(out var type))
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (!seen.Add(type))
            {
                continue;
            }
            if (type.IsEnum)
            {
                enums.Add(type);
            }
            else if (type.IsGenericType)
            {
                type.GetGenericArguments().ToList().ForEach(pending.Push);
            }
            else if (type.Namespace?.StartsWith("Simulator", StringComparison.Ordinal) == true)
            {
                type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.PropertyType).ToList().ForEach(pending.Push);
            }
        }
        return enums;
    }
}
