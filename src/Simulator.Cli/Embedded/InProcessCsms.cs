using Simulator.Csms;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Plan;
using Simulator.Metrics;
using CsmsRefusal = Simulator.Csms.RefusalMode;
using PlanRefusal = Simulator.Fleet.Plan.RefusalMode;
using ProducedTransactionMessage = Simulator.Csms.ProducedTransactionMessage;

namespace Simulator.Cli.Embedded;

/// <summary>The embedded CSMS in this process: for fleets small enough to share the 20,000 open files with it.</summary>
internal sealed class InProcessCsms(CsmsServer server, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null) : IEmbeddedCsms
{
    public Uri Url => server.Url;

    public FleetSecurityMaterials Security => CsmsCertificateIssuer.MaterialsFor(server.Authority, server.Options.SecurityProfile);

    public static async Task<InProcessCsms> StartAsync(FleetPlan plan)
    {
        var security = plan.Target.Security;
        // Warnings and errors only: the run's own output (live view, summary) stays readable.
        var loggerFactory = Commands.CsmsCommand.CreateLoggerFactory(Microsoft.Extensions.Logging.LogLevel.Warning);
        var server = new CsmsServer(new CsmsOptions
        {
            LoggerFactory = loggerFactory,
            Port = 0,
            ControlPort = null,
            HeartbeatInterval = (int)plan.EmbeddedCsms.HeartbeatInterval.TotalSeconds,
            SecurityProfile = security.Profile,
            SharedAuthorizationKey = security.AuthorizationKey,
            CpoName = security.CpoName,
        });
        foreach (var blocked in plan.Behaviour.IdTags.Blocked)
        {
            server.IdTags.Set(blocked, new IdTagEntry(Simulator.Ocpp.V16.Types.AuthorizationStatus.Blocked));
        }
        await server.StartAsync().ConfigureAwait(false);
        return new InProcessCsms(server, loggerFactory);
    }

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

    public Task<LossOutcome> CheckLossAsync(IReadOnlyList<ChargePointStopped> stopped, FoldedMessages folded, CancellationToken cancellationToken)
        => LossClassification.CheckAsync(stopped, (some, _) =>
        {
            var details = server.Ledger.Reconcile(ProducedMessages.ForLedger(some));
            return Task.FromResult(new LedgerAnswer(details.Produced, details.Lost, [.. details.LostExamples.Select(ProducedMessages.Describe)]));
        }, Resent(server.Ledger.Report()), cancellationToken, folded);

    public Task<IReadOnlyList<LedgerLookup>> LookupAsync(IReadOnlyList<ChargePointStopped> settled, CancellationToken cancellationToken)
        => Task.FromResult<IReadOnlyList<LedgerLookup>>([.. server.Ledger.Lookup([.. ProducedMessages.ForLedger(settled)]).Select(r => (LedgerLookup)r)]);

    private static long Resent(Simulator.Csms.LedgerReport ledger) => ledger.Total.Resent + ledger.Ocpp201.Total.Resent;

    public Task TrustClientIssuerAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 issuer, CancellationToken cancellationToken)
    {
        server.TrustClientIssuer(issuer);
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync().ConfigureAwait(false);
        loggerFactory?.Dispose();
    }
}

/// <summary>What the charge points produced, in the ledger's terms.</summary>
internal static class ProducedMessages
{
    public static IEnumerable<ProducedTransactionMessage> ForLedger(IEnumerable<ChargePointStopped> stopped)
        => stopped.SelectMany(s => s.Produced.Select(p => new ProducedTransactionMessage(
            s.ChargeBoxId,
            p.SeqNo is not null ? TransactionMessageKind.TransactionEvent : p.Kind switch
            {
                ProducedKind.StartTransaction => TransactionMessageKind.Start,
                ProducedKind.StopTransaction => TransactionMessageKind.Stop,
                _ => TransactionMessageKind.MeterValues,
            },
            p.ConnectorId,
            p.IdTag,
            p.Timestamp,
            p.MeterStart,
            p.TransactionId,
            p.EventTransactionId,
            p.SeqNo)));

    public static string Describe(ProducedTransactionMessage lost)
        => $"{lost.ChargeBoxId} {lost.Kind} connector {lost.ConnectorId} at {lost.Timestamp:O} (transaction {lost.EventTransactionId ?? (lost.TransactionId is { } id ? id.ToString(System.Globalization.CultureInfo.InvariantCulture) : "unknown")}{(lost.SeqNo is { } seqNo ? $" seqNo {seqNo}" : "")})";
}
