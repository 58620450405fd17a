using Simulator.Fleet.ChargePoints;
using Simulator.Metrics;

namespace Simulator.Cli.Embedded;

/// <summary>A ledger's answer for some produced messages: how many it was given (distinct), how many it never recorded, a few of those.</summary>
internal sealed record LedgerAnswer(long Produced, long NotRecorded, IReadOnlyList<string> NotRecordedExamples);

/// <summary>
/// The loss check after the drain: what the CSMS's ledger recorded of each produced message, by the fate the charge point
/// gave it. Recorded: delivered (whatever the charge point knew). Not recorded: still queued, given up, or — answered, or gone
/// from the queue without an answer — lost. What a <see cref="SettledMessageFold"/> folded during the run (settled and
/// recorded) counts as produced and delivered.
/// </summary>
internal static class LossClassification
{
    public static async Task<LossOutcome> CheckAsync(
        IReadOnlyList<ChargePointStopped> stopped,
        Func<IReadOnlyList<ChargePointStopped>, CancellationToken, Task<LedgerAnswer>> reconcile,
        long duplicates,
        CancellationToken cancellationToken,
        FoldedMessages folded = default)
    {
        List<ChargePointStopped> With(Func<ProducedFate, bool> fate) =>
            [.. stopped.Select(s => s with { Produced = [.. s.Produced.Where(p => fate(p.Fate))] }).Where(s => s.Produced.Count > 0)];
        var queued = await reconcile(With(f => f == ProducedFate.StillQueued), cancellationToken).ConfigureAwait(false);
        var givenUp = await reconcile(With(f => f == ProducedFate.GivenUp), cancellationToken).ConfigureAwait(false);
        var rest = await reconcile(With(f => f is not (ProducedFate.StillQueued or ProducedFate.GivenUp)), cancellationToken).ConfigureAwait(false);
        var produced = queued.Produced + givenUp.Produced + rest.Produced + folded.Total;
        var check = new LossCheck(produced, produced - queued.NotRecorded - givenUp.NotRecorded - rest.NotRecorded, rest.NotRecorded, duplicates)
        {
            StillQueued = queued.NotRecorded,
            GivenUp = givenUp.NotRecorded,
        };
        return new LossOutcome(check, rest.NotRecordedExamples);
    }
}
