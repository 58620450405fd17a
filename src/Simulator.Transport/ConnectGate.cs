namespace Simulator.Transport;

/// <summary>
/// A bound on connection attempts in flight (TCP connect, TLS and upgrade) shared by the connections given it in their
/// <see cref="ConnectionTarget.Gate"/>. Thousands of charge points connecting at the same instant overflow a server's listen
/// queue (Node's is 511): the dropped handshakes come back only after the kernel's SYN retransmit (1 s, then 3 s, 7 s), so
/// all of them are up sooner when no more than a server can queue are in flight at a time.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The semaphore's wait handle is never asked for: it holds no unmanaged resource.")]
public sealed class ConnectGate
{
    private readonly SemaphoreSlim _slots;

    public ConnectGate(int maxInFlight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInFlight, 1);
        MaxInFlight = maxInFlight;
        _slots = new SemaphoreSlim(maxInFlight, maxInFlight);
    }

    public int MaxInFlight { get; }

    /// <summary>Attempts holding a slot now.</summary>
    public int InFlight => MaxInFlight - _slots.CurrentCount;

    internal Task EnterAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    internal void Leave() => _slots.Release();
}
