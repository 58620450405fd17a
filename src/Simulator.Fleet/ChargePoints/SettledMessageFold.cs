namespace Simulator.Fleet.ChargePoints;

/// <summary>A charge point's transaction messages whose fate is settled, handed over in one piece (<see cref="ProducedMessageFates.TakeSettled"/>).</summary>
internal sealed record SettledBatch(string ChargeBoxId, ProducedMessageFates.Entry[] Entries, int Count, string[] Strings);

/// <summary>What the CSMS's ledger says of one produced message.</summary>
public enum LedgerLookup : byte
{
    NotRecorded,
    Recorded,
    /// <summary>Recorded, and its ledger key is the one of an earlier message in the same look-up: counted once, as the final check counts it.</summary>
    RecordedAgain,
}

/// <summary>Folded messages: produced, settled and recorded by the CSMS's ledger, so delivered whatever comes later.</summary>
public readonly record struct FoldedMessages(long Acknowledged, long GivenUp)
{
    public long Total => Acknowledged + GivenUp;
}

/// <summary>
/// The incremental part of the loss check: charge points hand over the transaction messages whose fate is settled (answered
/// or given up), and every few seconds, off their path, these are looked up in the CSMS's ledger. A message it recorded is
/// delivered for good (the ledger forgets nothing during a run), so it is folded into a count by fate and dropped; one it did
/// not record is kept whole, for the check at the stop, which looks it up again with everything still held by the charge
/// points: it may be lost, or (given up) have arrived after all. The check's verdicts and figures are those it would reach
/// with every message kept; the memory is what is still undecided plus the exceptions.
/// </summary>
/// <remarks>
/// Without a look-up (no ledger to check against: an external CSMS without a control API), nobody reads the messages, so
/// settled ones are counted and dropped at once. A look-up that fails (the CSMS's control API gone or too old) keeps what it
/// was given and stops the folding: from then on everything is kept, as without a fold.
/// Like the check at the stop, a ledger key produced twice within one fate counts once — within one look-up; a repeat of a
/// folded key a round later would count twice (no charge point produces one: keys carry the millisecond, transaction id, seqNo).
/// </remarks>
public sealed class SettledMessageFold(Func<IReadOnlyList<ChargePointStopped>, CancellationToken, Task<IReadOnlyList<LedgerLookup>>>? lookup)
{
    private readonly Lock _lock = new();
    private List<SettledBatch> _pending = [];
    private int _pendingCount;
    private readonly List<ChargePointStopped> _unconfirmed = [];
    private int _unconfirmedCount;
    private long _acknowledged, _givenUp, _dropped;
    private bool _lookupFailed;

    /// <summary>Messages held here: handed over and not yet looked up, or looked up and not recorded.</summary>
    public int Held
    {
        get
        {
            lock (_lock)
            {
                return _pendingCount + _unconfirmedCount;
            }
        }
    }

    public FoldedMessages Folded
    {
        get
        {
            lock (_lock)
            {
                return new FoldedMessages(_acknowledged, _givenUp);
            }
        }
    }

    /// <summary>Settled messages dropped without a look-up (no ledger).</summary>
    public long Dropped
    {
        get
        {
            lock (_lock)
            {
                return _dropped;
            }
        }
    }

    /// <summary>Why the folding stopped, if it did.</summary>
    public string? LookupFailure { get; private set; }

    /// <summary>False without a look-up: what is handed over is only counted.</summary>
    internal bool KeepsMessages => lookup is not null;

    /// <summary>Settled messages handed over without a look-up to do (<see cref="KeepsMessages"/> false): only counted.</summary>
    internal void Count(int settled)
    {
        lock (_lock)
        {
            _dropped += settled;
        }
    }

    internal void Add(SettledBatch batch)
    {
        lock (_lock)
        {
            if (lookup is null)
            {
                _dropped += batch.Count;
                return;
            }
            _pending.Add(batch);
            _pendingCount += batch.Count;
        }
    }

    /// <summary>Looks up what was handed over since the last round and folds what the ledger recorded.</summary>
    public async Task FoldAsync(CancellationToken cancellationToken)
    {
        List<SettledBatch> batches;
        lock (_lock)
        {
            if (_pending.Count == 0)
            {
                return;
            }
            batches = _pending;
            _pending = [];
            _pendingCount = 0;
            // Counted as held while they are looked up.
            _unconfirmedCount += batches.Sum(b => b.Count);
        }
        // A look-up takes a slice of whole charge points (a key names its charge point, so repeats are within one), a few
        // thousand messages at a time: its records and its request stay small whatever the round holds.
        var byChargePoint = batches.GroupBy(b => b.ChargeBoxId, StringComparer.Ordinal).Select(g => g.ToList()).ToList();
        foreach (var fate in Fates)
        {
            var from = 0;
            while (from < byChargePoint.Count)
            {
                var slice = new List<SettledBatch>();
                var messages = 0;
                for (; from < byChargePoint.Count && (messages == 0 || messages + byChargePoint[from].Sum(b => b.Count) <= LookupSlice); from++)
                {
                    slice.AddRange(byChargePoint[from]);
                    messages += byChargePoint[from].Sum(b => b.Count);
                }
                var settled = OfFate(slice, fate);
                await LookUpAndFoldAsync(settled, fate, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task LookUpAndFoldAsync(List<ChargePointStopped> settled, ProducedFate fate, CancellationToken cancellationToken)
    {
        if (settled.Count == 0)
        {
            return;
        }
        IReadOnlyList<LedgerLookup>? answers = null;
        if (!_lookupFailed && lookup is not null)
        {
            try
            {
                answers = await lookup(settled, cancellationToken).ConfigureAwait(false);
                if (answers.Count != settled.Sum(s => s.Produced.Count))
                {
                    throw new InvalidOperationException($"the ledger answered {answers.Count} look-ups for {settled.Sum(s => s.Produced.Count)} messages");
                }
            }
#pragma warning disable CA1031 // Any failure keeps the messages for the check at the stop, which reports its own errors.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                answers = null;
                if (!cancellationToken.IsCancellationRequested)
                {
                    _lookupFailed = true;
                    LookupFailure = ex.Message;
                }
            }
        }
        Fold(settled, answers, fate);
    }

    /// <summary>Every message not folded, for the check at the stop (after the last <see cref="FoldAsync"/> has ended).</summary>
    public IReadOnlyList<ChargePointStopped> Unfolded()
    {
        lock (_lock)
        {
            return [.. _unconfirmed, .. OfFate(_pending, ProducedFate.Acknowledged), .. OfFate(_pending, ProducedFate.GivenUp)];
        }
    }

    /// <summary>Folds every <paramref name="every"/> until cancelled.</summary>
    public async Task RunAsync(TimeSpan every, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await FoldAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Fold(List<ChargePointStopped> settled, IReadOnlyList<LedgerLookup>? answers, ProducedFate fate)
    {
        lock (_lock)
        {
            var i = 0;
            foreach (var perChargePoint in settled)
            {
                List<ProducedTransactionMessage>? notRecorded = null;
                foreach (var message in perChargePoint.Produced)
                {
                    var answer = answers?[i] ?? LedgerLookup.NotRecorded;
                    i++;
                    _unconfirmedCount--;
                    if (answer == LedgerLookup.NotRecorded)
                    {
                        (notRecorded ??= []).Add(message);
                        _unconfirmedCount++;
                    }
                    else if (answer == LedgerLookup.Recorded)
                    {
                        if (fate == ProducedFate.GivenUp)
                        {
                            _givenUp++;
                        }
                        else
                        {
                            _acknowledged++;
                        }
                    }
                }
                if (notRecorded is not null)
                {
                    _unconfirmed.Add(perChargePoint with { Produced = notRecorded });
                }
            }
        }
    }

    private static List<ChargePointStopped> OfFate(List<SettledBatch> batches, ProducedFate fate)
    {
        var stopped = new List<ChargePointStopped>();
        foreach (var batch in batches)
        {
            List<ProducedTransactionMessage>? messages = null;
            for (var i = 0; i < batch.Count; i++)
            {
                if (batch.Entries[i].Fate == fate)
                {
                    (messages ??= []).Add(ProducedMessageFates.ToMessage(batch.Entries[i], batch.Strings, NoIds, fate));
                }
            }
            if (messages is not null)
            {
                stopped.Add(new ChargePointStopped(batch.ChargeBoxId, messages, 0));
            }
        }
        return stopped;
    }

    /// <summary>About how many messages one look-up asks for (whole charge points: one may bring more).</summary>
    private const int LookupSlice = 8_192;

    private static readonly Dictionary<long, int> NoIds = [];
    private static readonly ProducedFate[] Fates = [ProducedFate.Acknowledged, ProducedFate.GivenUp];
}
