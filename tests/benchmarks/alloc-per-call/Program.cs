// alloc-per-call [SECONDS] [MEASURANDS]: drives one OCPP 1.6 charge point of tests/benchmarks/peer-rate.yaml (one connector,
// a MeterValues every second while charging, register only) the way ChargePointActor does - model.Advance, TryTakeOutbound,
// RpcEndpoint.Call, the frame taken, the CSMS's answer parsed by RpcEndpoint.Receive, model.OnAnswered - on a fake clock, and
// prints the bytes this thread allocated per CALL in each step after a 60 s warm-up (GC.GetAllocatedBytesForCurrentThread,
// exact). Not counted: the actor's Inbound and the transport's frame array (about 80 B per answer). With a single endpoint
// every answer's id is new, so the shared id strings (NumericUniqueIds) cost here what a fleet's charge points share.
// Run: dotnet run -c Release --project tests/benchmarks/alloc-per-call [-- 600 "Energy.Active.Import.Register,Power.Active.Import"]
using System.Buffers;
using System.Globalization;
using System.Text;
using Simulator.ChargePoint;
using Simulator.ChargePoint.Metering;
using Simulator.Ocpp.Rpc;

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 600;
var clock = new SteppedClock(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero));
var model = ChargingStations.Create("1.6", new ChargePointOptions
{
    ChargeBoxId = "RATE-00001",
    Connectors = 1,
    ConfigurationOverrides = new Dictionary<string, string>
    {
        ["HeartbeatInterval"] = "300",
        ["MeterValueSampleInterval"] = "1",
        ["MeterValuesSampledData"] = args.Length > 1 ? args[1] : "Energy.Active.Import.Register",
    },
}, clock, new Random(1));
var rpc = new RpcEndpoint(model.Messages, RpcRole.ChargePoint, clock, TimeSpan.FromSeconds(30));
string[] steps = ["model.Advance", "model.TryTakeOutbound", "rpc.Call", "rpc.TryTakeOutgoingRented", "rpc.Receive", "model.OnAnswered", "produced, signals, NextDueAt"];
var bytes = new long[steps.Length];
var buffer = new byte[1024];
long calls = 0, nextId = 0, transactionId = 0;
var measuring = false;

model.OnConnected();
Pump();
model.PlugIn(1, new EvSpec(1_000_000, 0.01, 11_000, 500_000));
model.PresentIdTag(1, "TAG00001");
Pump();
for (var s = 0; s < seconds; s++)
{
    measuring = s >= 60;
    var before = Mark();
    var due = model.NextDueAt ?? throw new InvalidOperationException("nothing due: the session ended");
    Add(6, before);
    clock.Now = due;
    Pump();
}
var total = bytes.Sum();
Console.WriteLine($"{calls} CALLs measured: {(double)total / calls:0.0} B allocated per CALL");
for (var i = 0; i < steps.Length; i++)
{
    Console.WriteLine($"  {steps[i],-28} {(double)bytes[i] / calls,7:0.0} B per CALL");
}

void Pump()
{
    var before = Mark();
    model.Advance();
    Add(0, before);
    Drain();
    while (true)
    {
        before = Mark();
        var taken = model.TryTakeOutbound(out var message);
        Add(1, before);
        if (!taken)
        {
            break;
        }
        before = Mark();
        rpc.Call(message.Request, message, message.ScheduledFor is null ? null : clock.GetTimestamp());
        Add(2, before);
        TakeFrames();
        var action = rpc.InFlight!.Action.Name;
        var length = Answer(++nextId, action);
        if (measuring)
        {
            calls++;
        }
        before = Mark();
        var answer = rpc.Receive(new ReadOnlyMemory<byte>(buffer, 0, length), clock.GetTimestamp());
        Add(4, before);
        var answered = answer as CallAnswered ?? throw new InvalidOperationException($"{action}: {answer}");
        before = Mark();
        model.OnAnswered((OutboundMessage)answered.Call.Tag!, answered.Response);
        Add(5, before);
        Drain();
    }
    TakeFrames();
}

void TakeFrames()
{
    var before = Mark();
    while (rpc.TryTakeOutgoingRented(out var frame))
    {
        ArrayPool<byte>.Shared.Return(frame.Array!);
    }
    Add(3, before);
}

void Drain()
{
    var before = Mark();
    while (model.TryTakeProduced(out _))
    {
    }
    while (model.TryTakeSignal(out _))
    {
    }
    Add(6, before);
}

// The CSMS's CALLRESULT, written into the reused buffer (not counted).
int Answer(long id, string action)
{
    var payload = action switch
    {
        "BootNotification" => "{\"status\":\"Accepted\",\"currentTime\":\"2026-03-01T10:00:00Z\",\"interval\":300}",
        "Heartbeat" => "{\"currentTime\":\"2026-03-01T10:00:00Z\"}",
        "Authorize" => "{\"idTagInfo\":{\"status\":\"Accepted\"}}",
        "StartTransaction" => "{\"transactionId\":" + (++transactionId).ToString(CultureInfo.InvariantCulture) + ",\"idTagInfo\":{\"status\":\"Accepted\"}}",
        _ => "{}",
    };
    var length = Encoding.UTF8.GetBytes("[3,\"", buffer);
    id.TryFormat(buffer.AsSpan(length), out var digits, default, CultureInfo.InvariantCulture);
    length += digits;
    length += Encoding.UTF8.GetBytes("\",", buffer.AsSpan(length));
    length += Encoding.UTF8.GetBytes(payload, buffer.AsSpan(length));
    buffer[length++] = (byte)']';
    return length;
}

static long Mark() => GC.GetAllocatedBytesForCurrentThread();

void Add(int step, long before)
{
    if (measuring)
    {
        bytes[step] += GC.GetAllocatedBytesForCurrentThread() - before;
    }
}

internal sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public override long GetTimestamp() => Now.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;
}
