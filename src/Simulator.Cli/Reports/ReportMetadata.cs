using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Simulator.Cli.Profiles;
using Simulator.Fleet.Plan;
using Simulator.Metrics;

namespace Simulator.Cli.Reports;

/// <summary>
/// What makes a run reproducible, for the JSON report: the build, the command line and the resolved profile (secrets
/// masked), the seed, the targets (without credentials) and the machine.
/// </summary>
internal static class ReportMetadata
{
    public const string Mask = "***";

    /// <summary>
    /// The plan's shape comes from <see cref="ResolvedProfileJson"/> (generated at build time, so an ahead-of-time compiled
    /// fleetsim writes it too); every enumeration the plan holds is written by its camel-cased name.
    /// </summary>
    internal static readonly JsonSerializerOptions PlanJson = new()
    {
        TypeInfoResolver = ResolvedProfileJson.Default,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters =
        {
            new DurationConverter(),
            NamedEnum<UrlDistribution>(), NamedEnum<BasicAuthPasswordEncoding>(), NamedEnum<CurrentType>(),
            NamedEnum<ReconnectKind>(), NamedEnum<JitterKind>(), NamedEnum<ArrivalKind>(), NamedEnum<BehaviourKind>(),
            NamedEnum<DistributionKind>(), NamedEnum<TimelineEventKind>(), NamedEnum<RefusalMode>(),
        },
    };

    public static RunReport Describe(RunReport report, IReadOnlyList<string> commandLine, FleetPlan plan, int seed, IEnumerable<Uri> targets) => report with
    {
        FleetSim = FleetSimBuild.Of(typeof(ReportMetadata).Assembly),
        CommandLine = commandLine,
        Seed = seed,
        Targets = [.. targets.Select(WithoutCredentials)],
        Machine = MachineInfo.Current(),
        ResolvedProfile = ResolvedProfile(plan),
        Sessions = report.Sessions with { Connectors = plan.Types.Sum(t => (long)t.Count * t.Connectors) },
    };

    /// <summary>"fleetsim" and the tokens as given, the value of every option named like a secret (key, password, token, secret) as ***.</summary>
    public static IReadOnlyList<string> CommandLine(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var words = new List<string> { "fleetsim" };
        var maskNext = false;
        foreach (var token in parse.Tokens)
        {
            var text = token.Value;
            if (maskNext && token.Type == TokenType.Argument)
            {
                words.Add(Mask);
                maskNext = false;
                continue;
            }
            maskNext = false;
            if (token.Type == TokenType.Option && IsSecretName(text))
            {
                maskNext = true;
            }
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (text.StartsWith('-') && equals > 0 && IsSecretName(text[..equals]))
            {
                text = text[..(equals + 1)] + Mask;
            }
            words.Add(MaskUrlCredentials(text));
        }
        return words;
    }

    /// <summary>The plan as data (what the run really used), durations as 90s/10m, secrets and URL credentials masked.</summary>
    public static JsonElement ResolvedProfile(FleetPlan plan)
    {
        JsonNode node;
        try
        {
            node = JsonSerializer.SerializeToNode(plan, (JsonTypeInfo<FleetPlan>)PlanJson.GetTypeInfo(typeof(FleetPlan))) ?? new JsonObject();
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException)
        {
            // A plan type System.Text.Json cannot write must not cost the run its report; say so in its place.
            node = new JsonObject { ["unavailable"] = $"the plan could not be written as data: {ex.Message}" };
        }
        MaskSecrets(node);
        return JsonSerializer.SerializeToElement(node, ResolvedProfileJson.Default.JsonNode);
    }

    /// <summary>True for a name that holds a secret: it ends in key, password, token, secret or passphrase (any case, any separator).</summary>
    internal static bool IsSecretName(string name)
    {
        var plain = new string([.. name.Where(char.IsLetterOrDigit)]).ToLowerInvariant();
        return plain.EndsWith("key", StringComparison.Ordinal) || plain.EndsWith("password", StringComparison.Ordinal)
            || plain.EndsWith("token", StringComparison.Ordinal) || plain.EndsWith("secret", StringComparison.Ordinal)
            || plain.EndsWith("passphrase", StringComparison.Ordinal);
    }

    internal static string WithoutCredentials(Uri url) =>
        !url.IsAbsoluteUri || url.UserInfo.Length == 0 ? url.ToString() : new UriBuilder(url) { UserName = "", Password = "" }.Uri.ToString();

    private static string MaskUrlCredentials(string text) =>
        text.Contains('@', StringComparison.Ordinal) && Uri.TryCreate(text, UriKind.Absolute, out var url) && url.UserInfo.Length > 0
            ? text.Replace(url.UserInfo + "@", Mask + "@", StringComparison.Ordinal)
            : text;

    private static void MaskSecrets(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (value is JsonValue && IsSecretName(name))
                    {
                        obj[name] = Mask;
                    }
                    else if (value is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        obj[name] = MaskUrlCredentials(text);
                    }
                    else if (value is not null)
                    {
                        MaskSecrets(value);
                    }
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        array[i] = MaskUrlCredentials(text);
                    }
                    else if (array[i] is { } item)
                    {
                        MaskSecrets(item);
                    }
                }
                break;
        }
    }

    private static JsonStringEnumConverter<TEnum> NamedEnum<TEnum>()
        where TEnum : struct, Enum => new(JsonNamingPolicy.CamelCase);

    private sealed class DurationConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Units.TryParseDuration(reader.GetString() ?? "", out var value, out var error) ? value : throw new JsonException(error);

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) => writer.WriteStringValue(Units.FormatDuration(value));
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(FleetPlan))]
[JsonSerializable(typeof(JsonNode))]
internal sealed partial class ResolvedProfileJson : JsonSerializerContext;
