using Simulator.Ocpp.V16;
using System.Text;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;

namespace Simulator.Ocpp.Tests;

/// <summary>Every sample, request and response, is written by our codec, accepted by the official schema, decoded by us and written back identically.</summary>
public class SampleRoundTripTests
{
    public static TheoryData<string, int> RequestSamples()
    {
        var data = new TheoryData<string, int>();
        foreach (var (action, index, _) in AllRequests())
        {
            data.Add(action, index);
        }
        return data;
    }

    public static TheoryData<string, int> ResponseSamples()
    {
        var data = new TheoryData<string, int>();
        foreach (var (action, index, _) in AllResponses())
        {
            data.Add(action, index);
        }
        return data;
    }

    /// <summary>The main sample of each action (index 0) and its variants (1, 2, …).</summary>
    internal static IEnumerable<(string Action, int Index, IOcppRequest Payload)> AllRequests()
        => Samples.Requests.Select(p => (p.Key, 0, p.Value))
            .Concat(Samples.RequestVariants.GroupBy(v => v.Action).SelectMany(g => g.Select((v, i) => (g.Key, i + 1, v.Payload))));

    internal static IEnumerable<(string Action, int Index, IOcppResponse Payload)> AllResponses()
        => Samples.Responses.Select(p => (p.Key, 0, p.Value))
            .Concat(Samples.ResponseVariants.GroupBy(v => v.Action).SelectMany(g => g.Select((v, i) => (g.Key, i + 1, v.Payload))));

    [Theory]
    [MemberData(nameof(RequestSamples))]
    public void Request_sample_passes_the_official_schema_and_round_trips(string action, int variant)
    {
        var descriptor = Ocpp16.Messages.Find(action)!;
        var sample = AllRequests().Single(s => s.Action == action && s.Index == variant).Payload;
        var frame = OcppCodec.EncodeCall("rt-" + action, descriptor, sample);

        Assert.True(FrameParser.TryParse(frame, out var parsed, out var frameError), frameError?.Description);
        Assert.Equal(MessageTypeId.Call, parsed.Type);
        Assert.Equal(action, parsed.Action);

        AssertSchemaAccepts(action, request: true, parsed.Payload);

        Assert.True(OcppCodec.TryDecode(parsed.Payload, descriptor.RequestInfo, out var decoded, out var violation), violation?.ToString());
        Assert.IsType(descriptor.RequestType, decoded);
        var again = OcppCodec.EncodeCall("rt-" + action, descriptor, (IOcppRequest)decoded!);
        Assert.Equal(Encoding.UTF8.GetString(frame), Encoding.UTF8.GetString(again));
    }

    [Theory]
    [MemberData(nameof(ResponseSamples))]
    public void Response_sample_passes_the_official_schema_and_round_trips(string action, int variant)
    {
        var descriptor = Ocpp16.Messages.Find(action)!;
        var sample = AllResponses().Single(s => s.Action == action && s.Index == variant).Payload;
        var frame = OcppCodec.EncodeCallResult("rt-" + action, descriptor, sample);

        Assert.True(FrameParser.TryParse(frame, out var parsed, out var frameError), frameError?.Description);
        Assert.Equal(MessageTypeId.CallResult, parsed.Type);

        AssertSchemaAccepts(action, request: false, parsed.Payload);

        Assert.True(OcppCodec.TryDecode(parsed.Payload, descriptor.ResponseInfo, out var decoded, out var violation), violation?.ToString());
        Assert.IsType(descriptor.ResponseType, decoded);
        var again = OcppCodec.EncodeCallResult("rt-" + action, descriptor, (IOcppResponse)decoded!);
        Assert.Equal(Encoding.UTF8.GetString(frame), Encoding.UTF8.GetString(again));
    }

    [Fact]
    public void Every_action_has_a_request_and_a_response_sample_and_nothing_else()
    {
        var names = Ocpp16.Messages.Actions.Select(a => a.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(names, Samples.Requests.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(names, Samples.Responses.Keys.Order(StringComparer.Ordinal));
        foreach (var action in Ocpp16.Messages.Actions)
        {
            Assert.IsType(action.RequestType, Samples.Requests[action.Name]);
            Assert.IsType(action.ResponseType, Samples.Responses[action.Name]);
        }
    }

    [Fact]
    public void Samples_fill_every_optional_field_the_schema_has()
    {
        // A field no sample carries could have a wrong name or type and no test would notice.
        var missing = new List<string>();
        foreach (var action in Ocpp16.Messages.Actions)
        {
            missing.AddRange(MissingInAll(action.Name, true, AllRequests().Where(s => s.Action == action.Name).Select(s => OcppCodec.EncodeCall("x", action, s.Payload))));
            missing.AddRange(MissingInAll(action.Name, false, AllResponses().Where(s => s.Action == action.Name).Select(s => OcppCodec.EncodeCallResult("x", action, s.Payload))));
        }
        Assert.Equal(DeliberatelyAbsent.Order(StringComparer.Ordinal), missing.Order(StringComparer.Ordinal));
    }

    /// <summary>Optional in the schema, but a correct message never carries them; the same C# type is covered by SetChargingProfile.</summary>
    private static readonly string[] DeliberatelyAbsent =
    [
        // OCPP 1.6 §5.11: the TxProfile of RemoteStartTransaction SHALL NOT carry a transactionId (there is none yet).
        "RemoteStartTransaction.req.chargingProfile.transactionId",
        // The TxProfile of a remote start is Absolute or Relative, never Recurring.
        "RemoteStartTransaction.req.chargingProfile.recurrencyKind",
    ];

    private static HashSet<string> MissingInAll(string action, bool request, IEnumerable<byte[]> frames)
    {
        var schema = System.Text.Json.Nodes.JsonNode.Parse(OfficialSchemas.Ocpp16.Text(action, request))!;
        HashSet<string>? common = null;
        foreach (var frame in frames)
        {
            Assert.True(FrameParser.TryParse(frame, out var parsed, out _));
            using var payload = System.Text.Json.JsonDocument.Parse(parsed.Payload);
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

    internal static void AssertSchemaAccepts(string action, bool request, ReadOnlyMemory<byte> payload)
    {
        var result = OfficialSchemas.Ocpp16.Evaluate(action, request, payload);
        Assert.True(result.IsValid, $"{action}.{(request ? "req" : "conf")} rejected by the official schema: {OfficialSchemas.Describe(result)}\n{Encoding.UTF8.GetString(payload.Span)}");
    }
}
