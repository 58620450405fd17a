using Simulator.Fleet.ChargePoints;

namespace Simulator.Cli.Embedded;

/// <summary>
/// The loss check's fold for a run in one process (<see cref="SettledMessageFold"/>; a cluster's nodes fold their own, and
/// the coordinator looks them up with <see cref="LookupFor"/>): its look-up is the embedded CSMS's
/// ledger, or an external CSMS's control API (<c>--csms-control</c>); without either no check will run, and settled
/// messages are dropped as they come. Folds every <see cref="Every"/> until stopped.
/// </summary>
internal sealed class LossFold : IAsyncDisposable
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private LossFold(SettledMessageFold fold)
    {
        Fold = fold;
        _loop = fold.RunAsync(Every, _stop.Token);
    }

    public SettledMessageFold Fold { get; }

    public static LossFold Start(IEmbeddedCsms? csms, ExternalCsmsLedger? externalLedger) => new(new SettledMessageFold(LookupFor(csms, externalLedger)));

    /// <summary>The run's ledger look-up: the embedded CSMS's, or an external CSMS's control API; null without either.</summary>
    public static Func<IReadOnlyList<ChargePointStopped>, CancellationToken, Task<IReadOnlyList<LedgerLookup>>>? LookupFor(IEmbeddedCsms? csms, ExternalCsmsLedger? externalLedger)
        => csms is not null ? csms.LookupAsync
            : externalLedger is not null ? externalLedger.LookupAsync
            : null;

    /// <summary>What the charge points held at the stop, with what the fold did not fold.</summary>
    public static IReadOnlyList<ChargePointStopped> WithUnfolded(IReadOnlyList<ChargePointStopped> stopped, LossFold? fold)
        => fold is null ? stopped : [.. stopped, .. fold.Fold.Unfolded()];

    /// <summary>Ends the folding; what is held then stays for the check at the stop.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }
        await _loop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
