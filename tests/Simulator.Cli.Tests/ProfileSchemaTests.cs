using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Simulator.Cli.Profiles;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Simulator.Cli.Tests;

/// <summary>profiles/profile.schema.json: generated from the reader's definitions, and every shipped profile passes it as an editor would read it.</summary>
public partial class ProfileSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
    {
        using var document = JsonDocument.Parse(ProfileSchema.Generate());
        return JsonSchema.Build(document.RootElement.Clone(), new BuildOptions { Dialect = Dialect.Draft07, SchemaRegistry = new SchemaRegistry() });
    });

    public static TheoryData<string> ShippedProfiles() => new(Directory.GetFiles(Path.Combine(TestProfiles.RepositoryRoot(), "profiles"), "*.yaml")
        .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal));

    [Fact]
    public void The_committed_schema_is_the_generated_one()
    {
        var committed = File.ReadAllText(Path.Combine(TestProfiles.RepositoryRoot(), "profiles", ProfileSchema.FileName));

        Assert.True(committed == ProfileSchema.Generate(),
            "profiles/profile.schema.json is not what the profile reader's definitions give; regenerate it: " +
            "dotnet run -c Release --project src/Simulator.Cli -- profiles --schema > profiles/profile.schema.json");
    }

    [Theory]
    [MemberData(nameof(ShippedProfiles))]
    public void Every_shipped_profile_names_the_schema_on_its_first_line_and_passes_it(string fileName)
    {
        var text = File.ReadAllText(Path.Combine(TestProfiles.RepositoryRoot(), "profiles", fileName));

        Assert.StartsWith("# yaml-language-server: $schema=./profile.schema.json\n", text, StringComparison.Ordinal);
        AssertValid(text);
    }

    [Fact]
    public void The_full_example_with_every_field_passes()
        => AssertValid(FullExampleTests.Full);

    [Fact]
    public void Several_addresses_pass()
        => AssertValid(TestProfiles.Minimal(target: "target:\n  urls: [ws://a:1/ocpp, ws://b:1/ocpp]\n  distribution: byId\n"));

    [Theory]
    [InlineData("name: t\nduration: 2m\ntarget: {url: embedded}\nfleet: [{name: ac, count: 1, idPattern: \"CP-{0}\"}]\nfleetsize: 3\n", "an unknown key")]
    [InlineData("name: t\nduration: 30\ntarget: {url: embedded}\nfleet: [{name: ac, count: 1, idPattern: \"CP-{0}\"}]\n", "a duration without a unit")]
    [InlineData("name: t\nduration: 2m\ntarget: {url: http://x}\nfleet: [{name: ac, count: 1, idPattern: \"CP-{0}\"}]\n", "an http URL")]
    [InlineData("name: t\nduration: 2m\ntarget: {url: embedded}\nfleet: [{name: ac, count: 1, share: 5%, idPattern: \"CP-{0}\"}]\n", "count and share")]
    [InlineData("name: t\nduration: 2m\ntarget: {url: embedded}\nfleet: [{name: ac, count: 1, idPattern: \"CP-{0}\", reconnect: {policy: fixed, base: 1s}}]\n", "another policy's parameter")]
    [InlineData("name: t\nduration: 2m\ntarget: {url: embedded}\nfleet: [{name: ac, count: 1, idPattern: \"CP-{0}\"}]\ntimeline: [{at: 1m, event: reboot-all, for: 10s}]\n", "a parameter the event does not take")]
    [InlineData("name: t\nduration: 2m\ntarget: {url: embedded}\nfleet: [{name: ac, count: 1, idPattern: \"CP-{0}\", configuration: {HeartBeatInterval: \"60\"}}]\n", "a configuration key that is not OCPP's")]
    [InlineData("name: t\nduration: 2m\ntarget: {urls: [ws://a:1/x], distribution: roundrobin}\nfleet: [{name: ac, count: 1, idPattern: \"CP-{0}\"}]\n", "a distribution that is not one")]
    public void A_profile_the_reader_refuses_fails_the_schema_too(string yaml, string what)
    {
        Assert.False(ProfileLoader.LoadText(yaml, "t.yaml").IsValid, $"the reader takes {what}");
        Assert.False(Evaluate(yaml).IsValid, $"the schema passes {what}");
    }

    private static void AssertValid(string yaml)
    {
        var results = Evaluate(yaml);
        Assert.True(results.IsValid, "the schema refuses it:\n" + string.Join("\n",
            (results.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}")));
    }

    private static EvaluationResults Evaluate(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        using var document = JsonDocument.Parse(ToJson(stream.Documents[0].RootNode)?.ToJsonString() ?? "null");
        return Schema.Value.Evaluate(document.RootElement.Clone(), new EvaluationOptions { OutputFormat = OutputFormat.List });
    }

    /// <summary>YAML as an editor's language server reads it (YAML 1.2 core schema): plain 20 is a number, "20" and 30s are strings.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode { Style: not ScalarStyle.Plain } s => JsonValue.Create(s.Value ?? ""),
        YamlScalarNode s => Plain(s.Value ?? ""),
        _ => throw new InvalidOperationException("aliases are not used in profiles"),
    };

    private static JsonValue? Plain(string text) => text switch
    {
        "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when IntegerPattern().IsMatch(text) => JsonValue.Create(long.Parse(text, CultureInfo.InvariantCulture)),
        _ when FloatPattern().IsMatch(text) => JsonValue.Create(double.Parse(text, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(text),
    };

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
