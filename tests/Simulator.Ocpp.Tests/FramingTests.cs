using Simulator.Ocpp.V16;
using System.Buffers;
using System.Text;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Ocpp.Tests;

public class FramingTests
{
    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);

    [Fact]
    public void Parses_a_call()
    {
        Assert.True(FrameParser.TryParse(Utf8("[2,\"19223201\",\"BootNotification\",{\"chargePointVendor\":\"VendorX\",\"chargePointModel\":\"SingleSocketCharger\"}]"), Ocpp16.Messages, out var frame, out var error));
        Assert.Null(error);
        Assert.Equal(MessageTypeId.Call, frame.Type);
        Assert.Equal("19223201", frame.UniqueId);
        Assert.Equal("BootNotification", frame.Action);
        Assert.Same(Ocpp16.Messages.Find("BootNotification")!.Name, frame.Action);
        Assert.Equal("{\"chargePointVendor\":\"VendorX\",\"chargePointModel\":\"SingleSocketCharger\"}", Text(frame.Payload));
    }

    [Fact]
    public void Parses_a_call_with_whitespace_and_an_unknown_action()
    {
        Assert.True(FrameParser.TryParse(Utf8(" [ 2 , \"a\" , \"NoSuchAction\" , { } ] \n"), out var frame, out var error), error?.Description);
        Assert.Equal("NoSuchAction", frame.Action);
        Assert.Null(Ocpp16.Messages.Find(frame.Action!));
        Assert.Equal("{ }", Text(frame.Payload));
    }

    [Fact]
    public void Parses_a_call_result()
    {
        Assert.True(FrameParser.TryParse(Utf8("[3,\"19223201\",{\"currentTime\":\"2013-02-01T20:53:32.486Z\",\"interval\":300,\"status\":\"Accepted\"}]"), out var frame, out _));
        Assert.Equal(MessageTypeId.CallResult, frame.Type);
        Assert.Equal("19223201", frame.UniqueId);
        Assert.Null(frame.Action);
        Assert.True(OcppCodec.TryDecode<BootNotificationResponse>(frame.Payload, Ocpp16.Messages, out var conf, out var violation), violation?.ToString());
        Assert.Equal(RegistrationStatus.Accepted, conf!.Status);
        Assert.Equal(300, conf.Interval);
        Assert.Equal(new DateTimeOffset(2013, 2, 1, 20, 53, 32, 486, TimeSpan.Zero), conf.CurrentTime);
    }

    [Fact]
    public void A_small_numeric_id_is_read_as_one_shared_string_any_other_id_as_written()
    {
        string Id(string frame)
        {
            Assert.True(FrameParser.TryParse(Utf8(frame), out var parsed, out var error), error?.Description);
            return parsed.UniqueId;
        }

        var first = Id("[3,\"4711\",{}]");
        Assert.Equal("4711", first);
        Assert.Same(first, Id("[4,\"4711\",\"GenericError\",\"\",{}]"));
        Assert.Same(first, Id("[2,\"4711\",\"Heartbeat\",{}]"));
        Assert.Same(first, NumericUniqueIds.Of(4711));
        Assert.Same(NumericUniqueIds.Of(1), Id("[3,\"1\",{}]"));
        Assert.Same(NumericUniqueIds.Of(65535), Id("[3,\"65535\",{}]"));

        // Not written as FleetSim writes a number from 1 to 65535: read as any string, each time a string of its own.
        foreach (var other in new[] { "65536", "123456", "04711", "0", "-1", "+1", "47 11", "4711a", "a4711", "\\u0034711" })
        {
            var text = Id($"[3,\"{other}\",{{}}]");
            Assert.Equal(other.Replace("\\u0034", "4", StringComparison.Ordinal), text);
            Assert.NotSame(text, Id($"[3,\"{other}\",{{}}]"));
        }
        Assert.Equal("65536", NumericUniqueIds.Of(65536));
        Assert.NotSame(NumericUniqueIds.Of(65536), NumericUniqueIds.Of(65536));
        Assert.Equal("0", NumericUniqueIds.Of(0));
    }

    [Fact]
    public void Threads_that_read_the_same_ids_at_once_all_get_their_digits_and_then_one_shared_string()
    {
        var seen = new string[8][];
        Parallel.For(0, seen.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, thread =>
        {
            var mine = new string[3000];
            for (var id = 1; id <= mine.Length; id++)
            {
                mine[id - 1] = NumericUniqueIds.Of(62_000 + id);
            }
            seen[thread] = mine;
        });
        for (var i = 0; i < 3000; i++)
        {
            var id = 62_001 + i;
            var shared = NumericUniqueIds.Of(id);
            Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), shared);
            Assert.All(seen, thread => Assert.Equal(shared, thread[i]));
            Assert.Same(shared, NumericUniqueIds.Of(id));
        }
    }

    [Fact]
    public void Parses_a_call_error()
    {
        Assert.True(FrameParser.TryParse(Utf8("[4,\"162376037\",\"NotSupported\",\"SetDisplayMessage not implemented\",{\"hint\":1}]"), out var frame, out _));
        Assert.Equal(MessageTypeId.CallError, frame.Type);
        Assert.Equal("162376037", frame.UniqueId);
        Assert.Equal("NotSupported", frame.ErrorCode);
        Assert.Equal("SetDisplayMessage not implemented", frame.ErrorDescription);
        Assert.Equal("{\"hint\":1}", Text(frame.Payload));
    }

    [Theory]
    [InlineData("OccurenceConstraintViolation")]
    [InlineData("OccurrenceConstraintViolation")]
    public void Call_error_codes_accept_both_spellings_of_occurrence(string wire)
    {
        Assert.True(FrameParser.TryParse(Utf8($"[4,\"1\",\"{wire}\",\"\",{{}}]"), out var frame, out _));
        Assert.True(Ocpp16.Messages.Errors.TryParse(frame.ErrorCode, out var code));
        Assert.Equal(OcppErrorCode.OccurrenceConstraintViolation, code);
    }

    [Theory]
    [InlineData("NotImplemented", OcppErrorCode.NotImplemented)]
    [InlineData("NotSupported", OcppErrorCode.NotSupported)]
    [InlineData("InternalError", OcppErrorCode.InternalError)]
    [InlineData("ProtocolError", OcppErrorCode.ProtocolError)]
    [InlineData("SecurityError", OcppErrorCode.SecurityError)]
    [InlineData("FormationViolation", OcppErrorCode.FormatViolation)]
    [InlineData("FormatViolation", OcppErrorCode.FormatViolation)]
    [InlineData("PropertyConstraintViolation", OcppErrorCode.PropertyConstraintViolation)]
    [InlineData("TypeConstraintViolation", OcppErrorCode.TypeConstraintViolation)]
    [InlineData("GenericError", OcppErrorCode.GenericError)]
    public void Every_error_code_parses(string wire, OcppErrorCode expected)
    {
        Assert.True(Ocpp16.Messages.Errors.TryParse(wire, out var code));
        Assert.Equal(expected, code);
    }

    [Fact]
    public void Framework_errors_are_spelled_per_version()
    {
        Assert.True(FrameParser.TryParse(Utf8("[7,\"1\",\"Heartbeat\",{}]"), out _, out var unknownType) is false);
        Assert.True(FrameParser.TryParse(Utf8("{}"), out _, out var notAnArray) is false);
        Assert.Equal(OcppErrorCode.MessageTypeNotSupported, unknownType!.Code);
        Assert.Equal(OcppErrorCode.RpcFrameworkError, notAnArray!.Code);
        Assert.Equal("ProtocolError", OcppErrorDialect.Ocpp16.ToWire(unknownType.Code));
        Assert.Equal("ProtocolError", OcppErrorDialect.Ocpp16.ToWire(notAnArray.Code));
        Assert.Equal("MessageTypeNotSupported", OcppErrorDialect.Ocpp201.ToWire(unknownType.Code));
        Assert.Equal("RpcFrameworkError", OcppErrorDialect.Ocpp201.ToWire(notAnArray.Code));
        Assert.Equal("FormationViolation", OcppErrorDialect.Ocpp16.ToWire(OcppErrorCode.FormatViolation));
        Assert.Equal("FormatViolation", OcppErrorDialect.Ocpp201.ToWire(OcppErrorCode.FormatViolation));
        Assert.Equal("OccurrenceConstraintViolation", OcppErrorDialect.Ocpp201.ToWire(OcppErrorCode.OccurrenceConstraintViolation));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("notsupported")]
    [InlineData("SomethingElse")]
    public void Unknown_error_codes_do_not_parse(string? wire)
        => Assert.False(Ocpp16.Messages.Errors.TryParse(wire, out _));

    [Fact]
    public void Writes_the_1_6_spelling()
        => Assert.Equal("[4,\"7\",\"OccurenceConstraintViolation\",\"idTag: is required\",{}]",
            Text(OcppCodec.EncodeCallError(Ocpp16.Messages.Errors, "7", OcppErrorCode.OccurrenceConstraintViolation, "idTag: is required")));

    [Fact]
    public void Writes_call_and_call_result_frames()
    {
        var heartbeat = Ocpp16.Messages.Of<HeartbeatRequest>();
        Assert.Equal("[2,\"hb-1\",\"Heartbeat\",{}]", Text(OcppCodec.EncodeCall("hb-1", heartbeat, new HeartbeatRequest())));
        Assert.Equal("[3,\"hb-1\",{\"currentTime\":\"2026-11-24T10:15:30.250Z\"}]",
            Text(OcppCodec.EncodeCallResult("hb-1", heartbeat, new HeartbeatResponse { CurrentTime = Samples.Now })));
        var authorize = Ocpp16.Messages.Of<AuthorizeRequest>();
        Assert.Equal("[2,\"a\",\"Authorize\",{\"idTag\":\"04A2\"}]", Text(OcppCodec.EncodeCall("a", authorize, new AuthorizeRequest { IdTag = "04A2" })));
    }

    [Fact]
    public void Writers_escape_strings_and_reuse_the_buffer_writer()
    {
        var buffer = new ArrayBufferWriter<byte>();
        OcppCodec.WriteCallError(buffer, Ocpp16.Messages.Errors, "id\"1", OcppErrorCode.GenericError, "line\nbreak \u00e9");
        Assert.True(FrameParser.TryParse(buffer.WrittenMemory, out var frame, out _));
        Assert.Equal("id\"1", frame.UniqueId);
        Assert.Equal("line\nbreak \u00e9", frame.ErrorDescription);

        buffer.ResetWrittenCount();
        OcppCodec.WriteCall(buffer, "2", Ocpp16.Messages.Of<HeartbeatRequest>(), new HeartbeatRequest());
        Assert.Equal("[2,\"2\",\"Heartbeat\",{}]", Text(buffer.WrittenMemory));
    }

    [Fact]
    public void Encoded_frames_are_their_own_arrays_whatever_their_size()
    {
        // The encoder writes into one scratch buffer per thread: each frame must be a copy of exactly its bytes, a frame
        // larger than the scratch buffer must come out whole, and the frames before and after it must be untouched.
        var dataTransfer = Ocpp16.Messages.Of<DataTransferRequest>();
        var heartbeat = Ocpp16.Messages.Of<HeartbeatRequest>();
        var first = OcppCodec.EncodeCall("1", heartbeat, new HeartbeatRequest());
        var data = string.Create(300_000, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + i % 26);
            }
        });
        var large = OcppCodec.EncodeCall("2", dataTransfer, new DataTransferRequest { VendorId = "v", Data = data });
        var after = OcppCodec.EncodeCallResult("3", heartbeat, new HeartbeatResponse { CurrentTime = Samples.Now });
        var error = OcppCodec.EncodeCallError(Ocpp16.Messages.Errors, "4", OcppErrorCode.GenericError, "x");

        Assert.Equal("[2,\"1\",\"Heartbeat\",{}]", Text(first));
        Assert.Equal($"[2,\"2\",\"DataTransfer\",{{\"vendorId\":\"v\",\"data\":\"{data}\"}}]", Text(large));
        Assert.Equal("[3,\"3\",{\"currentTime\":\"2026-11-24T10:15:30.250Z\"}]", Text(after));
        Assert.Equal("[4,\"4\",\"GenericError\",\"x\",{}]", Text(error));
        Assert.NotSame(first, OcppCodec.EncodeCall("1", heartbeat, new HeartbeatRequest()));
    }

    [Fact]
    public void Unique_id_of_36_characters_is_accepted_and_37_refused()
    {
        var id36 = new string('a', 36);
        Assert.True(FrameParser.TryParse(Utf8($"[2,\"{id36}\",\"Heartbeat\",{{}}]"), out var ok, out _));
        Assert.Equal(id36, ok.UniqueId);

        var id37 = new string('b', 37);
        Assert.False(FrameParser.TryParse(Utf8($"[2,\"{id37}\",\"Heartbeat\",{{}}]"), out _, out var error));
        Assert.Equal("ProtocolError", Ocpp16.Messages.Errors.ToWire(error!.Code));
        Assert.Null(error.UniqueId);   // not an id to answer with
        Assert.Equal(MessageTypeId.Call, error.Type);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{}")]
    [InlineData("\"[2,\\\"1\\\",\\\"Heartbeat\\\",{}]\"")]
    [InlineData("[]")]
    [InlineData("[2]")]
    [InlineData("[1,\"1\",\"Heartbeat\",{}]")]
    [InlineData("[5,\"1\",{}]")]
    [InlineData("[\"2\",\"1\",\"Heartbeat\",{}]")]
    [InlineData("[2.0,\"1\",\"Heartbeat\",{}]")]
    [InlineData("[2,1,\"Heartbeat\",{}]")]
    [InlineData("[2,\"\",\"Heartbeat\",{}]")]
    [InlineData("[2,\"1\",7,{}]")]
    [InlineData("[2,\"1\",\"Heartbeat\",{},{}]")]
    [InlineData("[2,\"1\",\"Heartbeat\",{}] []")]
    [InlineData("[2,\"1\",\"Heartbeat\",{}")]
    [InlineData("[2,\"1\",\"Heartbeat\",{\"a\":}]")]
    [InlineData("[2,\"1\",\"Heartbeat\",{},]")]
    [InlineData("[3,\"1\",{},1]")]
    [InlineData("[4,\"1\",\"GenericError\",{}]")]
    [InlineData("[4,\"1\",\"GenericError\",\"d\"]")]
    [InlineData("[4,\"1\",\"GenericError\",\"d\",{},\"x\"]")]
    [InlineData("[4,\"1\",5,\"d\",{}]")]
    public void Broken_frames_are_protocol_errors(string text)
    {
        Assert.False(FrameParser.TryParse(Utf8(text), out _, out var error));
        Assert.NotNull(error);
        Assert.Equal("ProtocolError", Ocpp16.Messages.Errors.ToWire(error.Code));
        Assert.False(string.IsNullOrEmpty(error.Description));
    }

    [Theory]
    [InlineData("[2,\"1\",\"Heartbeat\",[]]")]
    [InlineData("[2,\"1\",\"Heartbeat\",null]")]
    [InlineData("[2,\"1\",\"Heartbeat\"]")]
    [InlineData("[3,\"1\",\"ok\"]")]
    [InlineData("[3,\"1\"]")]
    public void A_call_or_result_whose_payload_is_not_an_object_is_refused_with_its_id(string text)
    {
        Assert.False(FrameParser.TryParse(Utf8(text), out _, out var error));
        Assert.Equal("1", error!.UniqueId);
        Assert.Equal(OcppErrorCode.FormatViolation, error.Code);
    }

    [Fact]
    public void Invalid_utf8_is_a_protocol_error()
    {
        byte[] frame = [.. "[2,\""u8, 0xC3, 0x28, .. "\",\"Heartbeat\",{}]"u8];
        Assert.False(FrameParser.TryParse(frame, out _, out var error));
        Assert.Equal("ProtocolError", Ocpp16.Messages.Errors.ToWire(error!.Code));
    }

    [Fact]
    public void A_broken_frame_keeps_the_unique_id_when_it_was_read()
    {
        Assert.False(FrameParser.TryParse(Utf8("[2,\"abc\",\"Heartbeat\",{}"), out _, out var error));
        Assert.Equal("abc", error!.UniqueId);
        Assert.Equal(MessageTypeId.Call, error.Type);
    }
}
