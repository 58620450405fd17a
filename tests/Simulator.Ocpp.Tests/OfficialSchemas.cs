using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Simulator.Ocpp.Tests;

/// <summary>
/// The oracle: the OCA JSON schemas of one OCPP version as shipped by ocpp-rpc 2.2.1 (1.6 core and security, 2.0.1),
/// installed by <c>npm ci --prefix tests</c> and evaluated with JsonSchema.Net as draft-07 with format validation required.
/// </summary>
internal sealed class OfficialSchemas
{
    private const string Folder = "tests/node_modules/ocpp-rpc/lib/schemas";

    private readonly Lazy<IReadOnlyDictionary<string, JsonSchema>> _schemas;
    private readonly Lazy<IReadOnlyDictionary<string, string>> _texts;

    private OfficialSchemas(string version, string fileName)
    {
        Version = version;
        RelativePath = $"{Folder}/{fileName}";
        _texts = new(LoadTexts);
        _schemas = new(LoadSchemas);
    }

    public static OfficialSchemas Ocpp16 { get; } = new("1.6", "ocpp1_6.json");

    public static OfficialSchemas Ocpp201 { get; } = new("2.0.1", "ocpp2_0_1.json");

    public string Version { get; }

    public string RelativePath { get; }

    /// <summary>Formats are assertions here, not annotations: a bad date-time fails.</summary>
    public static EvaluationOptions Options { get; } = new()
    {
        RequireFormatValidation = true,
        OutputFormat = OutputFormat.List,
    };

    public IReadOnlyDictionary<string, JsonSchema> All => _schemas.Value;

    /// <summary>Every schema id in the file ("urn:Authorize.req", "urn:Authorize.conf", …).</summary>
    public IReadOnlyCollection<string> Ids => (IReadOnlyCollection<string>)_texts.Value.Keys;

    /// <summary>The schema of an action's request ("urn:X.req") or response ("urn:X.conf").</summary>
    public JsonSchema For(string action, bool request)
    {
        var id = Id(action, request);
        return All.TryGetValue(id, out var schema) ? schema : throw new KeyNotFoundException($"{id} is not in {RelativePath}");
    }

    /// <summary>The raw schema JSON, for the checks about the schema's shape rather than a payload's validity.</summary>
    public string Text(string action, bool request) => _texts.Value[Id(action, request)];

    public EvaluationResults Evaluate(string action, bool request, ReadOnlyMemory<byte> payload)
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

    private static string Id(string action, bool request) => $"urn:{action}.{(request ? "req" : "conf")}";

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

    public string FindFile() => FindFile(AppContext.BaseDirectory);

    /// <summary>Walks up from <paramref name="startDirectory"/> to the folder holding Simulator.sln and returns the schema file there.</summary>
    public string FindFile(string startDirectory)
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
                        $"The official OCPP {Version} schemas are missing at {path}. Run `npm ci --prefix tests` from the repository root to install them (ocpp-rpc 2.2.1, pinned in tests/package-lock.json).",
                        path);
                }
                return path;
            }
        }
        throw new DirectoryNotFoundException($"No Simulator.sln above {start.FullName}: cannot find the repository root to locate {RelativePath}.");
    }

    private Dictionary<string, string> LoadTexts()
        => JsonNode.Parse(File.ReadAllText(FindFile()))!.AsArray()
            .ToDictionary(n => n!["$id"]!.GetValue<string>(), n => n!.ToJsonString(), StringComparer.Ordinal);

    private Dictionary<string, JsonSchema> LoadSchemas()
    {
        var schemas = new Dictionary<string, JsonSchema>(StringComparer.Ordinal);
        foreach (var (id, text) in _texts.Value)
        {
            // Every schema gets its own registry: the file is evaluated as the OCA wrote it, draft-07, one document per message.
            var options = new BuildOptions { Dialect = Dialect.Draft07, SchemaRegistry = new SchemaRegistry() };
            using var document = JsonDocument.Parse(text);
            schemas.Add(id, JsonSchema.Build(document.RootElement.Clone(), options, new Uri(id)));
        }
        return schemas;
    }
}
