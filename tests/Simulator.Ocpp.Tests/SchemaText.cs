using System.Text.Json;
using System.Text.Json.Nodes;

namespace Simulator.Ocpp.Tests;

/// <summary>Walks the raw schema JSON (<see cref="OfficialSchemas.Text"/>), for the checks about the schema's shape rather than a payload's validity.</summary>
internal static class SchemaText
{
    /// <summary>
    /// The schema properties (recursively, through $ref, objects and arrays) that the payload does not carry. In a list
    /// a field counts as carried when any item carries it: lists hold variants on purpose.
    /// </summary>
    public static HashSet<string> MissingProperties(JsonNode root, JsonNode schema, JsonElement value, string path)
    {
        schema = Resolve(root, schema);
        var missing = new HashSet<string>(StringComparer.Ordinal);
        if (schema["properties"] is JsonObject properties && value.ValueKind == JsonValueKind.Object)
        {
            foreach (var (name, child) in properties)
            {
                if (value.TryGetProperty(name, out var childValue))
                {
                    missing.UnionWith(MissingProperties(root, child!, childValue, $"{path}.{name}"));
                }
                else
                {
                    missing.Add($"{path}.{name}");
                    missing.UnionWith(AllPaths(root, child!, $"{path}.{name}"));
                }
            }
        }
        if (schema["items"] is { } items && value.ValueKind == JsonValueKind.Array)
        {
            HashSet<string>? common = null;
            foreach (var item in value.EnumerateArray())
            {
                var itemMissing = MissingProperties(root, items, item, $"{path}[]");
                if (common is null)
                {
                    common = itemMissing;
                }
                else
                {
                    common.IntersectWith(itemMissing);
                }
            }
            missing.UnionWith(common ?? AllPaths(root, items, $"{path}[]"));
        }
        return missing;
    }

    /// <summary>Every property path below a schema node: what an absent field leaves uncovered.</summary>
    private static IEnumerable<string> AllPaths(JsonNode root, JsonNode schema, string path)
    {
        schema = Resolve(root, schema);
        if (schema["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                yield return $"{path}.{name}";
                foreach (var below in AllPaths(root, child!, $"{path}.{name}"))
                {
                    yield return below;
                }
            }
        }
        if (schema["items"] is { } items)
        {
            foreach (var below in AllPaths(root, items, $"{path}[]"))
            {
                yield return below;
            }
        }
    }

    internal static JsonNode Resolve(JsonNode root, JsonNode schema)
    {
        if (schema["$ref"] is { } reference)
        {
            var name = reference.GetValue<string>().Replace("#/definitions/", "", StringComparison.Ordinal);
            return root["definitions"]![name]!;
        }
        return schema;
    }
}
