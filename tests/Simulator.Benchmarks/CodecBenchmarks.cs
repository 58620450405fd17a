using Simulator.Ocpp.V16;
using System.Buffers;
using BenchmarkDotNet.Attributes;
using Simulator.Ocpp;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Benchmarks;

/// <summary>The protocol hot path of a charge point or CSMS actor: frames in, typed and validated messages, frames out.</summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class CodecBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 15, 30, 250, TimeSpan.Zero);

    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private readonly ArrayBufferWriter<byte> _reply = new(1024);
    private readonly ActionDescriptor _meterValues = Ocpp16.Messages.Of<MeterValuesRequest>();
    private readonly ActionDescriptor _heartbeat = Ocpp16.Messages.Of<HeartbeatRequest>();
    private readonly HeartbeatRequest _heartbeatRequest = new();
    private readonly HeartbeatResponse _heartbeatResponse = new() { CurrentTime = Now };
    private byte[] _meterValuesFrame = [];

    /// <summary>The encoded MeterValues CALL the benchmark parses, for the stage-by-stage breakdown.</summary>
    public byte[] MeterValuesFrame => _meterValuesFrame;

    [GlobalSetup]
    public void Setup()
    {
        SampledValue[] values =
        [
            new() { Value = "15234.5", Context = ReadingContext.SampleClock, Format = ValueFormat.Raw, Measurand = Measurand.EnergyActiveImportRegister, Location = Location.Outlet, Unit = UnitOfMeasure.Wh },
            new() { Value = "11.04", Context = ReadingContext.SampleClock, Measurand = Measurand.PowerActiveImport, Unit = UnitOfMeasure.KW },
            new() { Value = "16.0", Context = ReadingContext.SampleClock, Measurand = Measurand.CurrentImport, Phase = Phase.L1, Unit = UnitOfMeasure.A },
            new() { Value = "15.9", Context = ReadingContext.SampleClock, Measurand = Measurand.CurrentImport, Phase = Phase.L2, Unit = UnitOfMeasure.A },
            new() { Value = "16.1", Context = ReadingContext.SampleClock, Measurand = Measurand.CurrentImport, Phase = Phase.L3, Unit = UnitOfMeasure.A },
            new() { Value = "230.2", Context = ReadingContext.SampleClock, Measurand = Measurand.Voltage, Phase = Phase.L1N, Unit = UnitOfMeasure.V },
            new() { Value = "229.8", Context = ReadingContext.SampleClock, Measurand = Measurand.Voltage, Phase = Phase.L2N, Unit = UnitOfMeasure.V },
            new() { Value = "231.0", Context = ReadingContext.SampleClock, Measurand = Measurand.Voltage, Phase = Phase.L3N, Unit = UnitOfMeasure.V },
            new() { Value = "54", Context = ReadingContext.SampleClock, Measurand = Measurand.SoC, Location = Location.EV, Unit = UnitOfMeasure.Percent },
            new() { Value = "38.5", Context = ReadingContext.SampleClock, Measurand = Measurand.Temperature, Location = Location.Body, Unit = UnitOfMeasure.Celsius },
        ];
        var request = new MeterValuesRequest { ConnectorId = 1, TransactionId = 4711, MeterValue = [new MeterValue { Timestamp = Now, SampledValue = values }] };
        _meterValuesFrame = OcppCodec.EncodeCall("3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b", _meterValues, request);
        if (MeterValuesParseValidateSerialize() != _meterValuesFrame.Length || HeartbeatRoundTrip() == 0)
        {
            throw new InvalidOperationException("the benchmark does not reproduce its input");
        }
    }

    /// <summary>A MeterValues CALL with 10 sampled values: parse the frame, decode and validate the payload, write the CALL again.</summary>
    [Benchmark]
    public int MeterValuesParseValidateSerialize()
    {
        if (!FrameParser.TryParse(_meterValuesFrame, out var frame, out _)
            || !OcppCodec.TryDecode(frame.Payload, _meterValues.RequestInfo, out var message, out _))
        {
            throw new InvalidOperationException("valid frame refused");
        }
        _output.ResetWrittenCount();
        OcppCodec.WriteCall(_output, frame.UniqueId, _meterValues, (IOcppRequest)message!);
        return _output.WrittenCount;
    }

    /// <summary>Heartbeat both ways: write the CALL, parse and decode it, write the CALLRESULT, parse and decode that.</summary>
    [Benchmark]
    public int HeartbeatRoundTrip()
    {
        _output.ResetWrittenCount();
        OcppCodec.WriteCall(_output, "hb-000001", _heartbeat, _heartbeatRequest);
        if (!FrameParser.TryParse(_output.WrittenMemory, out var call, out _)
            || !OcppCodec.TryDecode(call.Payload, _heartbeat.RequestInfo, out _, out _))
        {
            throw new InvalidOperationException("valid call refused");
        }
        _reply.ResetWrittenCount();
        OcppCodec.WriteCallResult(_reply, call.UniqueId, _heartbeat, _heartbeatResponse);
        if (!FrameParser.TryParse(_reply.WrittenMemory, out var result, out _)
            || !OcppCodec.TryDecode(result.Payload, _heartbeat.ResponseInfo, out var response, out _))
        {
            throw new InvalidOperationException("valid result refused");
        }
        return ((HeartbeatResponse)response!).CurrentTime.Second;
    }
}
