using System.Buffers;
using BenchmarkDotNet.Attributes;
using Simulator.Ocpp;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16;
using Simulator.Ocpp.V201;
using M16 = Simulator.Ocpp.V16.Core;
using M201 = Simulator.Ocpp.V201;
using T16 = Simulator.Ocpp.V16.Types;
using T201 = Simulator.Ocpp.V201.Types;

namespace Simulator.Benchmarks;

/// <summary>
/// The hot messages of 1.6 and 2.0.1 side by side, each both ways as the two ends of a connection handle it: write the
/// CALL, parse and decode (validate) it, write the CALLRESULT, parse and decode that. The meter-value carriers (1.6
/// MeterValues, 2.0.1 TransactionEvent Updated and MeterValues) hold the same 10 sampled values.
/// </summary>
[MemoryDiagnoser]
[MinColumn, MedianColumn]
public class VersionCodecBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 10, 15, 30, 250, TimeSpan.Zero);

    private readonly ArrayBufferWriter<byte> _call = new(4096);
    private readonly ArrayBufferWriter<byte> _result = new(1024);
    private MessageCase _message = null!;

    public sealed record MessageCase(string Name, ActionDescriptor Action, IOcppRequest Request, IOcppResponse Response)
    {
        public override string ToString() => Name;
    }

    [ParamsSource(nameof(Cases))]
    public string Message { get; set; } = "";

    public static IEnumerable<string> Cases => All.Select(c => c.Name);

    public static IReadOnlyList<MessageCase> All { get; } = Build();

    [GlobalSetup]
    public void Setup()
    {
        _message = All.Single(c => c.Name == Message);
        if (RoundTrip() == 0)
        {
            throw new InvalidOperationException("the benchmark does not reproduce its input");
        }
    }

    [Benchmark]
    public int RoundTrip()
    {
        _call.ResetWrittenCount();
        OcppCodec.WriteCall(_call, "3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b", _message.Action, _message.Request);
        if (!FrameParser.TryParse(_call.WrittenMemory, out var call, out _))
        {
            throw new InvalidOperationException("valid call frame refused");
        }
        if (!OcppCodec.TryDecode(call.Payload, _message.Action.RequestInfo, out _, out var violation))
        {
            throw new InvalidOperationException($"valid call refused: {violation?.Description}");
        }
        _result.ResetWrittenCount();
        OcppCodec.WriteCallResult(_result, call.UniqueId, _message.Action, _message.Response);
        if (!FrameParser.TryParse(_result.WrittenMemory, out var result, out _))
        {
            throw new InvalidOperationException("valid result frame refused");
        }
        if (!OcppCodec.TryDecode(result.Payload, _message.Action.ResponseInfo, out _, out var resultViolation))
        {
            throw new InvalidOperationException($"valid result refused: {resultViolation?.Description}");
        }
        return _call.WrittenCount + _result.WrittenCount;
    }

    private static IReadOnlyList<MessageCase> Build()
    {
        T16.SampledValue[] values16 =
        [
            new() { Value = "15234.5", Context = T16.ReadingContext.SamplePeriodic, Measurand = T16.Measurand.EnergyActiveImportRegister, Location = T16.Location.Outlet, Unit = T16.UnitOfMeasure.Wh },
            new() { Value = "11040", Context = T16.ReadingContext.SamplePeriodic, Measurand = T16.Measurand.PowerActiveImport, Unit = T16.UnitOfMeasure.W },
            new() { Value = "16.0", Context = T16.ReadingContext.SamplePeriodic, Measurand = T16.Measurand.CurrentImport, Phase = T16.Phase.L1, Unit = T16.UnitOfMeasure.A },
            new() { Value = "15.9", Context = T16.ReadingContext.SamplePeriodic, Measurand = T16.Measurand.CurrentImport, Phase = T16.Phase.L2, Unit = T16.UnitOfMeasure.A },
            new() { Value = "16.1", Context = T16.ReadingContext.SamplePeriodic, Measurand = T16.Measurand.CurrentImport, Phase = T16.Phase.L3, Unit = T16.UnitOfMeasure.A },
            new() { Value = "230.2", Context = T16.ReadingContext.SamplePeriodic, Measurand = T16.Measurand.Voltage, Phase = T16.Phase.L1N, Unit = T16.UnitOfMeasure.V },
            new() { Value = "229.8", Context = T16.ReadingContext.SamplePeriodic, Measurand = T16.Measurand.Voltage, Phase = T16.Phase.L2N, Unit = T16.UnitOfMeasure.V },
            new() { Value = "231.0", Context = T16.ReadingContext.SamplePeriodic, Measurand = T16.Measurand.Voltage, Phase = T16.Phase.L3N, Unit = T16.UnitOfMeasure.V },
            new() { Value = "54", Context = T16.ReadingContext.SamplePeriodic, Measurand = T16.Measurand.SoC, Location = T16.Location.EV, Unit = T16.UnitOfMeasure.Percent },
            new() { Value = "38.5", Context = T16.ReadingContext.SamplePeriodic, Measurand = T16.Measurand.Temperature, Location = T16.Location.Body, Unit = T16.UnitOfMeasure.Celsius },
        ];
        T201.SampledValue[] values201 =
        [
            new() { Value = 15234.5m, Context = T201.ReadingContext.SamplePeriodic, Measurand = T201.Measurand.EnergyActiveImportRegister, Location = T201.Location.Outlet, UnitOfMeasure = new() { Unit = "Wh" } },
            new() { Value = 11040m, Context = T201.ReadingContext.SamplePeriodic, Measurand = T201.Measurand.PowerActiveImport, UnitOfMeasure = new() { Unit = "W" } },
            new() { Value = 16.0m, Context = T201.ReadingContext.SamplePeriodic, Measurand = T201.Measurand.CurrentImport, Phase = T201.Phase.L1, UnitOfMeasure = new() { Unit = "A" } },
            new() { Value = 15.9m, Context = T201.ReadingContext.SamplePeriodic, Measurand = T201.Measurand.CurrentImport, Phase = T201.Phase.L2, UnitOfMeasure = new() { Unit = "A" } },
            new() { Value = 16.1m, Context = T201.ReadingContext.SamplePeriodic, Measurand = T201.Measurand.CurrentImport, Phase = T201.Phase.L3, UnitOfMeasure = new() { Unit = "A" } },
            new() { Value = 230.2m, Context = T201.ReadingContext.SamplePeriodic, Measurand = T201.Measurand.Voltage, Phase = T201.Phase.L1N, UnitOfMeasure = new() { Unit = "V" } },
            new() { Value = 229.8m, Context = T201.ReadingContext.SamplePeriodic, Measurand = T201.Measurand.Voltage, Phase = T201.Phase.L2N, UnitOfMeasure = new() { Unit = "V" } },
            new() { Value = 231.0m, Context = T201.ReadingContext.SamplePeriodic, Measurand = T201.Measurand.Voltage, Phase = T201.Phase.L3N, UnitOfMeasure = new() { Unit = "V" } },
            new() { Value = 54m, Context = T201.ReadingContext.SamplePeriodic, Measurand = T201.Measurand.SoC, Location = T201.Location.EV, UnitOfMeasure = new() { Unit = "Percent" } },
            new() { Value = 38.5m, Context = T201.ReadingContext.SamplePeriodic, Measurand = T201.Measurand.Voltage, Location = T201.Location.Body, UnitOfMeasure = new() { Unit = "Celsius" } },
        ];
        return
        [
            new("1.6 MeterValues", Ocpp16.Messages.Of<M16.MeterValuesRequest>(),
                new M16.MeterValuesRequest { ConnectorId = 1, TransactionId = 4711, MeterValue = [new T16.MeterValue { Timestamp = Now, SampledValue = values16 }] },
                new M16.MeterValuesResponse()),
            new("1.6 StatusNotification", Ocpp16.Messages.Of<M16.StatusNotificationRequest>(),
                new M16.StatusNotificationRequest { ConnectorId = 1, ErrorCode = T16.ChargePointErrorCode.NoError, Status = T16.ChargePointStatus.Charging, Timestamp = Now },
                new M16.StatusNotificationResponse()),
            new("1.6 Heartbeat", Ocpp16.Messages.Of<M16.HeartbeatRequest>(), new M16.HeartbeatRequest(), new M16.HeartbeatResponse { CurrentTime = Now }),
            new("2.0.1 TransactionEvent", Ocpp201.Messages.Of<M201.Transactions.TransactionEventRequest>(),
                new M201.Transactions.TransactionEventRequest
                {
                    EventType = M201.Transactions.TransactionEventKind.Updated,
                    Timestamp = Now,
                    TriggerReason = M201.Transactions.TriggerReason.MeterValuePeriodic,
                    SeqNo = 3,
                    TransactionInfo = new M201.Transactions.Transaction { TransactionId = "19b0a4c2f3e-5a1f9e0d-1", ChargingState = M201.Transactions.ChargingState.Charging },
                    MeterValue = [new T201.MeterValue { Timestamp = Now, SampledValue = values201 }],
                },
                new M201.Transactions.TransactionEventResponse()),
            new("2.0.1 TransactionEvent Started", Ocpp201.Messages.Of<M201.Transactions.TransactionEventRequest>(),
                new M201.Transactions.TransactionEventRequest
                {
                    EventType = M201.Transactions.TransactionEventKind.Started,
                    Timestamp = Now,
                    TriggerReason = M201.Transactions.TriggerReason.Authorized,
                    SeqNo = 0,
                    NumberOfPhasesUsed = 3,
                    TransactionInfo = new M201.Transactions.Transaction { TransactionId = "19b0a4c2f3e-5a1f9e0d-1", ChargingState = M201.Transactions.ChargingState.Charging },
                    Evse = new T201.Evse { Id = 1, ConnectorId = 1 },
                    IdToken = new T201.IdToken { Token = "04A1B2C3D4E5F6", Type = T201.IdTokenKind.ISO14443 },
                    MeterValue = [new T201.MeterValue { Timestamp = Now, SampledValue = [values201[0] with { Context = T201.ReadingContext.TransactionBegin }] }],
                },
                new M201.Transactions.TransactionEventResponse { IdTokenInfo = new T201.IdTokenInfo { Status = T201.AuthorizationStatus.Accepted } }),
            new("2.0.1 MeterValues", Ocpp201.Messages.Of<M201.MeterValues.MeterValuesRequest>(),
                new M201.MeterValues.MeterValuesRequest { EvseId = 1, MeterValue = [new T201.MeterValue { Timestamp = Now, SampledValue = values201 }] },
                new M201.MeterValues.MeterValuesResponse()),
            new("2.0.1 StatusNotification", Ocpp201.Messages.Of<M201.Availability.StatusNotificationRequest>(),
                new M201.Availability.StatusNotificationRequest { Timestamp = Now, ConnectorStatus = M201.Availability.ConnectorStatus.Occupied, EvseId = 1, ConnectorId = 1 },
                new M201.Availability.StatusNotificationResponse()),
            new("2.0.1 Heartbeat", Ocpp201.Messages.Of<M201.Availability.HeartbeatRequest>(), new M201.Availability.HeartbeatRequest(), new M201.Availability.HeartbeatResponse { CurrentTime = Now }),
        ];
    }
}
