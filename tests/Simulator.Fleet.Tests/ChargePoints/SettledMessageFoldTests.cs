using Simulator.ChargePoint;
using Simulator.Cli.Embedded;
using Simulator.Csms;
using Simulator.Fleet.ChargePoints;
using Simulator.Metrics;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using ProducedKind = Simulator.Fleet.ChargePoints.ProducedKind;
using ProducedTransactionMessage = Simulator.Fleet.ChargePoints.ProducedTransactionMessage;
using TransactionMessageKind = Simulator.ChargePoint.TransactionMessageKind;

namespace Simulator.Fleet.Tests.ChargePoints;

/// <summary>
/// The loss check's fold: settled messages the ledger recorded leave the charge point and count, the rest stay; at the stop the
/// check comes to what it came to when every message was kept until then.
/// </summary>
public sealed class SettledMessageFoldTests
{
    private const string Cp = "FOLD-1";
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Over_many_answered_and_recorded_messages_the_entries_held_stay_few()
    {
        var ledger = new TransactionLedger();
        var fold = new SettledMessageFold(LookupIn(ledger));
        var fates = new ProducedMessageFates(fold, Cp);
        var transactionId = StartRecordedAndAnswered(fates, ledger);
        const int Messages = 20_000;
        var mostHeld = 0;
        for (var i = 1; i <= Messages; i++)
        {
            var meter = MeterRequest(transactionId, T0.AddSeconds(i));
            fates.Produced(Meter(transactionId, T0.AddSeconds(i)));
            ledger.RecordMeterValues(Cp, meter);
            fates.Answered(meter);
            if (i % 1_000 == 0)
            {
                await fold.FoldAsync(CancellationToken.None);
            }
            mostHeld = Math.Max(mostHeld, fates.Count + fold.Held);
        }
        await fold.FoldAsync(CancellationToken.None);

        Assert.InRange(mostHeld, 1, 1_200);   // the last fold's round and the charge point's last batch, not 20,000
        Assert.InRange(fates.Count + fold.Held, 0, 128);
        Assert.Equal(Messages + 1 - fates.Count, fold.Folded.Acknowledged);
    }

    [Fact]
    public async Task Messages_not_yet_answered_stay_with_the_charge_point()
    {
        var fold = new SettledMessageFold((settled, _) => Task.FromResult<IReadOnlyList<LedgerLookup>>([.. settled.SelectMany(s => s.Produced).Select(_ => LedgerLookup.Recorded)]));
        var fates = new ProducedMessageFates(fold, Cp);
        for (var i = 0; i < 1_000; i++)
        {
            fates.Produced(Meter(7, T0.AddSeconds(i)));
        }
        await fold.FoldAsync(CancellationToken.None);

        Assert.Equal(1_000, fates.Count);
        Assert.Equal(0, fold.Folded.Total);
        Assert.All(fates.AtStop(), m => Assert.Equal(ProducedFate.StillQueued, m.Fate));
    }

    [Fact]
    public async Task Without_a_ledger_settled_messages_are_counted_and_dropped()
    {
        var fold = new SettledMessageFold(null);
        var fates = new ProducedMessageFates(fold, Cp);
        for (var i = 0; i < 10_000; i++)
        {
            fates.Produced(Meter(7, T0.AddSeconds(i)));
            fates.Answered(MeterRequest(7, T0.AddSeconds(i)));
        }
        await fold.FoldAsync(CancellationToken.None);

        Assert.InRange(fates.Count, 0, 128);
        Assert.Equal(0, fold.Held);
        Assert.Equal(10_000 - fates.Count, fold.Dropped);
    }

    [Fact]
    public void Without_a_ledger_a_charge_point_answered_promptly_never_holds_more_than_its_first_small_chunk()
    {
        var fold = new SettledMessageFold(null);
        var fates = new ProducedMessageFates(fold, Cp);
        var most = 0;
        for (var i = 0; i < 1_000; i++)
        {
            fates.Produced(Meter(7, T0.AddSeconds(i)));
            most = Math.Max(most, fates.Count);
            fates.Answered(MeterRequest(7, T0.AddSeconds(i)));
        }

        // No batch to make: the settled ones leave as soon as the first chunk (8 entries) is full, so it is never grown.
        Assert.InRange(most, 1, 8);
        Assert.Equal(1_000 - fates.Count, fold.Dropped);
    }

    [Theory]
    [InlineData("a fold")]
    [InlineData("a fold whose look-up fails")]
    public async Task A_loss_a_duplicate_and_given_up_messages_after_folding_are_found_and_named_as_without_the_fold(string mode)
    {
        var without = await RunAsync(_ => null);
        var with = await RunAsync(ledger => new SettledMessageFold(mode == "a fold" ? LookupIn(ledger) : (_, _) => throw new HttpRequestException("control API gone")));

        var expected = new LossCheck(Produced: 6_002, Delivered: 5_997, Lost: 1, DuplicatesRecognised: 1) { StillQueued = 3, GivenUp = 1 };
        Assert.Equal(expected, without.Outcome.Check);
        var lost = Assert.Single(without.Outcome.LostExamples);
        Assert.StartsWith($"{Cp} MeterValues connector 1 at {T0.AddSeconds(3_000):O}", lost, StringComparison.Ordinal);
        Assert.Equal(expected, with.Outcome.Check);
        Assert.Equal(without.Outcome.LostExamples, with.Outcome.LostExamples);
        if (mode == "a fold")
        {
            Assert.InRange(with.Folded, 5_000, 6_000);
            Assert.InRange(with.HeldAtStop, 0, 1_000);
        }
        else
        {
            Assert.Equal(0, with.Folded);
            Assert.Equal(6_002, with.HeldAtStop);
        }
    }

    /// <summary>
    /// One charge point, one transaction of 6,000 MeterValues and a Stop, with a ledger that records as the CSMS would, except:
    /// sample 3,000 answered but never recorded (lost), 4,000 given up and never recorded, 4,500 given up but recorded (it
    /// arrived; its answer did not), 4,800 recorded twice (a resend), the last three never sent (still queued) and the
    /// fourth-last sent and recorded but not answered by the stop.
    /// </summary>
    private static async Task<(LossOutcome Outcome, long Folded, int HeldAtStop)> RunAsync(Func<TransactionLedger, SettledMessageFold?> foldFor)
    {
        var ledger = new TransactionLedger();
        var fold = foldFor(ledger);
        var fates = new ProducedMessageFates(fold, Cp);
        var transactionId = StartRecordedAndAnswered(fates, ledger);
        const int Samples = 6_000;
        for (var i = 1; i <= Samples; i++)
        {
            var at = T0.AddSeconds(i);
            var meter = MeterRequest(transactionId, at);
            // Produced before the id is known for every tenth: the id learnt at the Start's answer fills it in.
            fates.Produced(i % 10 == 0 ? Meter(null, at) : Meter(transactionId, at));
            switch (i)
            {
                case 3_000:
                    fates.Answered(meter);
                    break;
                case 4_000:
                    fates.GivenUp(TransactionMessageKind.MeterValues, 1, 1);
                    break;
                case 4_500:
                    ledger.RecordMeterValues(Cp, meter);
                    fates.GivenUp(TransactionMessageKind.MeterValues, 1, 1);
                    break;
                case 4_800:
                    ledger.RecordMeterValues(Cp, meter);
                    ledger.RecordMeterValues(Cp, meter);
                    fates.Answered(meter);
                    break;
                case >= Samples - 2:
                    break;
                case Samples - 3:
                    ledger.RecordMeterValues(Cp, meter);
                    break;
                default:
                    ledger.RecordMeterValues(Cp, meter);
                    fates.Answered(meter);
                    break;
            }
            if (fold is not null && i % 700 == 0)
            {
                await fold.FoldAsync(CancellationToken.None);
            }
        }
        var stop = new StopTransactionRequest { TransactionId = transactionId, MeterStop = 9_000, Timestamp = T0.AddHours(3) };
        fates.Produced(new TransactionMessageProduced(TransactionMessageKind.StopTransaction, 1, 1, "TAG", stop.Timestamp, 9_000, transactionId));
        ledger.RecordStop(Cp, stop);
        fates.Answered(stop);
        var heldAtStop = fates.Count + (fold?.Held ?? 0);

        var stopped = new ChargePointStopped(Cp, [.. fates.AtStop()], 3);
        var outcome = await LossClassification.CheckAsync(
            fold is null ? [stopped] : [stopped, .. fold.Unfolded()],
            (some, _) =>
            {
                var details = ledger.Reconcile(ProducedMessages.ForLedger(some));
                return Task.FromResult(new LedgerAnswer(details.Produced, details.Lost, [.. details.LostExamples.Select(ProducedMessages.Describe)]));
            },
            ledger.Report().Total.Resent,
            CancellationToken.None,
            fold?.Folded ?? default);
        return (outcome, fold?.Folded.Total ?? 0, heldAtStop);
    }

    private static Func<IReadOnlyList<ChargePointStopped>, CancellationToken, Task<IReadOnlyList<LedgerLookup>>> LookupIn(TransactionLedger ledger)
        => (settled, _) => Task.FromResult<IReadOnlyList<LedgerLookup>>([.. ledger.Lookup([.. ProducedMessages.ForLedger(settled)]).Select(r => (LedgerLookup)r)]);

    private static int StartRecordedAndAnswered(ProducedMessageFates fates, TransactionLedger ledger)
    {
        var start = new StartTransactionRequest { ConnectorId = 1, IdTag = "TAG", MeterStart = 0, Timestamp = T0 };
        fates.Produced(new TransactionMessageProduced(TransactionMessageKind.StartTransaction, 1, 1, "TAG", T0, 0, null));
        var transactionId = ledger.RecordStart(Cp, start).TransactionId;
        fates.Answered(start);
        fates.TransactionIdLearnt(1, transactionId);
        return transactionId;
    }

    private static TransactionMessageProduced Meter(int? transactionId, DateTimeOffset at) =>
        new(TransactionMessageKind.MeterValues, 1, 1, null, at, null, transactionId);

    private static MeterValuesRequest MeterRequest(int transactionId, DateTimeOffset at) => new()
    {
        ConnectorId = 1,
        TransactionId = transactionId,
        MeterValue = [new MeterValue { Timestamp = at, SampledValue = [new SampledValue { Value = "1" }] }],
    };
}
