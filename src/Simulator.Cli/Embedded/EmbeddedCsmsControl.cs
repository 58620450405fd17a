using Simulator.Csms;
using Simulator.Fleet.ChargePoints;
using ProducedTransactionMessage = Simulator.Csms.ProducedTransactionMessage;
using Simulator.Fleet.Coordination;
using Simulator.Metrics;
using CsmsKind = Simulator.Csms.TransactionMessageKind;
using CsmsRefusal = Simulator.Csms.RefusalMode;
using PlanRefusal = Simulator.Fleet.Plan.RefusalMode;

namespace Simulator.Cli.Embedded;

/// <summary>The fleet's handle on the in-process embedded CSMS: storm events and the end-of-run loss check.</summary>
internal sealed class EmbeddedCsmsControl(CsmsServer server) : ICsmsControl
{
    public async Task RestartAsync(TimeSpan refuseFor, PlanRefusal mode, CancellationToken cancellationToken)
    {
        // Refuse first, then drop: otherwise the fastest charge points reconnect in between and miss the restart.
        var refusal = server.Faults.RefuseConnectionsAsync(mode == PlanRefusal.Http503 ? CsmsRefusal.Http503 : CsmsRefusal.Tcp, refuseFor);
        await server.Faults.DropAllAsync(DropMode.Abort).ConfigureAwait(false);
        await refusal.ConfigureAwait(false);
    }

    public Task BlackholeAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        server.Faults.BlackHole(duration);
        return Task.CompletedTask;
    }

    public Task SlowAsync(TimeSpan delay, TimeSpan duration, CancellationToken cancellationToken)
    {
        server.Faults.DelayAnswers(delay, delay, duration);
        return Task.CompletedTask;
    }

    /// <summary>Compares what the charge points produced with what the CSMS recorded: lost, and resends recognised.</summary>
    public (LossCheck Check, LossReport Details) CheckLoss(IEnumerable<ChargePointStopped> stopped)
    {
        var produced = stopped.SelectMany(s => s.Produced.Select(p => new ProducedTransactionMessage(
            s.ChargeBoxId,
            p.Kind switch
            {
                ProducedKind.StartTransaction => CsmsKind.Start,
                ProducedKind.StopTransaction => CsmsKind.Stop,
                _ => CsmsKind.MeterValues,
            },
            p.ConnectorId,
            p.IdTag,
            p.Timestamp,
            p.MeterStart,
            p.TransactionId))).ToList();
        var details = server.Ledger.Reconcile(produced);
        var resent = server.Ledger.Report().Total.Resent;
        return (new LossCheck(details.Produced, details.Produced - details.Lost, details.Lost, resent), details);
    }
}
