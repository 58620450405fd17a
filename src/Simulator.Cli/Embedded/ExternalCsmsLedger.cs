using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Simulator.Fleet.ChargePoints;
using Simulator.Metrics;

namespace Simulator.Cli.Embedded;

/// <summary>The loss check against an external <c>fleetsim csms</c> (<c>--csms-control</c>): its ledger, reconciled through its control API.</summary>
internal static class ExternalCsmsLedger
{
    public static async Task<LossOutcome> CheckLossAsync(Uri controlUrl, IReadOnlyList<ChargePointStopped> stopped, CancellationToken cancellationToken)
    {
        using var control = new HttpClient { BaseAddress = controlUrl.AbsoluteUri.EndsWith('/') ? controlUrl : new Uri(controlUrl.AbsoluteUri + "/"), Timeout = TimeSpan.FromMinutes(2) };
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
            });
        }
        using var response = await control.PostAsJsonAsync(new Uri("ledger/reconcile", UriKind.Relative), produced, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"CSMS control API POST ledger/reconcile answered {(int)response.StatusCode}: {text}");
        }
        var reconciled = JsonNode.Parse(text)!;
        var ledger = JsonNode.Parse(await control.GetStringAsync(new Uri("ledger", UriKind.Relative), cancellationToken).ConfigureAwait(false))!;
        var producedCount = reconciled["produced"]!.GetValue<long>();
        var lost = reconciled["lost"]!.GetValue<long>();
        var examples = reconciled["lostExamples"]!.AsArray()
            .Select(e => $"{e!["chargeBoxId"]} {e["kind"]} connector {e["connectorId"]} at {e["timestamp"]} (transaction {e["transactionId"]?.ToString() ?? "unknown"})")
            .ToList();
        return new LossOutcome(new LossCheck(producedCount, producedCount - lost, lost, ledger["total"]!["resent"]!.GetValue<long>()), examples);
    }
}
