using System.Diagnostics;
using System.Globalization;
using System.Net;
using RawFloor;
using Simulator.Transport;

// raw-floor --url ws://127.0.0.1:PORT/ --count N --duration 100s --variant a|b|c
// The peer mix's traffic (tests/benchmarks/peer-mix.yaml as FleetSim plays it) with nothing but sockets and timers, to measure
// the floor under FleetSim's CPU per CALL (tests/benchmarks/raw-floor.sh):
//   a  ClientWebSocket (one shared SocketsHttpHandler), one Task per charge point sleeping with Task.Delay
//   b  ClientWebSocket, all due times on one timer thread (one heap, as FleetSim's DueTimers) that posts to the thread pool
//   c  FleetSim's transport (Simulator.Transport WebSocketConnector/WebSocketConnection) with b's timer thread
// All charge points connect at once. At the end it prints one JSON line to stdout ("end": unix seconds when the schedule
// (and the drain) ended, counters, timer lag) and exits.
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal))
    {
        return Usage($"unexpected argument '{args[i]}'");
    }
    options[args[i][2..]] = args[i + 1];
}
if (args.Length % 2 != 0)
{
    return Usage($"'{args[^1]}' has no value");
}
if (!options.TryGetValue("url", out var url) || !Uri.TryCreate(url, UriKind.Absolute, out var baseUri) || baseUri.Scheme != "ws")
{
    return Usage("--url must be a ws:// URL");
}
if (!options.TryGetValue("count", out var countText) || !int.TryParse(countText, CultureInfo.InvariantCulture, out var count) || count <= 0)
{
    return Usage("--count must be a positive number");
}
var durationText = options.GetValueOrDefault("duration", "100s").TrimEnd('s');
if (!double.TryParse(durationText, CultureInfo.InvariantCulture, out var durationSeconds) || durationSeconds <= 0)
{
    return Usage("--duration must be seconds, e.g. 100s");
}
var variant = options.GetValueOrDefault("variant", "c");
if (variant is not ("a" or "b" or "c"))
{
    return Usage("--variant must be a, b or c");
}
if (!baseUri.AbsolutePath.EndsWith('/'))
{
    baseUri = new Uri(baseUri + "/");
}

var start = Stopwatch.GetTimestamp();
var clock = new RunClock(start + MixPlan.Ticks(durationSeconds), count);
ThreadPool.GetMinThreads(out var minWorkers, out _);
Console.Error.WriteLine($"raw-floor: variant {variant}, {count} charge points against {baseUri} for {durationSeconds} s " +
    $"(GC server {System.Runtime.GCSettings.IsServerGC}, latency mode {System.Runtime.GCSettings.LatencyMode}, min workers {minWorkers})");

var starts = new List<Task>(count);
var aborts = new List<Action>(count);
TimerHeap? timers = variant is "b" or "c" ? new TimerHeap() : null;
using var handler = new SocketsHttpHandler { UseProxy = false, UseCookies = false, MaxConnectionsPerServer = int.MaxValue };
using var invoker = new HttpMessageInvoker(handler);
var connector = new WebSocketConnector(new ConnectionSettings(baseUri) { Subprotocol = "ocpp1.6" });
for (var i = 1; i <= count; i++)
{
    var id = "PEER-" + i.ToString("D5", CultureInfo.InvariantCulture);
    switch (variant)
    {
        case "a":
            var delayed = new DelayChargePoint(invoker, baseUri, id, i, clock);
            starts.Add(delayed.RunAsync());
            aborts.Add(delayed.Abort);
            break;
        case "b":
            var heaped = new HeapClientWebSocketChargePoint(invoker, baseUri, id, i, clock, timers!);
            starts.Add(heaped.StartAsync());
            aborts.Add(heaped.Abort);
            break;
        default:
            var transport = new TransportChargePoint(connector, id, i, clock, timers!);
            starts.Add(transport.StartAsync());
            aborts.Add(transport.Abort);
            break;
    }
}

// Every charge point drains at the deadline (stops its transactions, frees its connectors, closes), as FleetSim's run does
// before its report's end; "end" is when the last one has closed (or 30 s after the deadline).
var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), clock.Deadline);
await Task.WhenAny(clock.AllDone, Task.Delay(remaining + TimeSpan.FromSeconds(30))).ConfigureAwait(false);
var drained = clock.AllDone.IsCompleted;
var end = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{{\"end\":{end:F3},\"variant\":\"{variant}\",\"count\":{count},\"connected\":{Stats.Connected},\"connectFailed\":{Stats.ConnectFailed}," +
    $"\"booted\":{Stats.Booted},\"calls\":{Stats.Calls},\"answers\":{Stats.Answers},\"badAnswers\":{Stats.BadAnswers},\"closed\":{Stats.Closed},\"broken\":{Stats.Broken}," +
    $"\"timerLagP50Ms\":{Stats.LagPercentileMs(50):F1},\"timerLagP99Ms\":{Stats.LagPercentileMs(99):F1},\"drained\":{(drained ? "true" : "false")}}}"));
foreach (var abort in aborts)
{
    abort();
}
return 0;

static int Usage(string problem)
{
    Console.Error.WriteLine($"raw-floor: {problem}");
    Console.Error.WriteLine("usage: raw-floor --url ws://127.0.0.1:PORT/ --count N [--duration 100s] [--variant a|b|c]");
    return 2;
}
