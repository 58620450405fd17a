using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V201;
using Simulator.Ocpp.V201.Provisioning;
using Simulator.Ocpp.V201.Types;

namespace Simulator.Ocpp.Tests.V201;

/// <summary>
/// Every 2.0.1 sample, request and response, is written by our codec, accepted by the official schema, decoded by us and
/// written back identically; and every type has exactly the schema's fields, required where the schema requires them.
/// </summary>
public class SampleTests201
{
    private static OfficialSchemas Schemas => OfficialSchemas.Ocpp201;

    internal static IEnumerable<(string Action, int Index, IOcppRequest Payload)> AllRequests()
        => Samples201.Requests.Select(p => (p.Key, 0, p.Value))
            .Concat(Samples201.RequestVariants.GroupBy(v => v.Action).SelectMany(g => g.Select((v, i) => (g.Key, i + 1, v.Payload))));

    internal static IEnumerable<(string Action, int Index, IOcppResponse Payload)> AllResponses()
        => Samples201.Responses.Select(p => (p.Key, 0, p.Value))
            .Concat(Samples201.ResponseVariants.GroupBy(v => v.Action).SelectMany(g => g.Select((v, i) => (g.Key, i + 1, v.Payload))));

    public static TheoryData<string, int> RequestSamples() => Pairs(AllRequests().Select(s => (s.Action, s.Index)));

    public static TheoryData<string, int> ResponseSamples() => Pairs(AllResponses().Select(s => (s.Action, s.Index)));

    private static TheoryData<string, int> Pairs(IEnumerable<(string Action, int Index)> samples)
    {
        var data = new TheoryData<string, int>();
        foreach (var (action, index) in samples)
        {
            data.Add(action, index);
        }
        return data;
    }

    public static TheoryData<string> ActionNames() => [.. Ocpp201.Messages.Actions.Select(a => a.Name)];

    [Theory]
    [MemberData(nameof(RequestSamples))]
    public void Request_sample_passes_the_official_schema_and_round_trips(string action, int variant)
        => SampleRoundTrip.Request(Ocpp201.Messages, Schemas, action, AllRequests().Single(s => s.Action == action && s.Index == variant).Payload);

    [Theory]
    [MemberData(nameof(ResponseSamples))]
    public void Response_sample_passes_the_official_schema_and_round_trips(string action, int variant)
        => SampleRoundTrip.Response(Ocpp201.Messages, Schemas, action, AllResponses().Single(s => s.Action == action && s.Index == variant).Payload);

    [Fact]
    public void Every_action_has_a_request_and_a_response_sample_and_nothing_else()
    {
        var names = Ocpp201.Messages.Actions.Select(a => a.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(64, names.Length);
        Assert.Equal(names, Samples201.Requests.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(names, Samples201.Responses.Keys.Order(StringComparer.Ordinal));
        foreach (var action in Ocpp201.Messages.Actions)
        {
            Assert.IsType(action.RequestType, Samples201.Requests[action.Name]);
            Assert.IsType(action.ResponseType, Samples201.Responses[action.Name]);
        }
    }

    [Fact]
    public void Samples_fill_every_optional_field_the_schema_has()
    {
        // A field no sample carries could have a wrong name or type and no test would notice. customData is left out:
        // it is one type everywhere, carried by the samples of a few objects and tested on its own.
        var missing = new List<string>();
        foreach (var action in Ocpp201.Messages.Actions)
        {
            missing.AddRange(MissingInAll(action.Name, true, AllRequests().Where(s => s.Action == action.Name).Select(s => OcppCodec.EncodeCall("x", action, s.Payload))));
            missing.AddRange(MissingInAll(action.Name, false, AllResponses().Where(s => s.Action == action.Name).Select(s => OcppCodec.EncodeCallResult("x", action, s.Payload))));
        }
        missing.RemoveAll(path => path.Contains(".customData", StringComparison.Ordinal));
        Assert.Equal(DeliberatelyAbsent.Order(StringComparer.Ordinal), missing.Order(StringComparer.Ordinal));
    }

    /// <summary>Optional in the schema, but a correct message never carries them; the same C# type is covered by SetChargingProfile.</summary>
    private static readonly string[] DeliberatelyAbsent =
    [
        // OCPP 2.0.1 F01.FR.11: the TxProfile of RequestStartTransaction carries no transactionId (there is none yet).
        "RequestStartTransaction.req.chargingProfile.transactionId",
        // A TxProfile is not recurring.
        "RequestStartTransaction.req.chargingProfile.recurrencyKind",
    ];

    private static HashSet<string> MissingInAll(string action, bool request, IEnumerable<byte[]> frames)
    {
        var schema = JsonNode.Parse(Schemas.Text(action, request))!;
        HashSet<string>? common = null;
        foreach (var frame in frames)
        {
            Assert.True(FrameParser.TryParse(frame, out var parsed, out _));
            using var payload = JsonDocument.Parse(parsed.Payload);
            var missing = SchemaText.MissingProperties(schema, schema, payload.RootElement, $"{action}.{(request ? "req" : "conf")}");
            if (common is null)
            {
                common = missing;
            }
            else
            {
                common.IntersectWith(missing);
            }
        }
        return common ?? [];
    }

    [Theory]
    [MemberData(nameof(ActionNames))]
    public void Types_have_exactly_the_fields_of_the_schema(string action)
    {
        var descriptor = Ocpp201.Messages.Find(action)!;
        var problems = new List<string>();
        foreach (var (request, info) in new[] { (true, descriptor.RequestInfo), (false, descriptor.ResponseInfo) })
        {
            var schema = JsonNode.Parse(Schemas.Text(action, request))!;
            // A payload read by a hand-written converter has its members in the generated metadata.
            CompareObject(schema, schema, Ocpp201JsonContext.Default.GetTypeInfo(info.Type)!, $"{action}.{(request ? "req" : "conf")}", problems);
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Custom_data_is_accepted_on_any_object_and_its_vendor_members_are_kept()
    {
        var descriptor = Ocpp201.Messages.Of<BootNotificationRequest>();
        var payload = """
            {"chargingStation":{"model":"FS-22-AC","vendorName":"FleetSim","customData":{"vendorId":"com.acme","rack":{"row":3,"tags":["a",null]},"on":false}},
             "reason":"PowerUp","customData":{"vendorId":"com.acme"}}
            """u8.ToArray();

        AssertSchemaAccepts("BootNotification", request: true, payload);
        Assert.True(OcppCodec.TryDecode(payload, descriptor.RequestInfo, out var decoded, out var violation), violation?.ToString());
        var boot = Assert.IsType<BootNotificationRequest>(decoded);
        Assert.Equal("com.acme", boot.CustomData!.VendorId);
        Assert.Null(boot.CustomData.Properties);
        var custom = boot.ChargingStation.CustomData!;
        Assert.Equal(["on", "rack"], custom.Properties!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, custom.Properties["rack"].GetProperty("row").GetInt32());

        var written = JsonNode.Parse(OcppCodec.EncodeCall("1", descriptor, boot))!.AsArray()[3]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(payload), written), written.ToJsonString());
    }

    [Fact]
    public void Custom_data_still_needs_its_vendor_id_and_other_objects_stay_closed()
    {
        var info = Ocpp201.Messages.Of<BootNotificationRequest>().RequestInfo;
        var noVendor = """{"chargingStation":{"model":"m","vendorName":"v","customData":{"rack":1}},"reason":"PowerUp"}"""u8.ToArray();
        var longVendor = Encoding.UTF8.GetBytes("""{"chargingStation":{"model":"m","vendorName":"v","customData":{"vendorId":"VENDOR"}},"reason":"PowerUp"}""".Replace("VENDOR", new string('v', 256), StringComparison.Ordinal));
        var extra = """{"chargingStation":{"model":"m","vendorName":"v","rack":1},"reason":"PowerUp"}"""u8.ToArray();

        foreach (var (payload, code, field) in new[]
        {
            (noVendor, OcppErrorCode.OccurrenceConstraintViolation, "chargingStation.customData.vendorId"),
            (longVendor, OcppErrorCode.FormatViolation, "chargingStation.customData.vendorId"),
            (extra, OcppErrorCode.PropertyConstraintViolation, "chargingStation.rack"),
        })
        {
            Assert.False(Schemas.Evaluate("BootNotification", true, payload).IsValid);
            Assert.False(OcppCodec.TryDecode(payload, info, out _, out var violation));
            Assert.Equal((code, field), (violation!.Code, violation.Field));
        }
    }

    internal static void AssertSchemaAccepts(string action, bool request, ReadOnlyMemory<byte> payload) => Schemas.AssertAccepts(action, request, payload);

    /// <summary>Names, required-ness, JSON types, enum values and openness of an object, against the schema, recursively.</summary>
    private static void CompareObject(JsonNode root, JsonNode schema, JsonTypeInfo info, string path, List<string> problems)
    {
        schema = SchemaText.Resolve(root, schema);
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            problems.Add($"{path}: {info.Type.Name} is not read as an object");
            return;
        }
        var properties = schema["properties"]!.AsObject();
        var required = schema["required"]?.AsArray().Select(n => n!.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
        var ours = info.Properties.Where(p => !p.IsExtensionData).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var open = schema["additionalProperties"] is null;
        if (open != info.Properties.Any(p => p.IsExtensionData))
        {
            problems.Add($"{path}: the schema {(open ? "allows" : "refuses")} other members, {info.Type.Name} does not");
        }
        foreach (var (name, child) in properties)
        {
            if (!ours.TryGetValue(name, out var property))
            {
                problems.Add($"{path}.{name}: missing from {info.Type.Name}");
                continue;
            }
            if (property.IsRequired != required.Contains(name))
            {
                problems.Add($"{path}.{name}: required is {property.IsRequired} in {info.Type.Name}, {required.Contains(name)} in the schema");
            }
            var nullable = Nullable.GetUnderlyingType(property.PropertyType) is not null || !property.PropertyType.IsValueType && property.IsSetNullable;
            if (nullable == required.Contains(name) && property.PropertyType != typeof(JsonElement?))
            {
                problems.Add($"{path}.{name}: nullable is {nullable}, required is {required.Contains(name)}");
            }
            CompareValue(root, child!, property.PropertyType, info.Options, $"{path}.{name}", problems);
        }
        foreach (var name in ours.Keys.Where(n => !properties.ContainsKey(n)))
        {
            problems.Add($"{path}.{name}: not in the schema");
        }
    }

    private static void CompareValue(JsonNode root, JsonNode schema, Type type, JsonSerializerOptions options, string path, List<string> problems)
    {
        schema = SchemaText.Resolve(root, schema);
        type = Nullable.GetUnderlyingType(type) ?? type;
        var expected = schema["type"]?.GetValue<string>();
        switch (expected)
        {
            case "object":
                CompareObject(root, schema, options.GetTypeInfo(type), path, problems);
                return;
            case "array":
                if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IReadOnlyList<>))
                {
                    problems.Add($"{path}: an array, read as {type.Name}");
                    return;
                }
                CompareValue(root, schema["items"]!, type.GetGenericArguments()[0], options, $"{path}[]", problems);
                return;
            case "string" when schema["enum"] is JsonArray values:
                var wire = type.IsEnum ? type.GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
                    .Select(f => f.GetCustomAttributes(typeof(JsonStringEnumMemberNameAttribute), false).Cast<JsonStringEnumMemberNameAttribute>().SingleOrDefault()?.Name ?? f.Name)
                    .ToArray() : [];
                if (!wire.Order(StringComparer.Ordinal).SequenceEqual(values.Select(v => v!.GetValue<string>()).Order(StringComparer.Ordinal)))
                {
                    problems.Add($"{path}: enum {type.Name} has [{string.Join(", ", wire)}], the schema [{string.Join(", ", values)}]");
                }
                return;
            default:
                var clr = expected switch
                {
                    "string" => schema["format"]?.GetValue<string>() == "date-time" ? typeof(DateTimeOffset) : typeof(string),
                    "integer" => typeof(int),
                    "number" => typeof(decimal),
                    "boolean" => typeof(bool),
                    _ => typeof(JsonElement),
                };
                if (clr != type)
                {
                    problems.Add($"{path}: {expected ?? "any"} read as {type.Name}, expected {clr.Name}");
                }
                return;
        }
    }
}
