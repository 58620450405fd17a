using Simulator.Cli.Embedded;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Cluster;
using Simulator.Metrics;

namespace Simulator.Cli.Cluster;

/// <summary>
/// The loss check of a cluster run, against whichever ledger the run has (the embedded CSMS's, or an external one's through
/// its control API): what the charge points held at the stop with what the nodes' folds kept and folded; apart, what
/// charge points produced on nodes that died (<see cref="LossCheck.OnFailedNodes"/>); and the nodes whose final report
/// never came or whose fold's messages did not all arrive, named in <see cref="LossCheck.Incomplete"/> — what is missing of
/// their folds is in neither.
/// </summary>
internal static class ClusterLossCheck
{
    public static async Task<LossOutcome> CheckAsync(
        ClusterRunResult cluster,
        IReadOnlyList<ChargePointStopped> stopped,
        Func<IReadOnlyList<ChargePointStopped>, FoldedMessages, CancellationToken, Task<LossOutcome>> check,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(check);
        var loss = await check([.. stopped, .. cluster.Unfolded], cluster.Folded, cancellationToken).ConfigureAwait(false);
        var result = loss.Check;
        if (cluster.View.Failures.Count > 0)
        {
            var onFailed = (await check(cluster.ProducedOnFailedNodes, new FoldedMessages(cluster.FoldedOnFailedNodes, 0), cancellationToken).ConfigureAwait(false)).Check;
            result = result with { OnFailedNodes = new FailedNodesLoss(onFailed.Produced, onFailed.Delivered, onFailed.Lost) };
        }
        if (cluster.UncheckedNodes.Count > 0)
        {
            result = result with { Incomplete = cluster.UncheckedNodes };
        }
        return loss with { Check = result };
    }
}
