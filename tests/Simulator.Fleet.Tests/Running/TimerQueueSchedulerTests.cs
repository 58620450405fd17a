using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Simulator.Fleet.Running;

namespace Simulator.Fleet.Tests.Running;

public sealed class TimerQueueSchedulerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly ActorSystem _system = ActorSystem.Create("timer-queue", ConfigurationFactory.ParseString(
        """akka.scheduler.implementation = "Simulator.Fleet.Running.TimerQueueScheduler, Simulator.Fleet" """));

    private IScheduler Scheduler => _system.Scheduler;

    private int Pending => Assert.IsType<TimerQueueScheduler>(_system.Scheduler).PendingCount;

    public void Dispose() => _system.Dispose();

    [Fact]
    public void A_tell_fires_once_and_never_before_its_time()
    {
        var inbox = Inbox.Create(_system);
        var started = Stopwatch.GetTimestamp();
        Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(100), inbox.Receiver, "due", ActorRefs.NoSender);

        Assert.Equal("due", inbox.Receive(Patience));
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(100), $"fired after {Stopwatch.GetElapsedTime(started).TotalMilliseconds} ms");
        NothingWithin(inbox, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_tell_cancelled_before_its_time_never_fires()
    {
        var inbox = Inbox.Create(_system);
        var cancelled = Scheduler.ScheduleTellOnceCancelable(TimeSpan.FromMilliseconds(100), inbox.Receiver, "cancelled", ActorRefs.NoSender);
        Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(200), inbox.Receiver, "kept", ActorRefs.NoSender);
        cancelled.Cancel();

        Assert.Equal("kept", inbox.Receive(Patience));
        NothingWithin(inbox, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_repeated_tell_fires_at_its_interval_until_cancelled()
    {
        var inbox = Inbox.Create(_system);
        var started = Stopwatch.GetTimestamp();
        var repeated = Scheduler.ScheduleTellRepeatedlyCancelable(TimeSpan.Zero, TimeSpan.FromMilliseconds(50), inbox.Receiver, "tick", ActorRefs.NoSender);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("tick", inbox.Receive(Patience));
        }
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(140), $"four ticks after {Stopwatch.GetElapsedTime(started).TotalMilliseconds} ms");
        repeated.Cancel();
        Thread.Sleep(100);
        while (Received(inbox, TimeSpan.FromMilliseconds(50)))
        {
            // ticks already on their way when it was cancelled
        }

        NothingWithin(inbox, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_cancelled_repeated_action_stops_and_its_timer_is_let_go()
    {
        var runs = 0;
        var cancelable = new Cancelable(Scheduler);
        Scheduler.Advanced.ScheduleRepeatedly(TimeSpan.Zero, TimeSpan.FromMilliseconds(20), () => Interlocked.Increment(ref runs), cancelable);
        WaitUntil(() => Volatile.Read(ref runs) >= 3);
        cancelable.Cancel();

        WaitUntil(() => Pending == 0);   // inbox-free: an inbox's receive timeouts are pending items too
        var after = Volatile.Read(ref runs);
        Thread.Sleep(200);
        Assert.Equal(after, Volatile.Read(ref runs));
    }

    [Fact]
    public async Task What_is_pending_when_the_system_terminates_runs_then_unless_cancelled()
    {
        var scheduler = Assert.IsType<TimerQueueScheduler>(_system.Scheduler);
        var ran = new TaskCompletionSource();
        var cancelledRan = false;
        Scheduler.Advanced.ScheduleOnce(TimeSpan.FromHours(1), () => ran.TrySetResult());
        var cancelled = new Cancelable(Scheduler);
        Scheduler.Advanced.ScheduleOnce(TimeSpan.FromHours(1), () => cancelledRan = true, cancelled);
        cancelled.Cancel();

        await _system.Terminate().WaitAsync(Patience);

        await ran.Task.WaitAsync(Patience);
        Assert.False(cancelledRan);
        Assert.Equal(0, scheduler.PendingCount);
    }

    private static void NothingWithin(Inbox inbox, TimeSpan time) => Assert.False(Received(inbox, time), "a message came");

    /// <summary>An inbox's receive times out with a TimeoutException, or one inside an AggregateException when its own deadline message wins the race.</summary>
    private static bool Received(Inbox inbox, TimeSpan within)
    {
        try
        {
            inbox.Receive(within);
            return true;
        }
        catch (Exception e) when (e is TimeoutException || e.InnerException is TimeoutException)
        {
            return false;
        }
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var deadline = Stopwatch.GetTimestamp() + (Stopwatch.Frequency * (long)Patience.TotalSeconds);
        while (!condition())
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, "condition not met in time");
            Thread.Sleep(10);
        }
    }
}
