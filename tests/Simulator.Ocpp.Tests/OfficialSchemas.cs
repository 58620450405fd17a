using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Simulator.Ocpp.Tests;

/// <summary>
/// The oracle: the OCA OCPP 1.6 JSON schemas (core and security) as shipped by ocpp-rpc 2.2.1, installed by
/// <c>npm ci --prefix tests</c> and evaluated with JsonSchema.Net as draft-07 with format validation required.
/// </summary>
internal static class OfficialSchemas
{
    public const string RelativePath = "tests/node_modules/ocpp-rpc/lib/schemas/ocpp1_6.json";

    private static readonly Lazy<IReadOnlyDictionary<string, JsonSchema>> Loaded = new(Load);

    /// <summary>Formats are assertions here, not annotations: a bad date-time fails.</summary>
    public static EvaluationOptions Options { get; } = new()
    {
        RequireFormatValidation = true,
        OutputFormat = OutputFormat.List,
    };

    public static IReadOnlyDictionary<string, JsonSchema> All => Loaded.Value;

    /// <summary>The schema of an action's request ("urn:X.req") or response ("urn:X.conf").</summary>
    public static JsonSchema For(string action, bool request)
    {
        var id = $"urn:{action}.{(request ? "req" : "conf")}";
        return All.TryGetValue(id, out var schema) ? schema : throw new KeyNotFoundException($"{id} is not in {RelativePath}");
    }

    public static EvaluationResults Evaluate(string action, bool request, ReadOnlyMemory<byte> payload)
    {
        using var document = JsonDocument.Parse(payload);
        return For(action, request).Evaluate(document.RootElement.Clone(), Options);
    }

    /// <summary>All error messages of a failed evaluation, with the instance locations, for assertion messages.</summary>
    public static string Describe(EvaluationResults results)
    {
        var lines = new List<string>();
        Collect(results, lines);
        return string.Join("; ", lines);
    }

    private static void Collect(EvaluationResults results, List<string> lines)
    {
        if (results.Errors is { } errors)
        {
            lines.AddRange(errors.Select(e => $"{results.InstanceLocation} {e.Key}: {e.Value}"));
        }
        foreach (var detail in results.Details ?? [])
        {
            Collect(detail, lines);
        }
    }

    public static string FindFile() => FindFile(AppContext.BaseDirectory);

    /// <summary>Walks up from <paramref name="startDirectory"/> to the folder holding Simulator.sln and returns the schema file there.</summary>
    public static string FindFile(string startDirectory)
    {
        var start = new DirectoryInfo(startDirectory);
        for (var dir = start; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Simulator.sln")))
            {
                var path = Path.Combine(dir.FullName, RelativePath);
                if (!File.Exists(path))
                {
                    throw new FileNotFoundException(
                        $"The official OCPP 1.6 schemas are missing at {path}. Run `npm ci --prefix tests` from the repository root to install them (ocpp-rpc 2.2.1, pinned in tests/package-lock.json).",
                        path);
                }
                return path;
            }
        }
        throw new DirectoryNotFoundException($"No Simulator.sln above {start.FullName}: cannot find the repository root to locate {RelativePath}.");
    }

    private static Dictionary<string, JsonSchema> Load()
    {
        var array = JsonNode.Parse(File.ReadAllText(FindFile()))!.AsArray();
        var schemas = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        foreach (var node in array)
        {
            var obj = node!.AsObject();
            var id = obj["$id"]!.GetValue<string>();
            // Every schema gets its own registry: the file is evaluated as the OCA wrote it, draft-07, one document per message.
            var options = new BuildOptions { Dialect = Dialect.Draft07, SchemaRegistry = new SchemaRegistry() };
            using var document = JsonDocument.Parse(obj.ToJsonString());
            schemas.Add(id, JsonSchema.Build(document.RootElement.Clone(), options, new Uri(id)));
        }
        return schemas;
    }
}
