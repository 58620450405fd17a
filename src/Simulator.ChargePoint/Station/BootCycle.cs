namespace Simulator.ChargePoint.Station;

/// <summary>
/// The registration answer of the last BootNotification. The values are those of RegistrationStatus in OCPP 1.6 and 2.0.1 alike
/// (Accepted, Pending, Rejected), so a model converts with a cast.
/// </summary>
internal enum Registration
{
    Accepted = 0,
    Pending = 1,
    Rejected = 2,

    /// <summary>No answer in this power cycle (or Accepted fell back for a boot on reconnect).</summary>
    None = 3,
}

/// <summary>
/// A station's registration and its schedules: BootNotification (one in flight at a time; retried after a failure or a
/// Pending/Rejected answer) and the heartbeat (on its own cadence, from the previous due time, never in the past). Local-clock instants.
/// A struct held in place by <see cref="StationCore"/> (one object fewer per station); make it with <c>new()</c>, not <c>default</c>.
/// </summary>
internal struct BootCycle
{
    public BootCycle()
    {
    }

    public Registration Registration { readonly get; private set; } = Registration.None;

    /// <summary>A BootNotification waits to go or for its answer.</summary>
    public bool InFlight { readonly get; private set; }

    public DateTimeOffset? RetryAt { readonly get; private set; }

    public DateTimeOffset? HeartbeatDue { readonly get; private set; }

    public readonly bool IsAccepted => Registration == Registration.Accepted;

    public readonly bool IsPending => Registration == Registration.Pending;

    /// <summary>The socket opened. True when a BootNotification must go: not accepted in this power cycle, or <paramref name="bootOnReconnect"/> (Accepted then falls back).</summary>
    public bool Connected(bool bootOnReconnect)
    {
        InFlight = false;
        if (IsAccepted && !bootOnReconnect)
        {
            return false;
        }
        Registration = IsAccepted ? Registration.None : Registration;
        return true;
    }

    /// <summary>The socket closed: no boot in flight, no retry, no heartbeat. The registration stays for this power cycle.</summary>
    public void Disconnected()
    {
        InFlight = false;
        RetryAt = null;
        HeartbeatDue = null;
    }

    /// <summary>The power cycle ended: the next connection boots again.</summary>
    public void PowerLost()
    {
        Registration = Registration.None;
        Disconnected();
    }

    public void BootQueued()
    {
        RetryAt = null;
        InFlight = true;
    }

    /// <summary>A retry is due: connected, not accepted, nothing in flight.</summary>
    public readonly bool BootDue(DateTimeOffset now) => !IsAccepted && !InFlight && RetryAt is { } retry && retry <= now;

    /// <summary>The BootNotification got no answer; <paramref name="retryAt"/> null: no retry (the connection is gone).</summary>
    public void BootFailed(DateTimeOffset? retryAt)
    {
        InFlight = false;
        RetryAt = retryAt ?? RetryAt;
    }

    /// <summary>
    /// The CSMS answered: Pending/Rejected stop the heartbeat and retry after its interval (or <paramref name="defaultRetry"/> when it
    /// gave none). True when Accepted; the caller then schedules the heartbeat (<see cref="ScheduleHeartbeat"/>).
    /// </summary>
    public bool Answered(Registration status, int intervalSeconds, DateTimeOffset now, TimeSpan defaultRetry)
    {
        InFlight = false;
        Registration = status;
        if (status != Registration.Accepted)
        {
            HeartbeatDue = null;
            RetryAt = now + (intervalSeconds > 0 ? TimeSpan.FromSeconds(intervalSeconds) : defaultRetry);
            return false;
        }
        RetryAt = null;
        return true;
    }

    /// <summary>The next heartbeat <paramref name="wait"/> from now; none when <paramref name="online"/> is false or the interval is off.</summary>
    public void ScheduleHeartbeat(DateTimeOffset now, int intervalSeconds, TimeSpan wait, bool online) =>
        HeartbeatDue = online && intervalSeconds > 0 ? now + wait : null;

    /// <summary>A heartbeat is due: <paramref name="beat"/> is its scheduled time; the next one is an interval later (from now when that is past).</summary>
    public bool TakeHeartbeat(DateTimeOffset now, int intervalSeconds, out DateTimeOffset beat)
    {
        if (HeartbeatDue is not { } due || due > now)
        {
            beat = default;
            return false;
        }
        beat = due;
        var interval = TimeSpan.FromSeconds(intervalSeconds);
        var next = due + interval;
        HeartbeatDue = interval <= TimeSpan.Zero ? null : next > now ? next : now + interval;
        return true;
    }

    /// <summary>The earliest boot retry (connected, not accepted, nothing in flight) or heartbeat (online).</summary>
    public readonly DateTimeOffset? NextDueAt(bool connected)
    {
        if (!connected)
        {
            return null;
        }
        return IsAccepted ? HeartbeatDue : InFlight ? null : RetryAt;
    }
}
