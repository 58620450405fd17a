using Simulator.Ocpp.Framing;

namespace Simulator.Csms;

public enum DropMode
{
    /// <summary>A WebSocket close frame (GoingAway) to every connection.</summary>
    Close,
    /// <summary>An abrupt abort of every TCP connection, no close frame.</summary>
    Abort,
}

public enum RefusalMode
{
    /// <summary>The listening socket is closed, so connects fail with connection refused; open connections stay.</summary>
    Tcp,
    /// <summary>TCP accepts, but the WebSocket upgrade is answered HTTP 503.</summary>
    Http503,
}

public enum BootFaultMode
{
    /// <summary>BootNotification answered Rejected (with the retry interval).</summary>
    Reject,
    /// <summary>BootNotification answered Pending (with the retry interval).</summary>
    Pending,
}

public sealed record FaultCounts(
    long ConnectionsDroppedClose,
    long ConnectionsDroppedAbort,
    long ConnectionsRefusedHttp503,
    long TcpRefusalWindows,
    long AnswersDelayed,
    long ErrorsInjected,
    long CallsBlackholed,
    long BootsRejected,
    long BootsPending);

public sealed record ActiveFaults(
    RefusalMode? Refusal,
    DateTimeOffset? RefusalUntil,
    TimeSpan? DelayMin,
    TimeSpan? DelayMax,
    DateTimeOffset? DelayUntil,
    double? ErrorFraction,
    OcppErrorCode? ErrorCode,
    DateTimeOffset? ErrorsUntil,
    BootFaultMode? Boot,
    int? BootRetryInterval,
    DateTimeOffset? BootUntil,
    DateTimeOffset? BlackHoleUntil);

/// <summary>What the CSMS should do with one inbound CALL under the faults now active.</summary>
internal readonly record struct CallFaultDecision(bool BlackHole, OcppErrorCode? Error, TimeSpan Delay);

/// <summary>
/// The storm instrument: timed faults the CSMS applies to connections and answers. Every fault ends by itself when its
/// duration is up; counts of what they did are kept. Thread-safe.
/// </summary>
public sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private Random _random = new();
    private RefusalMode? _refusal;
    private DateTimeOffset _refusalUntil;
    private TimeSpan _delayMin, _delayMax;
    private DateTimeOffset _delayUntil;
    private double _errorFraction;
    private OcppErrorCode _errorCode = OcppErrorCode.InternalError;
    private DateTimeOffset _errorsUntil;
    private BootFaultMode _boot;
    private int _bootRetry;
    private DateTimeOffset _bootUntil;
    private DateTimeOffset _blackHoleUntil;
    private long _droppedClose, _droppedAbort, _refused503, _tcpWindows, _delayed, _errors, _blackholed, _bootsRejected, _bootsPending;

    internal FaultInjector(TimeProvider time, Func<DropMode, Task<int>> dropAll, Func<TimeSpan, Task> refuseTcp)
    {
        _time = time;
        DropAllHandler = dropAll;
        RefuseTcpHandler = refuseTcp;
    }

    private Func<DropMode, Task<int>> DropAllHandler { get; }

    private Func<TimeSpan, Task> RefuseTcpHandler { get; }

    /// <summary>Drops every connection at once; returns how many were dropped.</summary>
    public async Task<int> DropAllAsync(DropMode mode)
    {
        var dropped = await DropAllHandler(mode).ConfigureAwait(false);
        if (mode == DropMode.Close)
        {
            Interlocked.Add(ref _droppedClose, dropped);
        }
        else
        {
            Interlocked.Add(ref _droppedAbort, dropped);
        }
        return dropped;
    }

    /// <summary>Refuses new connections for the duration, by TCP refusal or HTTP 503 on the upgrade.</summary>
    public async Task RefuseConnectionsAsync(RefusalMode mode, TimeSpan duration)
    {
        Positive(duration);
        lock (_lock)
        {
            _refusal = mode;
            _refusalUntil = _time.GetUtcNow() + duration;
        }
        if (mode == RefusalMode.Tcp)
        {
            Interlocked.Increment(ref _tcpWindows);
            await RefuseTcpHandler(duration).ConfigureAwait(false);
        }
    }

    /// <summary>Delays every answer by a uniform random time in [min, max] (min = max for a fixed delay).</summary>
    public void DelayAnswers(TimeSpan min, TimeSpan max, TimeSpan duration)
    {
        Positive(duration);
        if (min < TimeSpan.Zero || max < min)
        {
            throw new ArgumentException("need 0 <= min <= max");
        }
        lock (_lock)
        {
            _delayMin = min;
            _delayMax = max;
            _delayUntil = _time.GetUtcNow() + duration;
        }
    }

    /// <summary>Answers the given fraction of CALLs with a CALLERROR instead of processing them.</summary>
    public void InjectCallErrors(double fraction, TimeSpan duration, OcppErrorCode code = OcppErrorCode.InternalError, int? seed = null)
    {
        Positive(duration);
        if (fraction is < 0 or > 1 || double.IsNaN(fraction))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), "between 0 and 1");
        }
        lock (_lock)
        {
            _errorFraction = fraction;
            _errorCode = code;
            _errorsUntil = _time.GetUtcNow() + duration;
            if (seed is { } s)
            {
                _random = new Random(s);
            }
        }
    }

    /// <summary>Answers BootNotification Rejected or Pending (interval = retryInterval seconds) for the duration.</summary>
    public void HoldBoots(BootFaultMode mode, int retryInterval, TimeSpan duration)
    {
        Positive(duration);
        ArgumentOutOfRangeException.ThrowIfNegative(retryInterval);
        lock (_lock)
        {
            _boot = mode;
            _bootRetry = retryInterval;
            _bootUntil = _time.GetUtcNow() + duration;
        }
    }

    /// <summary>Reads every CALL but neither processes nor answers it, for the duration.</summary>
    public void BlackHole(TimeSpan duration)
    {
        Positive(duration);
        lock (_lock)
        {
            _blackHoleUntil = _time.GetUtcNow() + duration;
        }
    }

    /// <summary>Ends every timed fault now (a TCP refusal in progress reopens the listener at its planned time).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            _refusal = null;
            _refusalUntil = _delayUntil = _errorsUntil = _bootUntil = _blackHoleUntil = now;
        }
    }

    public FaultCounts Counts => new(
        Interlocked.Read(ref _droppedClose), Interlocked.Read(ref _droppedAbort), Interlocked.Read(ref _refused503), Interlocked.Read(ref _tcpWindows),
        Interlocked.Read(ref _delayed), Interlocked.Read(ref _errors), Interlocked.Read(ref _blackholed), Interlocked.Read(ref _bootsRejected), Interlocked.Read(ref _bootsPending));

    public ActiveFaults Active()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var refusing = _refusal is not null && now < _refusalUntil;
            var delaying = now < _delayUntil;
            var erroring = now < _errorsUntil;
            var booting = now < _bootUntil;
            return new ActiveFaults(
                refusing ? _refusal : null, refusing ? _refusalUntil : null,
                delaying ? _delayMin : null, delaying ? _delayMax : null, delaying ? _delayUntil : null,
                erroring ? _errorFraction : null, erroring ? _errorCode : null, erroring ? _errorsUntil : null,
                booting ? _boot : null, booting ? _bootRetry : null, booting ? _bootUntil : null,
                now < _blackHoleUntil ? _blackHoleUntil : null);
        }
    }

    /// <summary>True (and counted) when an upgrade must be answered 503 now.</summary>
    internal bool ShouldRefuseHttp()
    {
        lock (_lock)
        {
            if (_refusal != RefusalMode.Http503 || _time.GetUtcNow() >= _refusalUntil)
            {
                return false;
            }
        }
        Interlocked.Increment(ref _refused503);
        return true;
    }

    internal CallFaultDecision Decide()
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            if (now < _blackHoleUntil)
            {
                Interlocked.Increment(ref _blackholed);
                return new CallFaultDecision(true, null, TimeSpan.Zero);
            }
            OcppErrorCode? error = null;
            if (now < _errorsUntil && _random.NextDouble() < _errorFraction)
            {
                Interlocked.Increment(ref _errors);
                error = _errorCode;
            }
            var delay = TimeSpan.Zero;
            if (now < _delayUntil)
            {
                delay = _delayMin + (_delayMax - _delayMin) * _random.NextDouble();
                if (delay > TimeSpan.Zero)
                {
                    Interlocked.Increment(ref _delayed);
                }
            }
            return new CallFaultDecision(false, error, delay);
        }
    }

    /// <summary>The boot answer a fault imposes now, if any.</summary>
    internal (BootFaultMode Mode, int RetryInterval)? BootFault()
    {
        lock (_lock)
        {
            if (_time.GetUtcNow() >= _bootUntil)
            {
                return null;
            }
            if (_boot == BootFaultMode.Reject)
            {
                Interlocked.Increment(ref _bootsRejected);
            }
            else
            {
                Interlocked.Increment(ref _bootsPending);
            }
            return (_boot, _bootRetry);
        }
    }

    private static void Positive(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), "must be positive");
        }
    }
}
