using System.Diagnostics;
using Akka.Actor;
using Simulator.Fleet.ChargePoints;

namespace Simulator.Fleet.Tests.ChargePoints;

public sealed class DueTimersTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly ActorSystem _system = ActorSystem.Create("due-timers");
    private readonly DueTimers _timers = new(TimeProvider.System);

    public void Dispose() => _system.Dispose();

    [Fact]
    public void A_slot_fires_once_and_never_before_its_time()
    {
        var inbox = Inbox.Create(_system);
        var slot = _timers.CreateSlot(inbox.Receiver, "due");
        var started = Stopwatch.GetTimestamp();
        slot.Schedule(started + Stopwatch.Frequency / 10);   // 100 ms

        Assert.Equal("due", inbox.Receive(Patience));
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(100), $"fired after {Stopwatch.GetElapsedTime(started).TotalMilliseconds} ms");
        NothingWithin(inbox, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Rescheduling_replaces_the_pending_time_and_cancel_stops_it()
    {
        var inbox = Inbox.Create(_system);
        var moved = _timers.CreateSlot(inbox.Receiver, "moved");
        var cancelled = _timers.CreateSlot(inbox.Receiver, "cancelled");
        var now = Stopwatch.GetTimestamp();
        moved.Schedule(now + Stopwatch.Frequency / 20);        // 50 ms, then moved to 200 ms
        cancelled.Schedule(now + Stopwatch.Frequency / 10);    // 100 ms, then cancelled
        moved.Schedule(now + Stopwatch.Frequency / 5);
        cancelled.Cancel();

        Assert.Equal("moved", inbox.Receive(Patience));
        Assert.True(Stopwatch.GetElapsedTime(now) >= TimeSpan.FromMilliseconds(200));
        NothingWithin(inbox, TimeSpan.FromMilliseconds(400));
        Assert.Equal(0, _timers.Count);
    }

    [Fact]
    public void An_earlier_time_scheduled_while_the_timer_sleeps_on_a_later_one_fires_first()
    {
        var inbox = Inbox.Create(_system);
        var now = Stopwatch.GetTimestamp();
        // Far enough out that a busy machine's stall before the early one fires is not mistaken for waiting on the late one.
        _timers.CreateSlot(inbox.Receiver, "late").Schedule(now + Stopwatch.Frequency * 6);
        Thread.Sleep(50);   // the timer thread now sleeps until the late one
        _timers.CreateSlot(inbox.Receiver, "early").Schedule(Stopwatch.GetTimestamp() + Stopwatch.Frequency / 20);

        Assert.Equal("early", inbox.Receive(Patience));
        Assert.True(Stopwatch.GetElapsedTime(now) < TimeSpan.FromSeconds(5), "the early one waited for the late one");
        Assert.Equal("late", inbox.Receive(Patience));
    }

    [Fact]
    public void Many_slots_fire_in_due_order()
    {
        var inbox = Inbox.Create(_system);
        var now = Stopwatch.GetTimestamp();
        var order = Enumerable.Range(0, 200).OrderBy(i => (i * 7919) % 200).ToList();
        foreach (var i in order)
        {
            _timers.CreateSlot(inbox.Receiver, i).Schedule(now + Stopwatch.Frequency / 10 + i * Stopwatch.Frequency / 1000);
        }
        var fired = Enumerable.Range(0, 200).Select(_ => (int)inbox.Receive(Patience)).ToList();

        Assert.Equal(Enumerable.Range(0, 200), fired);
    }

    /// <summary>
    /// No message within the time. An inbox's receive times out with a TimeoutException, or with one inside an
    /// AggregateException when its own deadline message wins the race.
    /// </summary>
    private static void NothingWithin(Inbox inbox, TimeSpan time)
    {
        try
        {
            var message = inbox.Receive(time);
            Assert.Fail($"a message came: {message}");
        }
        catch (Exception e) when (e is TimeoutException || e.InnerException is TimeoutException)
        {
        }
    }
}
