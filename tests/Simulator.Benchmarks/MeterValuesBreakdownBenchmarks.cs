using Simulator.Ocpp.V16;
using System.Buffers;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Simulator.Ocpp;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Validation;

namespace Simulator.Benchmarks;

/// <summary>The stages of <see cref="CodecBenchmarks.MeterValuesParseValidateSerialize"/> one by one, to see which one costs.</summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class MeterValuesBreakdownBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly ActionDescriptor _meterValues = Ocpp16.Messages.Of<MeterValuesRequest>();
    private byte[] _frame = [];
    private ReadOnlyMemory<byte> _payload;
    private MeterValuesRequest _request = null!;

    [GlobalSetup]
    public void Setup()
    {
        var whole = new CodecBenchmarks();
        whole.Setup();
        _frame = whole.MeterValuesFrame;
        if (!FrameParser.TryParse(_frame, out var frame, out _) || !OcppCodec.TryDecode<MeterValuesRequest>(frame.Payload, Ocpp16.Messages, out var request, out _))
        {
            throw new InvalidOperationException("valid frame refused");
        }
        _payload = frame.Payload;
        _request = request!;
    }

    [Benchmark]
    public int ParseFrame() => FrameParser.TryParse(_frame, out var frame, out _) ? frame.Payload.Length : 0;

    /// <summary>As <see cref="OcppCodec.TryDecode(ReadOnlyMemory{byte}, System.Text.Json.Serialization.Metadata.JsonTypeInfo, out IOcppValidatable?, out PayloadViolation?)"/> reads a valid payload, without the validation.</summary>
    [Benchmark]
    public object? Deserialize() => JsonSerializer.Deserialize(_payload.Span, _meterValues.RequestInfo);

    [Benchmark]
    public bool Validate() => PayloadChecker.Check(_request) is null;

    [Benchmark]
    public int Serialize()
    {
        _output.ResetWrittenCount();
        OcppCodec.WriteCall(_output, "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b", _meterValues, _request);
        return _output.WrittenCount;
    }
}
