using Simulator.Fleet.Plan;

namespace Simulator.Fleet.Coordination;

/// <summary>What the fleet may ask of the embedded CSMS during a run (storm events). Absent when the target is external.</summary>
public interface ICsmsControl
{
    /// <summary>Drop every connection and refuse new ones for <paramref name="refuseFor"/>, then accept again.</summary>
    Task RestartAsync(TimeSpan refuseFor, RefusalMode mode, CancellationToken cancellationToken);

    /// <summary>Read but never answer for <paramref name="duration"/>.</summary>
    Task BlackholeAsync(TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Delay every answer by <paramref name="delay"/> for <paramref name="duration"/>.</summary>
    Task SlowAsync(TimeSpan delay, TimeSpan duration, CancellationToken cancellationToken);
}
