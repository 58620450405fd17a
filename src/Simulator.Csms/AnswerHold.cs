using System.Diagnostics;
using System.Runtime.InteropServices;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Rpc;

namespace Simulator.Csms;

/// <summary>
/// Holds answers to charge-point CALLs for exactly <see cref="CsmsOptions.AnswerHold"/> from the moment each CALL
/// arrived (<see cref="CsmsOptions.AnswerHoldActions"/>: only those actions), so a load test can show what a CSMS of
/// known latency looks like to the charge points. A per-call <c>Task.Delay</c> is as coarse as the runtime's timer
/// queue and costs a timer per call; here one thread keeps the held answers in arrival order (one fixed hold: the first in
/// is the first due, so a queue is the due-time heap) and on Linux sleeps with <c>clock_nanosleep</c> until the next due
/// time, so an answer leaves within tens of microseconds of it on an idle machine, never before. On a busy one the thread
/// would wait for a core after each wake-up like any other, so on Linux it asks for the real-time FIFO class at its
/// lowest priority (<see cref="Priority"/> says whether it got it: it needs root or CAP_SYS_NICE): it then runs as soon as
/// it wakes. Its work is small and bounded (a handler, an encode, a hand-over to the socket per answer) and the kernel
/// keeps 5 % of each second for everything else. Elsewhere the thread uses the runtime's sleep in whole milliseconds,
/// rounded up (as coarse as the system timer: 15.6 ms on Windows by default). Thread-safe.
/// </summary>
internal sealed class AnswerHold : IDisposable
{
    /// <summary>The longest hold accepted: beyond it a charge point's call timeout would be the thing under test.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromSeconds(60);

    /// <summary>Each sleep is at most this long, so a stopped hold's thread ends soon even with a long hold.</summary>
    private static readonly long MaxSleepNs = 100_000_000;

    private readonly object _lock = new();   // not a Lock: the thread waits for work with Monitor.Wait on it
    private readonly Queue<(long Due, ChargePointConnection Connection, CallReceived Call, OcppErrorCode? Error)> _held = new();
    private readonly HashSet<string>? _actions;
    private readonly long _holdTicks;
    private readonly Thread _thread;
    private readonly TaskCompletionSource<string> _priority = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _stopped;

    public AnswerHold(TimeSpan hold, IReadOnlyCollection<string> actions)
    {
        Hold = hold;
        _holdTicks = (long)Math.Round(hold.TotalSeconds * Stopwatch.Frequency);
        _actions = actions.Count == 0 ? null : new HashSet<string>(actions, StringComparer.Ordinal);
        _thread = new Thread(Run) { IsBackground = true, Name = "csms-answer-hold" };
        _thread.Start();
    }

    public TimeSpan Hold { get; }

    /// <summary>How the hold thread is scheduled: "real-time (SCHED_FIFO 1)", or "normal" and why.</summary>
    public string Priority => _priority.Task.Wait(TimeSpan.FromSeconds(5)) ? _priority.Task.Result : "normal (not known yet)";

    /// <summary>Whether answers to this action are held.</summary>
    public bool Applies(string action) => _actions is null || _actions.Contains(action);

    /// <summary>The answer to <paramref name="call"/> goes out <see cref="Hold"/> after <paramref name="arrivedAt"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public void Add(ChargePointConnection connection, CallReceived call, OcppErrorCode? error, long arrivedAt)
    {
        lock (_lock)
        {
            _held.Enqueue((arrivedAt + _holdTicks, connection, call, error));
            if (_held.Count == 1)
            {
                Monitor.Pulse(_lock);
            }
        }
    }

    /// <summary>Answers still held (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _held.Count;
            }
        }
    }

    /// <summary>Stops the thread; answers still held are dropped (their connections are closing).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _stopped = true;
            _held.Clear();
            Monitor.Pulse(_lock);
        }
    }

    private void Run()
    {
        _priority.TrySetResult(RaisePriority());
        var due = new List<(long Due, ChargePointConnection Connection, CallReceived Call, OcppErrorCode? Error)>();
        while (true)
        {
            long next;
            lock (_lock)
            {
                while (_held.Count == 0 && !_stopped)
                {
                    Monitor.Wait(_lock);
                }
                if (_stopped)
                {
                    return;
                }
                var now = Stopwatch.GetTimestamp();
                while (_held.TryPeek(out var head) && head.Due <= now)
                {
                    due.Add(_held.Dequeue());
                }
                next = _held.TryPeek(out var first) ? first.Due : 0;
            }
            if (due.Count > 0)
            {
                foreach (var (_, connection, call, error) in due)
                {
                    // Runs here until the answer's first real wait (the connection's gate, a full socket): the send starts on time.
                    connection.ReleaseHeld(call, error);
                }
                due.Clear();
                continue;
            }
            // Later arrivals are due later: nothing can come due before the head, so the sleep needs no waking.
            SleepUntil(next);
        }
    }

    private static void SleepUntil(long due)
    {
        var ns = (long)((due - Stopwatch.GetTimestamp()) * (1e9 / Stopwatch.Frequency));
        if (ns <= 0)
        {
            return;
        }
        ns = Math.Min(ns, MaxSleepNs);
        if (OperatingSystem.IsLinux() && Environment.Is64BitProcess)   // Timespec below is the 64-bit layout
        {
            var span = new Timespec { Seconds = ns / 1_000_000_000, Nanoseconds = ns % 1_000_000_000 };
            // A signal may end the sleep early (EINTR): the loop then sleeps again for what is left.
            _ = NativeMethods.clock_nanosleep(NativeMethods.ClockMonotonic, 0, ref span, IntPtr.Zero);
        }
        else
        {
            // Rounded up: an answer leaves at its time or after, never before.
            Thread.Sleep(TimeSpan.FromMilliseconds(Math.Ceiling(ns / 1e6)));
        }
    }

    /// <summary>On Linux, puts the calling thread in the real-time FIFO class at priority 1, if allowed.</summary>
    private static string RaisePriority()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "normal";
        }
        var parameters = new SchedParam { Priority = 1 };
        // pid 0: the calling thread (Linux schedules threads).
        if (NativeMethods.sched_setscheduler(0, NativeMethods.SchedFifo, ref parameters) == 0)
        {
            return "real-time (SCHED_FIFO 1)";
        }
        return $"normal (real-time refused: errno {Marshal.GetLastPInvokeError()}; needs root or CAP_SYS_NICE)";
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedParam
    {
        public int Priority;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static class NativeMethods
    {
        public const int ClockMonotonic = 1;

        [DllImport("libc", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // A blittable signature: the generated stub would be the same call.
        public static extern int clock_nanosleep(int clockId, int flags, ref Timespec request, IntPtr remain);

        public const int SchedFifo = 1;

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int sched_setscheduler(int pid, int policy, ref SchedParam parameters);
#pragma warning restore SYSLIB1054
    }
}
