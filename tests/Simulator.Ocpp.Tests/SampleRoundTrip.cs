using System.Text;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;

namespace Simulator.Ocpp.Tests;

/// <summary>
/// One sample through the whole codec, for any version: written as a frame by our codec, parsed, accepted by the official
/// schema, decoded to its type and written again byte for byte.
/// </summary>
internal static class SampleRoundTrip
{
    public static void Request(OcppMessageSet set, OfficialSchemas schemas, string action, IOcppRequest sample)
    {
        var descriptor = set.Find(action)!;
        var frame = OcppCodec.EncodeCall("rt-" + action, descriptor, sample);

        Assert.True(FrameParser.TryParse(frame, out var parsed, out var frameError), frameError?.Description);
        Assert.Equal(MessageTypeId.Call, parsed.Type);
        Assert.Equal(action, parsed.Action);
        schemas.AssertAccepts(action, request: true, parsed.Payload);

        Assert.True(OcppCodec.TryDecode(parsed.Payload, descriptor.RequestInfo, out var decoded, out var violation), violation?.ToString());
        Assert.IsType(descriptor.RequestType, decoded);
        var again = OcppCodec.EncodeCall("rt-" + action, descriptor, (IOcppRequest)decoded!);
        Assert.Equal(Encoding.UTF8.GetString(frame), Encoding.UTF8.GetString(again));
    }

    public static void Response(OcppMessageSet set, OfficialSchemas schemas, string action, IOcppResponse sample)
    {
        var descriptor = set.Find(action)!;
        var frame = OcppCodec.EncodeCallResult("rt-" + action, descriptor, sample);

        Assert.True(FrameParser.TryParse(frame, out var parsed, out var frameError), frameError?.Description);
        Assert.Equal(MessageTypeId.CallResult, parsed.Type);
        schemas.AssertAccepts(action, request: false, parsed.Payload);

        Assert.True(OcppCodec.TryDecode(parsed.Payload, descriptor.ResponseInfo, out var decoded, out var violation), violation?.ToString());
        Assert.IsType(descriptor.ResponseType, decoded);
        var again = OcppCodec.EncodeCallResult("rt-" + action, descriptor, (IOcppResponse)decoded!);
        Assert.Equal(Encoding.UTF8.GetString(frame), Encoding.UTF8.GetString(again));
    }
}
