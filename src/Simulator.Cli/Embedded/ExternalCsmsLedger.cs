using System.Net.Http.Headers;
using Simulator.Csms;
using Simulator.Fleet.ChargePoints;
using Simulator.Metrics;

namespace Simulator.Cli.Embedded;

/// <summary>
/// The ledger of an external <c>fleetsim csms</c> named with <c>--csms-control</c>, through its control API (its token from
/// <see cref="ControlTokens.EnvironmentVariable"/>): the fold's look-ups during the run and the check at the stop. The HTTP
/// client stays inside, so a run without <c>--csms-control</c> never loads System.Net.Http.
/// </summary>
internal sealed class ExternalCsmsLedger : IDisposable
{
    private readonly HttpClient _control;

    public ExternalCsmsLedger(Uri controlUrl)
    {
        _control = new HttpClient { BaseAddress = controlUrl.AbsoluteUri.EndsWith('/') ? controlUrl : new Uri(controlUrl.AbsoluteUri + "/"), Timeout = TimeSpan.FromMinutes(2) };
        if (Environment.GetEnvironmentVariable(ControlTokens.EnvironmentVariable) is { Length: > 0 } token)
        {
            _control.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    public Task<LossOutcome> ReconcileAsync(IReadOnlyList<ChargePointStopped> stopped, FoldedMessages folded, CancellationToken cancellationToken)
        => CsmsLedgerCheck.ReconcileAsync(_control, stopped, folded, cancellationToken);

    public Task<IReadOnlyList<LedgerLookup>> LookupAsync(IReadOnlyList<ChargePointStopped> settled, CancellationToken cancellationToken)
        => CsmsLedgerCheck.LookupAsync(_control, settled, cancellationToken);

    public void Dispose() => _control.Dispose();
}
