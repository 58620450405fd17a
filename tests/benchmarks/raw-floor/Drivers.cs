using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using Simulator.Transport;

namespace RawFloor;

/// <summary>Counters of the whole run, updated from any thread.</summary>
internal static class Stats
{
    public static long Connected;
    public static long ConnectFailed;
    public static long Booted;
    public static long Calls;
    public static long Answers;
    public static long BadAnswers;
    public static long Closed;
    public static long Broken;   // connections that ended before the drain

    // Timer lag (fired - due) in 0.1 ms buckets up to 100 ms, the last one for everything later.
    private static readonly long[] LagBuckets = new long[1001];

    public static void RecordLag(long due, long fired)
    {
        var tenths = (fired - due) * 10_000 / Stopwatch.Frequency;
        Interlocked.Increment(ref LagBuckets[Math.Clamp(tenths, 0, LagBuckets.Length - 1)]);
    }

    public static double LagPercentileMs(double p)
    {
        var total = LagBuckets.Sum();
        if (total == 0)
        {
            return double.NaN;
        }
        var rank = (long)Math.Ceiling(p / 100 * total);
        long seen = 0;
        for (var i = 0; i < LagBuckets.Length; i++)
        {
            seen += LagBuckets[i];
            if (seen >= rank)
            {
                return i / 10.0;
            }
        }
        return 100;
    }
}

/// <summary>The run's end (nothing is scheduled after it: the drain is due then) and the charge points still running.</summary>
internal sealed class RunClock(long deadline, int chargePoints)
{
    private readonly TaskCompletionSource _allDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _running = chargePoints;

    public long Deadline { get; } = deadline;

    /// <summary>Every charge point has drained and closed, or failed.</summary>
    public Task AllDone => _allDone.Task;

    /// <summary>Called once per charge point.</summary>
    public void Done()
    {
        if (Interlocked.Decrement(ref _running) == 0)
        {
            _allDone.TrySetResult();
        }
    }

    public long Due(long due) => Math.Min(due, Deadline);
}

/// <summary>
/// All due times of all charge points on one heap and one thread, as FleetSim's DueTimers: the thread sleeps to the earliest
/// due time (Monitor.Wait) and hands what is due to the thread pool. Each charge point has at most one due time queued.
/// </summary>
internal sealed class TimerHeap
{
    private readonly object _lock = new();
    private readonly PriorityQueue<IDue, long> _heap = new();
    public TimerHeap()
    {
        new Thread(Run) { IsBackground = true, Name = "raw-floor-timers" }.Start();
    }

    public void Schedule(IDue item, long due)
    {
        lock (_lock)
        {
            var wakeEarlier = !_heap.TryPeek(out _, out var earliest) || due < earliest;
            _heap.Enqueue(item, due);
            if (wakeEarlier)
            {
                Monitor.Pulse(_lock);
            }
        }
    }

    private void Run()
    {
        var due = new List<(IDue Item, long At)>();
        while (true)
        {
            lock (_lock)
            {
                while (true)
                {
                    if (!_heap.TryPeek(out var head, out var at))
                    {
                        if (due.Count > 0)
                        {
                            break;
                        }
                        Monitor.Wait(_lock);
                        continue;
                    }
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), at);
                    if (wait > TimeSpan.Zero)
                    {
                        if (due.Count > 0)
                        {
                            break;
                        }
                        // Rounded up: fired at the due time or just after, never before.
                        Monitor.Wait(_lock, TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)));
                        continue;
                    }
                    _heap.Dequeue();
                    due.Add((head, at));
                }
            }
            var now = Stopwatch.GetTimestamp();
            foreach (var (item, at) in due)
            {
                Stats.RecordLag(at, now);
                ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
            }
            due.Clear();
        }
    }
}

internal interface IDue : IThreadPoolWorkItem;

/// <summary>
/// Variants a and b: a ClientWebSocket on the shared handler. One receive loop per connection, as any OCPP client needs (the
/// CSMS may send CALLs and pings at any time): idle it holds only a zero-byte receive; a buffer is rented while a message
/// arrives. The sender awaits each answer (a TaskCompletionSource the loop completes).
/// </summary>
internal abstract class ClientWebSocketChargePoint
{
    private readonly HttpMessageInvoker _invoker;
    private readonly Uri _uri;
    private ClientWebSocket? _socket;
    private Task? _receiveLoop;
    private TaskCompletionSource<byte[]?>? _answer;

    protected ClientWebSocketChargePoint(HttpMessageInvoker invoker, Uri baseUri, string id, int index, RunClock clock)
    {
        _invoker = invoker;
        _uri = new Uri(baseUri, id);
        Frames = new ChargePointFrames(id, index);
        Plan = new MixPlan(index);
        Clock = clock;
    }

    protected ChargePointFrames Frames { get; }

    protected MixPlan Plan { get; }

    protected RunClock Clock { get; }

    protected async Task<bool> ConnectAndBootAsync()
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            await socket.ConnectAsync(_uri, _invoker, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or IOException)
        {
            Interlocked.Increment(ref Stats.ConnectFailed);
            socket.Dispose();
            return false;
        }
        _socket = socket;
        Interlocked.Increment(ref Stats.Connected);
        _receiveLoop = ReceiveLoopAsync(socket);
        Frames.Steps.Enqueue(new Step(StepKind.Boot, 0));
        if (!await SendQueuedAsync().ConfigureAwait(false))
        {
            return false;
        }
        Interlocked.Increment(ref Stats.Booted);
        Plan.Start(Stopwatch.GetTimestamp());
        return true;
    }

    /// <summary>Sends the queued steps' CALLs one by one, each after the previous answer. False when the connection broke.</summary>
    protected async Task<bool> SendQueuedAsync()
    {
        var socket = _socket!;
        while (Frames.Next(Stopwatch.GetTimestamp()) is { } frame)
        {
            var answer = new TaskCompletionSource<byte[]?>();
            Volatile.Write(ref _answer, answer);
            try
            {
                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
            {
                Interlocked.Increment(ref Stats.Broken);
                return false;
            }
            Interlocked.Increment(ref Stats.Calls);
            if (await answer.Task.ConfigureAwait(false) is not { } utf8)
            {
                Interlocked.Increment(ref Stats.Broken);
                return false;
            }
            Interlocked.Increment(ref Frames.OnAnswer(utf8) ? ref Stats.Answers : ref Stats.BadAnswers);
        }
        return true;
    }

    private async Task ReceiveLoopAsync(ClientWebSocket socket)
    {
        try
        {
            while (true)
            {
                var head = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None).ConfigureAwait(false);
                if (head.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                var message = head.EndOfMessage ? [] : await ReadMessageAsync(socket).ConfigureAwait(false);
                if (message is null)
                {
                    break;
                }
                Interlocked.Exchange(ref _answer, null)?.TrySetResult(message);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            _ = e;
        }
        Interlocked.Increment(ref Stats.Closed);
        Interlocked.Exchange(ref _answer, null)?.TrySetResult(null);
    }

    private static async Task<byte[]?> ReadMessageAsync(ClientWebSocket socket)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var length = 0;
            while (length < buffer.Length)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }
                length += received.Count;
                if (received.EndOfMessage)
                {
                    return buffer.AsSpan(0, length).ToArray();
                }
            }
            return null;   // no answer of this mix is near 4 KiB
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The drain: stops the open transactions, frees plugged connectors, closes (waits up to 5 s for the server's close).</summary>
    protected async Task DrainAndCloseAsync()
    {
        Plan.CollectDrain(Frames.Steps);
        if (!await SendQueuedAsync().ConfigureAwait(false))
        {
            return;
        }
        try
        {
            await _socket!.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
            await Task.WhenAny(_receiveLoop!, Task.Delay(TimeSpan.FromSeconds(5))).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            _ = e;
        }
        _socket!.Abort();
    }

    public void Abort() => _socket?.Abort();
}

/// <summary>Variant a: one Task per charge point, sleeping to each due time with Task.Delay (the runtime's timer queue).</summary>
internal sealed class DelayChargePoint(HttpMessageInvoker invoker, Uri baseUri, string id, int index, RunClock clock)
    : ClientWebSocketChargePoint(invoker, baseUri, id, index, clock)
{
    public async Task RunAsync()
    {
        try
        {
            if (!await ConnectAndBootAsync().ConfigureAwait(false))
            {
                return;
            }
            while (true)
            {
                var due = Clock.Due(Plan.NextDue);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay((int)Math.Ceiling(wait.TotalMilliseconds)).ConfigureAwait(false);
                }
                var now = Stopwatch.GetTimestamp();
                if (now >= Clock.Deadline)
                {
                    await DrainAndCloseAsync().ConfigureAwait(false);
                    return;
                }
                Stats.RecordLag(due, now);
                Plan.CollectDue(now, Frames.Steps);
                if (!await SendQueuedAsync().ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        finally
        {
            Clock.Done();
        }
    }
}

/// <summary>Variant b: ClientWebSocket, due times on the one timer thread; each due time runs on the pool.</summary>
internal sealed class HeapClientWebSocketChargePoint(HttpMessageInvoker invoker, Uri baseUri, string id, int index, RunClock clock, TimerHeap timers)
    : ClientWebSocketChargePoint(invoker, baseUri, id, index, clock), IDue
{
    public async Task StartAsync()
    {
        if (await ConnectAndBootAsync().ConfigureAwait(false))
        {
            timers.Schedule(this, Clock.Due(Plan.NextDue));
        }
        else
        {
            Clock.Done();
        }
    }

    public void Execute() => _ = RunDueAsync();

    private async Task RunDueAsync()
    {
        var now = Stopwatch.GetTimestamp();
        if (now >= Clock.Deadline)
        {
            await DrainAndCloseAsync().ConfigureAwait(false);
            Clock.Done();
            return;
        }
        Plan.CollectDue(now, Frames.Steps);
        if (await SendQueuedAsync().ConfigureAwait(false))
        {
            timers.Schedule(this, Clock.Due(Plan.NextDue));
        }
        else
        {
            Clock.Done();
        }
    }
}

/// <summary>
/// Variant c: FleetSim's transport (WebSocketConnector, WebSocketConnection: its own upgrade, a pending zero-byte receive,
/// a send queue and pump) with the one timer thread; no actors, no model. The answer's callback sends the next CALL.
/// </summary>
internal sealed class TransportChargePoint : IDue, IConnectionListener
{
    private readonly WebSocketConnector _connector;
    private readonly string _id;
    private readonly ChargePointFrames _frames;
    private readonly MixPlan _plan;
    private readonly TimerHeap _timers;
    private readonly RunClock _clock;
    private WebSocketConnection? _connection;
    private bool _booted;
    private bool _draining;
    private int _done;

    public TransportChargePoint(WebSocketConnector connector, string id, int index, RunClock clock, TimerHeap timers)
    {
        _connector = connector;
        _id = id;
        _frames = new ChargePointFrames(id, index);
        _plan = new MixPlan(index);
        _clock = clock;
        _timers = timers;
    }

    public async Task StartAsync()
    {
        var result = await _connector.ConnectAsync(new ConnectionTarget(_id)).ConfigureAwait(false);
        if (result.Connection is not { } connection)
        {
            Interlocked.Increment(ref Stats.ConnectFailed);
            Done();
            return;
        }
        Interlocked.Increment(ref Stats.Connected);
        _connection = connection;
        _frames.Steps.Enqueue(new Step(StepKind.Boot, 0));
        connection.Start(this);
        SendNextOrSchedule();
    }

    public void Execute()
    {
        var now = Stopwatch.GetTimestamp();
        if (now >= _clock.Deadline)
        {
            Volatile.Write(ref _draining, true);
            _plan.CollectDrain(_frames.Steps);
        }
        else
        {
            _plan.CollectDue(now, _frames.Steps);
        }
        SendNextOrSchedule();
    }

    public void OnMessage(byte[] utf8)
    {
        Interlocked.Increment(ref _frames.OnAnswer(utf8) ? ref Stats.Answers : ref Stats.BadAnswers);
        SendNextOrSchedule();
    }

    public void OnClosed(ConnectionClosed info)
    {
        Interlocked.Increment(ref Stats.Closed);
        if (!Volatile.Read(ref _draining))
        {
            Interlocked.Increment(ref Stats.Broken);
        }
        Done();
    }

    private void SendNextOrSchedule()
    {
        var now = Stopwatch.GetTimestamp();
        if (_frames.Next(now) is { } frame)
        {
            if (_connection!.Send(frame))
            {
                Interlocked.Increment(ref Stats.Calls);
            }
            return;
        }
        if (_draining)
        {
            _ = CloseAsync();
            return;
        }
        if (!_booted)
        {
            _booted = true;
            Interlocked.Increment(ref Stats.Booted);
            _plan.Start(now);
        }
        _timers.Schedule(this, _clock.Due(_plan.NextDue));
    }

    private async Task CloseAsync()
    {
        await _connection!.CloseAsync().ConfigureAwait(false);
        Done();
    }

    private void Done()
    {
        if (Interlocked.Exchange(ref _done, 1) == 0)
        {
            _clock.Done();
        }
    }

    public void Abort() => _connection?.Abort();
}
