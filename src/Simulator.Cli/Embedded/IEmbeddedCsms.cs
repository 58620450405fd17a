using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Coordination;
using Simulator.Metrics;

namespace Simulator.Cli.Embedded;

/// <summary>The embedded CSMS of a run, in this process or in its own: where to connect, storm events, the loss check.</summary>
internal interface IEmbeddedCsms : ICsmsControl, IAsyncDisposable
{
    Uri Url { get; }

    /// <summary>What the charge points need to connect to it: its CA as CentralSystemRoot (TLS) and, for profile 3, the issuer of client certificates it trusts.</summary>
    Simulator.Fleet.ChargePoints.FleetSecurityMaterials Security { get; }

    /// <summary>Profile 3: accept client certificates issued by <paramref name="issuer"/> too (a cluster node's run CA; public part only).</summary>
    Task TrustClientIssuerAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 issuer, CancellationToken cancellationToken);

    /// <summary>The loss check at the stop: <paramref name="stopped"/> with what the fold did not fold, and what it folded.</summary>
    Task<LossOutcome> CheckLossAsync(IReadOnlyList<ChargePointStopped> stopped, FoldedMessages folded, CancellationToken cancellationToken);

    /// <summary>The fold's look-up during the run: whether the ledger recorded each message, in order.</summary>
    Task<IReadOnlyList<LedgerLookup>> LookupAsync(IReadOnlyList<ChargePointStopped> settled, CancellationToken cancellationToken);
}

/// <summary>The loss check's figures for the report, and a few lost messages to show.</summary>
internal sealed record LossOutcome(LossCheck Check, IReadOnlyList<string> LostExamples);
