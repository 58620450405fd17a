using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Simulator.Csms;
using Simulator.Fleet.ChargePoints;
using Simulator.Metrics;

namespace Simulator.Cli.Embedded;

/// <summary>
/// The loss check against a <c>fleetsim csms</c> process's ledger, through its control API: the run's own separate CSMS,
/// or an external one named with <c>--csms-control</c> (its token from <see cref="ControlTokens.EnvironmentVariable"/>).
/// </summary>
internal static class CsmsLedgerCheck
{
    public static async Task<LossOutcome> AgainstExternalAsync(Uri controlUrl, IReadOnlyList<ChargePointStopped> stopped, CancellationToken cancellationToken)
    {
        using var control = new HttpClient { BaseAddress = controlUrl.AbsoluteUri.EndsWith('/') ? controlUrl : new Uri(controlUrl.AbsoluteUri + "/"), Timeout = TimeSpan.FromMinutes(2) };
        if (Environment.GetEnvironmentVariable(ControlTokens.EnvironmentVariable) is { Length: > 0 } token)
        {
            control.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return await ReconcileAsync(control, stopped, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hands the CSMS what the charge points produced (by fate) and reads back what its ledger recorded.</summary>
    public static async Task<LossOutcome> ReconcileAsync(HttpClient control, IReadOnlyList<ChargePointStopped> stopped, CancellationToken cancellationToken)
    {
        var ledger = JsonNode.Parse(await control.GetStringAsync(new Uri("ledger", UriKind.Relative), cancellationToken).ConfigureAwait(false))!;
        return await LossClassification.CheckAsync(stopped, (some, token) => ReconcileSomeAsync(control, some, token), Resent(ledger), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>1.6 resends at the top level; 2.0.1 TransactionEvents resent (same transactionId and seqNo) in the ocpp201 section.</summary>
    private static long Resent(JsonNode ledger)
        => ledger["total"]!["resent"]!.GetValue<long>() + (ledger["ocpp201"]?["total"]?["resent"]?.GetValue<long>() ?? 0);

    private static async Task<LedgerAnswer> ReconcileSomeAsync(HttpClient control, IReadOnlyList<ChargePointStopped> stopped, CancellationToken cancellationToken)
    {
        var produced = new JsonArray();
        foreach (var message in ProducedMessages.ForLedger(stopped))
        {
            produced.Add(new JsonObject
            {
                ["chargeBoxId"] = message.ChargeBoxId,
                ["kind"] = message.Kind.ToString(),
                ["connectorId"] = message.ConnectorId,
                ["idTag"] = message.IdTag,
                ["timestamp"] = message.Timestamp.ToString("O", CultureInfo.InvariantCulture),
                ["meterStart"] = message.MeterStart,
                ["transactionId"] = message.TransactionId,
                ["eventTransactionId"] = message.EventTransactionId,
                ["seqNo"] = message.SeqNo,
            });
        }
        using var response = await control.PostAsJsonAsync(new Uri("ledger/reconcile", UriKind.Relative), produced, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"CSMS control API POST ledger/reconcile answered {(int)response.StatusCode}: {text}");
        }
        var reconciled = JsonNode.Parse(text)!;
        var producedCount = reconciled["produced"]!.GetValue<long>();
        var lost = reconciled["lost"]!.GetValue<long>();
        var examples = reconciled["lostExamples"]!.AsArray()
            .Select(e => $"{e!["chargeBoxId"]} {e["kind"]} connector {e["connectorId"]} at {e["timestamp"]} (transaction {(e["eventTransactionId"] ?? e["transactionId"])?.ToString() ?? "unknown"}{(e["seqNo"] is { } seqNo ? $" seqNo {seqNo}" : "")})")
            .ToList();
        return new LedgerAnswer(producedCount, lost, examples);
    }
}
