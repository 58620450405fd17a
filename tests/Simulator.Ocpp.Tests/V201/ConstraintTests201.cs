using System.Text;
using System.Text.Json.Nodes;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V201;

namespace Simulator.Ocpp.Tests.V201;

/// <summary>
/// Every constraint of every 2.0.1 schema, derived from the schema itself: each sample is broken one constraint at a time
/// (a required member removed, a member added, a wrong JSON type, null, a string one character too long, an unknown enum
/// value, a bad date-time, a number out of range, too few or too many items). The official schema and our decoder must
/// both refuse it, ours with ocpp-rpc's CALLERROR code for the failed keyword and the path of the field. At the limit
/// (a string exactly as long as allowed, a member added inside customData) both must accept it.
/// One deliberate difference, shared with the 1.6 codec: null for an optional member reads as the member left out, where the
/// schema refuses it (backends that write nulls for absent members are common, and nothing is lost by reading them).
/// </summary>
public class ConstraintTests201
{
    private sealed record Mutation(string What, JsonNode Payload, OcppErrorCode? Code, string Field)
    {
        /// <summary>Null for an optional member: refused by the schema, read by us as the member left out.</summary>
        public bool LenientNull { get; init; }
    }

    public static TheoryData<string, bool> Payloads()
    {
        var data = new TheoryData<string, bool>();
        foreach (var action in Ocpp201.Messages.Actions)
        {
            data.Add(action.Name, true);
            data.Add(action.Name, false);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Each_broken_constraint_fails_the_official_schema_and_our_decoder_alike(string action, bool request)
    {
        var descriptor = Ocpp201.Messages.Find(action)!;
        var samples = request
            ? SampleTests201.AllRequests().Where(s => s.Action == action).Select(s => OcppCodec.EncodeCall("1", descriptor, s.Payload))
            : SampleTests201.AllResponses().Where(s => s.Action == action).Select(s => OcppCodec.EncodeCallResult("1", descriptor, s.Payload));
        var schema = JsonNode.Parse(OfficialSchemas.Ocpp201.Text(action, request))!;
        var info = request ? descriptor.RequestInfo : descriptor.ResponseInfo;

        var failures = new List<string>();
        var count = 0;
        foreach (var frame in samples)
        {
            var payload = JsonNode.Parse(frame)!.AsArray()[^1]!;
            foreach (var mutation in Mutations(schema, schema, payload, payload, []))
            {
                count++;
                var bytes = Encoding.UTF8.GetBytes(mutation.Payload.ToJsonString());
                var official = OfficialSchemas.Ocpp201.Evaluate(action, request, bytes).IsValid;
                var ours = OcppCodec.TryDecode(bytes, info, out _, out var violation);
                if (mutation.LenientNull)
                {
                    if (official || !ours)
                    {
                        failures.Add($"{mutation.What}: the schema must refuse it and we must read it as absent; official {(official ? "accepts" : "refuses")}, ours {violation?.ToString() ?? "accepts"}");
                    }
                }
                else if (mutation.Code is null)
                {
                    if (!official || !ours)
                    {
                        failures.Add($"{mutation.What}: must be accepted; official {(official ? "accepts" : "refuses")}, ours {violation?.ToString() ?? "accepts"}");
                    }
                }
                else if (official || ours || (violation!.Code, violation.Field) != (mutation.Code, mutation.Field))
                {
                    failures.Add($"{mutation.What}: expected {mutation.Code} {mutation.Field}; official {(official ? "accepts" : "refuses")}, ours {violation?.ToString() ?? "accepts"}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {count} mutations of {action}.{(request ? "req" : "conf")}:\n" + string.Join("\n", failures));
        Assert.True(count > 0);
    }

    /// <summary>The one-constraint breaks of <paramref name="value"/> (inside <paramref name="payload"/>) and of everything below it.</summary>
    private static IEnumerable<Mutation> Mutations(JsonNode root, JsonNode schema, JsonNode payload, JsonNode value, List<object> path)
    {
        schema = SchemaText.Resolve(root, schema);
        var field = Path(path);
        switch (schema["type"]?.GetValue<string>())
        {
            case "object":
                var obj = value.AsObject();
                var open = schema["additionalProperties"] is null;
                yield return Change(payload, path, n => n.AsObject()["unexpectedMember"] = 1, $"{field}: a member the schema does not name",
                    open ? null : OcppErrorCode.PropertyConstraintViolation, Join(field, "unexpectedMember"));
                var required = schema["required"]?.AsArray().Select(n => n!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
                foreach (var (name, childSchema) in schema["properties"]!.AsObject())
                {
                    if (!obj.TryGetPropertyValue(name, out var child) || child is null)
                    {
                        continue;
                    }
                    List<object> childPath = [.. path, name];
                    if (required.Contains(name))
                    {
                        yield return Change(payload, path, n => n.AsObject().Remove(name), $"{Join(field, name)} removed", OcppErrorCode.OccurrenceConstraintViolation, Join(field, name));
                    }
                    foreach (var mutation in ValueMutations(root, childSchema!, payload, child, childPath, optional: !required.Contains(name)))
                    {
                        yield return mutation;
                    }
                }
                break;
            case "array":
                var array = value.AsArray();
                if (schema["minItems"]?.GetValue<int>() is { } min and > 0)
                {
                    yield return Change(payload, path, n => Truncate(n.AsArray(), min - 1), $"{field} with {min - 1} items", OcppErrorCode.OccurrenceConstraintViolation, field);
                }
                if (schema["maxItems"]?.GetValue<int>() is { } max && array.Count > 0)
                {
                    yield return Change(payload, path, n => Fill(n.AsArray(), max + 1), $"{field} with {max + 1} items", OcppErrorCode.OccurrenceConstraintViolation, field);
                }
                if (array.Count > 0)
                {
                    foreach (var mutation in ValueMutations(root, schema["items"]!, payload, array[0]!, [.. path, 0], optional: false))
                    {
                        yield return mutation;
                    }
                }
                break;
            case "string":
                if (schema["enum"] is not null)
                {
                    yield return Replace(payload, path, "NotAnOcppValue", $"{field}: not one of the enum's values", OcppErrorCode.FormatViolation);
                }
                else if (schema["format"]?.GetValue<string>() == "date-time")
                {
                    yield return Replace(payload, path, "24/11/2026 10:00", $"{field}: not a date-time", OcppErrorCode.FormatViolation);
                }
                else if (schema["maxLength"]?.GetValue<int>() is { } length)
                {
                    yield return Replace(payload, path, new string('x', length + 1), $"{field}: {length + 1} characters", OcppErrorCode.FormatViolation);
                    yield return Replace(payload, path, new string('x', length), $"{field}: {length} characters", null);
                }
                break;
            case "integer":
                if (schema["minimum"]?.GetValue<int>() is { } minimum)
                {
                    yield return Replace(payload, path, minimum - 1, $"{field}: below the minimum", OcppErrorCode.FormatViolation);
                }
                if (schema["maximum"]?.GetValue<int>() is { } maximum)
                {
                    yield return Replace(payload, path, maximum + 1, $"{field}: above the maximum", OcppErrorCode.FormatViolation);
                }
                yield return Replace(payload, path, 1.5m, $"{field}: a fraction", OcppErrorCode.TypeConstraintViolation);
                break;
        }
    }

    /// <summary>A value of the wrong JSON type and null in place of <paramref name="value"/>, then the value's own breaks.</summary>
    private static IEnumerable<Mutation> ValueMutations(JsonNode root, JsonNode schema, JsonNode payload, JsonNode value, List<object> path, bool optional)
    {
        var resolved = SchemaText.Resolve(root, schema);
        var field = Path(path);
        JsonNode? wrong = resolved["type"]?.GetValue<string>() switch
        {
            "string" => 42,
            "integer" or "number" => "42",
            "boolean" => "true",
            "object" => "an object",
            "array" => new JsonObject(),
            _ => null,
        };
        if (wrong is not null)
        {
            yield return Replace(payload, path, wrong, $"{field}: wrong JSON type", OcppErrorCode.TypeConstraintViolation);
            yield return Replace(payload, path, null, $"{field}: null", OcppErrorCode.TypeConstraintViolation) with { LenientNull = optional };
        }
        foreach (var mutation in Mutations(root, schema, payload, value, path))
        {
            yield return mutation;
        }
    }

    private static Mutation Replace(JsonNode payload, List<object> path, JsonNode? replacement, string what, OcppErrorCode? code)
    {
        var copy = payload.DeepClone();
        var parent = Navigate(copy, path[..^1]);
        switch (path[^1])
        {
            case string name:
                parent.AsObject()[name] = replacement?.DeepClone();
                break;
            case int index:
                parent.AsArray()[index] = replacement?.DeepClone();
                break;
        }
        return new Mutation(what, copy, code, Path(path));
    }

    private static Mutation Change(JsonNode payload, List<object> path, Action<JsonNode> change, string what, OcppErrorCode? code, string field)
    {
        var copy = payload.DeepClone();
        change(Navigate(copy, path));
        return new Mutation(what, copy, code, field);
    }

    private static JsonNode Navigate(JsonNode node, IEnumerable<object> path)
    {
        foreach (var segment in path)
        {
            node = segment is string name ? node.AsObject()[name]! : node.AsArray()[(int)segment]!;
        }
        return node;
    }

    private static void Truncate(JsonArray array, int count)
    {
        while (array.Count > count)
        {
            array.RemoveAt(array.Count - 1);
        }
    }

    private static void Fill(JsonArray array, int count)
    {
        var item = array[0];
        while (array.Count < count)
        {
            array.Add(item?.DeepClone());
        }
    }

    /// <summary>A field's path as our violations name it: <c>chargingProfile.chargingSchedule[0].id</c>.</summary>
    private static string Path(List<object> path)
    {
        var text = new StringBuilder();
        foreach (var segment in path)
        {
            if (segment is int index)
            {
                text.Append('[').Append(index).Append(']');
            }
            else
            {
                text.Append(text.Length == 0 ? "" : ".").Append((string)segment);
            }
        }
        return text.ToString();
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
