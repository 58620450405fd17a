using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
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
    /// <summary>Hands the CSMS what the charge points produced (by fate) and reads back what its ledger recorded.</summary>
    public static async Task<LossOutcome> ReconcileAsync(HttpClient control, IReadOnlyList<ChargePointStopped> stopped, FoldedMessages folded, CancellationToken cancellationToken)
    {
        var ledger = JsonNode.Parse(await control.GetStringAsync(new Uri("ledger", UriKind.Relative), cancellationToken).ConfigureAwait(false))!;
        return await LossClassification.CheckAsync(stopped, (some, token) => ReconcileSomeAsync(control, some, token), Resent(ledger), cancellationToken, folded).ConfigureAwait(false);
    }

    /// <summary>The fold's look-up (<c>POST ledger/lookup</c>): whether the ledger recorded each message, in order.</summary>
    public static async Task<IReadOnlyList<LedgerLookup>> LookupAsync(HttpClient control, IReadOnlyList<ChargePointStopped> settled, CancellationToken cancellationToken)
    {
        var text = await PostAsync(control, "ledger/lookup", settled, cancellationToken).ConfigureAwait(false);
        var answer = JsonNode.Parse(text)!;
        var answers = new LedgerLookup[settled.Sum(s => s.Produced.Count)];
        Array.Fill(answers, LedgerLookup.Recorded);
        foreach (var (field, value) in new[] { ("notRecorded", LedgerLookup.NotRecorded), ("recordedAgain", LedgerLookup.RecordedAgain) })
        {
            foreach (var index in answer[field]!.AsArray())
            {
                answers[index!.GetValue<int>()] = value;
            }
        }
        return answers;
    }

    /// <summary>1.6 resends at the top level; 2.0.1 TransactionEvents resent (same transactionId and seqNo) in the ocpp201 section.</summary>
    private static long Resent(JsonNode ledger)
        => ledger["total"]!["resent"]!.GetValue<long>() + (ledger["ocpp201"]?["total"]?["resent"]?.GetValue<long>() ?? 0);

    private static async Task<LedgerAnswer> ReconcileSomeAsync(HttpClient control, IReadOnlyList<ChargePointStopped> stopped, CancellationToken cancellationToken)
    {
        var reconciled = JsonNode.Parse(await PostAsync(control, "ledger/reconcile", stopped, cancellationToken).ConfigureAwait(false))!;
        var producedCount = reconciled["produced"]!.GetValue<long>();
        var lost = reconciled["lost"]!.GetValue<long>();
        var examples = reconciled["lostExamples"]!.AsArray()
            .Select(e => $"{e!["chargeBoxId"]} {e["kind"]} connector {e["connectorId"]} at {e["timestamp"]} (transaction {(e["eventTransactionId"] ?? e["transactionId"])?.ToString() ?? "unknown"}{(e["seqNo"] is { } seqNo ? $" seqNo {seqNo}" : "")})")
            .ToList();
        return new LedgerAnswer(producedCount, lost, examples);
    }

    /// <summary>
    /// Posts the messages as the control API's produced list, written straight into one buffer: a look-up during the run sends
    /// a few seconds' worth of messages, and a tree of JSON nodes for them cost about a kilobyte each.
    /// </summary>
    private static async Task<string> PostAsync(HttpClient control, string path, IReadOnlyList<ChargePointStopped> stopped, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(body))
        {
            writer.WriteStartArray();
            foreach (var message in ProducedMessages.ForLedger(stopped))
            {
                writer.WriteStartObject();
                writer.WriteString("chargeBoxId", message.ChargeBoxId);
                writer.WriteString("kind", message.Kind.ToString());
                writer.WriteNumber("connectorId", message.ConnectorId);
                writer.WriteString("idTag", message.IdTag);
                writer.WriteString("timestamp", message.Timestamp.ToString("O", CultureInfo.InvariantCulture));
                WriteNumber(writer, "meterStart", message.MeterStart);
                WriteNumber(writer, "transactionId", message.TransactionId);
                writer.WriteString("eventTransactionId", message.EventTransactionId);
                WriteNumber(writer, "seqNo", message.SeqNo);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
        }
        using var content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await control.PostAsync(new Uri(path, UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"CSMS control API POST {path} answered {(int)response.StatusCode}: {text}");
        }
        return text;
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
