using Akka.Actor;

namespace Simulator.Fleet.ChargePoints;

/// <summary>
/// One timer for every charge point of a node. Each charge point has exactly one pending due time (its model's,
/// behaviour's or RPC deadline's earliest); Akka's scheduler would fire it on its next 10 ms tick, which makes every
/// periodic message about 10 ms late (the report's schedulerLag) and adds that to the latency a user measures. Here one
/// thread keeps the due times in a heap and sleeps until the earliest, so a message goes out within about a
/// millisecond of its time, and there is no timer object per charge point.
/// <para>
/// A charge point's <see cref="Slot"/> holds its current due time; rescheduling replaces it, and a heap entry whose
/// slot has moved on since is dropped when it comes up (lazy deletion: no search through the heap).
/// </para>
/// </summary>
public sealed class DueTimers
{
    private readonly object _lock = new();   // not a Lock: the thread sleeps with Monitor.Wait on it
    private readonly PriorityQueue<(Slot Slot, long Version), long> _heap = new();
    private readonly TimeProvider _clock;
    private Thread? _thread;

    public DueTimers(TimeProvider clock) => _clock = clock;

    /// <summary>The heap entries, live and outdated (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _heap.Count;
            }
        }
    }

    /// <summary>A slot for one charge point: <paramref name="message"/> is told to <paramref name="target"/> when its time comes.</summary>
    public Slot CreateSlot(IActorRef target, object message) => new(this, target, message);

    private void Schedule(Slot slot, long version, long dueTimestamp)
    {
        lock (_lock)
        {
            var wakeEarlier = !_heap.TryPeek(out _, out var earliest) || dueTimestamp < earliest;
            _heap.Enqueue((slot, version), dueTimestamp);
            if (_thread is null)
            {
                _thread = new Thread(Run) { IsBackground = true, Name = "fleetsim-due-timers" };
                _thread.Start();
            }
            else if (wakeEarlier)
            {
                Monitor.Pulse(_lock);
            }
        }
    }

    private void Run()
    {
        var due = new List<Slot>();
        while (true)
        {
            lock (_lock)
            {
                TakeDue(due);
            }
            foreach (var slot in due)
            {
                slot.FiredAt = _clock.GetTimestamp();
                slot.Target.Tell(slot.Message, ActorRefs.NoSender);
            }
            due.Clear();
        }
    }

    /// <summary>Waits until at least one slot is due, then takes every slot due by now. Called under the lock.</summary>
    private void TakeDue(List<Slot> due)
    {
        while (true)
        {
            if (!_heap.TryPeek(out var head, out var at))
            {
                if (due.Count > 0)
                {
                    return;
                }
                Monitor.Wait(_lock);
                continue;
            }
            if (head.Version != head.Slot.Version)
            {
                _heap.Dequeue();   // rescheduled or cancelled since
                continue;
            }
            var wait = _clock.GetElapsedTime(_clock.GetTimestamp(), at);
            if (wait > TimeSpan.Zero)
            {
                if (due.Count > 0)
                {
                    return;
                }
                // Rounded up: a timer fires at its time or just after, never before it.
                Monitor.Wait(_lock, TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)));
                continue;
            }
            _heap.Dequeue();
            head.Slot.Version++;
            due.Add(head.Slot);
        }
    }

    /// <summary>One charge point's pending due time. Used by its actor only (not thread-safe against itself).</summary>
    public sealed class Slot
    {
        private readonly DueTimers _timers;

        internal Slot(DueTimers timers, IActorRef target, object message)
        {
            _timers = timers;
            Target = target;
            Message = message;
        }

        internal IActorRef Target { get; }

        internal object Message { get; }

        /// <summary>When the timer thread last told the target (a timestamp of the timers' clock; for a latency trace).</summary>
        public long FiredAt { get; internal set; }

        /// <summary>Changes on every schedule, cancel and firing; read under the timers' lock.</summary>
        internal long Version { get; set; }

        /// <summary>Fires once at <paramref name="dueTimestamp"/> (a timestamp of the timers' clock), replacing what was scheduled.</summary>
        public void Schedule(long dueTimestamp)
        {
            long version;
            lock (_timers._lock)
            {
                version = ++Version;
            }
            _timers.Schedule(this, version, dueTimestamp);
        }

        /// <summary>Nothing fires until the next <see cref="Schedule"/>.</summary>
        public void Cancel()
        {
            lock (_timers._lock)
            {
                Version++;
            }
        }
    }
}
