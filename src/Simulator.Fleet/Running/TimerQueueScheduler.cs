using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace Simulator.Fleet.Running;

/// <summary>
/// Akka's scheduler on the runtime's timer queue: every scheduled item is a <see cref="Timer"/>, and the runtime's timer
/// thread sleeps until the earliest. Akka's own scheduler ticks every 10 ms for the whole run whether anything is due or
/// not (its timer thread and a pool thread wake 100 times a second each); since the charge points' due times moved to
/// <see cref="ChargePoints.DueTimers"/>, almost nothing is due here in a steady run (the coordinator's arrival tick,
/// reconnect and drain timers, the end of the run), so those wake-ups were most of the idle process's CPU. Items also fire
/// within about a millisecond of their time instead of on the next 10 ms tick.
/// <para>
/// Like Akka's scheduler, what is still pending when the actor system terminates runs then (an ask's timeout fails the
/// ask instead of leaving it waiting), and an item cancelled before its time never runs.
/// </para>
/// </summary>
public sealed class TimerQueueScheduler : SchedulerBase, IDateTimeOffsetNowTimeProvider, IDisposable
{
    /// <summary>The longest delay a <see cref="Timer"/> takes (about 49 days); a longer one waits that long.</summary>
    private static readonly TimeSpan LongestDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private static readonly long Origin = Stopwatch.GetTimestamp();
    private static readonly double TicksToTimestamp = (double)Stopwatch.Frequency / TimeSpan.TicksPerSecond;

    private readonly Lock _lock = new();
    private readonly HashSet<Entry> _pending = [];
    private bool _stopped;

    public TimerQueueScheduler(Config scheduler, ILoggingAdapter log)
        : base(scheduler, log)
    {
    }

    public override TimeSpan MonotonicClock => Stopwatch.GetElapsedTime(Origin);

    public override TimeSpan HighResMonotonicClock => Stopwatch.GetElapsedTime(Origin);

    protected override DateTimeOffset TimeNow => DateTimeOffset.UtcNow;

    /// <summary>Items waiting for their time (for tests and diagnostics).</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    protected override void InternalScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable)
        => Add(delay, TimeSpan.Zero, new Tell(receiver, message, sender), cancelable);

    protected override void InternalScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable)
        => Add(initialDelay, interval, new Tell(receiver, message, sender), cancelable);

    protected override void InternalScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable)
        => Add(delay, TimeSpan.Zero, new ActionRunnable(action), cancelable);

    protected override void InternalScheduleOnce(TimeSpan delay, IRunnable action, ICancelable cancelable)
        => Add(delay, TimeSpan.Zero, action, cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable cancelable)
        => Add(initialDelay, interval, new ActionRunnable(action), cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action, ICancelable cancelable)
        => Add(initialDelay, interval, action, cancelable);

    /// <summary>Stops every timer and runs what was still pending and not cancelled, once.</summary>
    public void Dispose()
    {
        Entry[] pending;
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }
            _stopped = true;
            pending = [.. _pending];
            _pending.Clear();
        }
        foreach (var entry in pending)
        {
            entry.Timer?.Dispose();
            if (entry.Cancelable?.IsCancellationRequested != true)
            {
                Run(entry);
            }
        }
    }

    private void Add(TimeSpan delay, TimeSpan interval, IRunnable action, ICancelable? cancelable)
    {
        var entry = new Entry(this, action, cancelable, interval) { Due = Stopwatch.GetTimestamp() + (long)(Clamp(delay).Ticks * TicksToTimestamp) };
        lock (_lock)
        {
            if (_stopped)
            {
                throw new SchedulerException("cannot schedule after the scheduler stopped");
            }
            _pending.Add(entry);
        }
        // Created stopped and started once stored: the first firing may come before the constructor returns.
        entry.Timer = new Timer(static state => ((Entry)state!).Owner.Fire((Entry)state), entry, Timeout.Infinite, Timeout.Infinite);
        entry.Timer.Change(Clamp(delay), interval > TimeSpan.Zero ? Clamp(interval) : Timeout.InfiniteTimeSpan);
    }

    private void Fire(Entry entry)
    {
        var cancelled = entry.Cancelable?.IsCancellationRequested == true;
        if (!cancelled && entry.Interval <= TimeSpan.Zero && Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), entry.Due) is { Ticks: > 0 } early)
        {
            // The timer queue counts whole milliseconds and may fire a fraction early; Akka's code counts on never-early
            // (an inbox's receive deadline, for one), so the rest is waited for.
            entry.Timer?.Change(TimeSpan.FromMilliseconds(Math.Ceiling(early.TotalMilliseconds)), Timeout.InfiniteTimeSpan);
            return;
        }
        if (cancelled || entry.Interval <= TimeSpan.Zero)
        {
            lock (_lock)
            {
                if (!_pending.Remove(entry))
                {
                    return;   // stopped: Dispose ran it (or dropped it if cancelled)
                }
            }
            entry.Timer?.Dispose();
            if (cancelled)
            {
                return;
            }
        }
        Run(entry);
    }

    private void Run(Entry entry)
    {
        try
        {
            entry.Action.Run();
        }
        catch (Exception cause)
        {
            Log.Error(cause, "Exception while running a scheduled task");
        }
    }

    private static TimeSpan Clamp(TimeSpan delay) => delay > LongestDelay ? LongestDelay : delay;

    private sealed class Entry(TimerQueueScheduler owner, IRunnable action, ICancelable? cancelable, TimeSpan interval)
    {
        public TimerQueueScheduler Owner { get; } = owner;

        public IRunnable Action { get; } = action;

        public ICancelable? Cancelable { get; } = cancelable;

        public TimeSpan Interval { get; } = interval;

        public Timer? Timer { get; set; }

        /// <summary>The first firing's time, a <see cref="Stopwatch"/> timestamp.</summary>
        public long Due { get; init; }
    }

    private sealed class Tell(ICanTell receiver, object message, IActorRef sender) : IRunnable
    {
        public void Run() => receiver.Tell(message, sender);

        public void Execute() => Run();
    }
}
