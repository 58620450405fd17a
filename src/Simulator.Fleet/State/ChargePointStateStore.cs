using System.Collections.Concurrent;
using LightningDB;
using Simulator.ChargePoint;

namespace Simulator.Fleet.State;

/// <summary>
/// The charge points' non-volatile memory for a node (<c>--state DIR</c>): an LMDB environment written by one thread with group
/// commit. Charge points hand in their changes after each turn (<see cref="Save"/>: encoded on the caller's thread, no I/O); every
/// <see cref="CommitInterval"/> the writer applies everything handed in since the last commit in one transaction and commits it
/// (LMDB syncs the data file on commit). So a crash of the process or the machine loses at most the changes of the last
/// <see cref="CommitInterval"/> plus the commit in progress; a charge point's changes of one turn are committed together or not at all.
/// </summary>
public sealed class ChargePointStateStore : IDisposable
{
    public static readonly TimeSpan DefaultCommitInterval = TimeSpan.FromMilliseconds(100);

    private readonly LightningEnvironment _environment;
    private readonly LightningDatabase _database;
    private readonly ConcurrentQueue<Batch> _pending = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _writer;
    private readonly ConcurrentDictionary<string, ChargePointPersistentState> _restored = new(StringComparer.Ordinal);
    private readonly Lock _commitLock = new();
    private volatile bool _stopping;
    private long _commits;
    private long _records;

    private ChargePointStateStore(LightningEnvironment environment, LightningDatabase database, TimeSpan commitInterval)
    {
        _environment = environment;
        _database = database;
        CommitInterval = commitInterval;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "fleetsim-state-writer" };
        _writer.Start();
    }

    public TimeSpan CommitInterval { get; }

    /// <summary>Why writing stopped (disk full, I/O error), or null while the store works. Changes handed in afterwards are dropped.</summary>
    public string? Failure { get; private set; }

    public long Commits => Interlocked.Read(ref _commits);

    /// <summary>Records put or deleted so far.</summary>
    public long Records => Interlocked.Read(ref _records);

    /// <summary>Charge points with a saved state not yet taken by <see cref="TakeRestored"/>.</summary>
    public int RestoredCount => _restored.Count;

    /// <summary>What was loaded, in words: charge points, queued messages, interrupted transactions.</summary>
    public string RestoredSummary { get; private set; } = "nothing was loaded";

    /// <summary>
    /// Opens the store in <paramref name="directory"/> (created when <paramref name="create"/>), and with <paramref name="load"/>
    /// reads every charge point's saved state for <see cref="TakeRestored"/>.
    /// </summary>
    /// <exception cref="StateStoreException">The store cannot be opened or a record is corrupt.</exception>
    public static ChargePointStateStore Open(string directory, bool create, bool load, TimeSpan? commitInterval = null)
    {
        if (!create && !File.Exists(Path.Combine(directory, "data.mdb")))
        {
            throw new StateStoreException($"{directory} holds no charge-point store (data.mdb is missing)");
        }
        LightningEnvironment? environment = null;
        try
        {
            Directory.CreateDirectory(directory);
            environment = new LightningEnvironment(directory, new EnvironmentConfiguration { MapSize = 8L << 30, MaxDatabases = 1 });
            environment.Open(EnvironmentOpenFlags.NoThreadLocalStorage);
            LightningDatabase database;
            using (var transaction = environment.BeginTransaction())
            {
                database = transaction.OpenDatabase(configuration: new DatabaseConfiguration { Flags = DatabaseOpenFlags.None });
                transaction.Commit().ThrowOnError();
            }
            var store = new ChargePointStateStore(environment, database, commitInterval ?? DefaultCommitInterval);
            if (load)
            {
                try
                {
                    store.Load();
                }
                catch
                {
                    store.Dispose();
                    throw;
                }
            }
            return store;
        }
        catch (LightningException ex)
        {
            environment?.Dispose();
            throw new StateStoreException($"{directory}: the charge-point store cannot be opened ({ex.Message})", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            environment?.Dispose();
            throw new StateStoreException($"{directory}: {ex.Message}", ex);
        }
    }

    /// <summary>The saved state of a charge point, once (null when none was saved).</summary>
    public ChargePointPersistentState? TakeRestored(string chargeBoxId) => _restored.TryRemove(chargeBoxId, out var state) ? state : null;

    /// <summary>Hands in a charge point's changes of one turn. Thread-safe; encodes here, writes on the writer thread.</summary>
    public void Save(string chargeBoxId, ChargePointStateChanges changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (Failure is not null)
        {
            return;
        }
        var operations = new List<(byte[] Key, byte[]? Value)>(changes.Appended.Count + changes.Removed.Count + 1);
        foreach (var order in changes.Removed)
        {
            operations.Add((StateRecords.QueueKey(chargeBoxId, order), null));
        }
        foreach (var entry in changes.Appended)
        {
            operations.Add((StateRecords.QueueKey(chargeBoxId, entry.Order), StateRecords.EncodeQueued(entry)));
        }
        operations.Add((StateRecords.MemoryKey(chargeBoxId), StateRecords.EncodeMemory(changes.Memory)));
        _pending.Enqueue(new Batch(operations, null));
    }

    /// <summary>Commits everything handed in so far and returns when it is on disk.</summary>
    public void Flush()
    {
        var done = new ManualResetEventSlim();
        _pending.Enqueue(new Batch(null, done));
        _wake.Set();
        done.Wait(TimeSpan.FromMinutes(1));
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }
        _stopping = true;
        _wake.Set();
        _writer.Join();
        _environment.Dispose();
        _wake.Dispose();
    }

    private void Load()
    {
        var memories = new Dictionary<string, ChargePointMemory>(StringComparer.Ordinal);
        var queues = new Dictionary<string, List<QueuedMessageState>>(StringComparer.Ordinal);
        try
        {
            using var transaction = _environment.BeginTransaction(TransactionBeginFlags.ReadOnly);
            using var cursor = transaction.CreateCursor(_database);
            foreach (var (key, value) in cursor.AsEnumerable())
            {
                var (id, isMemory, order) = StateRecords.ParseKey(key.AsSpan());
                var bytes = value.CopyToNewArray();
                try
                {
                    if (isMemory)
                    {
                        memories[id] = StateRecords.DecodeMemory(bytes);
                    }
                    else
                    {
                        if (!queues.TryGetValue(id, out var queue))
                        {
                            queues[id] = queue = [];
                        }
                        queue.Add(StateRecords.DecodeQueued(order, bytes));
                    }
                }
                catch (EndOfStreamException)
                {
                    throw new StateStoreException($"a record of charge point '{id}' is truncated");
                }
            }
        }
        catch (LightningException ex)
        {
            throw new StateStoreException($"the charge-point store cannot be read ({ex.Message})", ex);
        }
        foreach (var (id, queue) in queues)
        {
            if (!memories.ContainsKey(id))
            {
                throw new StateStoreException($"charge point '{id}' has queued messages but no saved memory");
            }
        }
        foreach (var (id, memory) in memories)
        {
            _restored[id] = new ChargePointPersistentState(memory, queues.TryGetValue(id, out var queue) ? queue : []);
        }
        RestoredSummary = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{memories.Count} charge points come back with {queues.Values.Sum(q => q.Count)} queued transaction messages and {memories.Values.Sum(m => m.Transactions.Count)} interrupted transactions (ended with PowerLoss)");
    }

    private void WriteLoop()
    {
        while (true)
        {
            var stopping = _stopping;
            if (!stopping)
            {
                _wake.WaitOne(CommitInterval);
            }
            Commit();
            if (stopping)
            {
                return;
            }
        }
    }

    private void Commit()
    {
        List<ManualResetEventSlim>? flushed = null;
        lock (_commitLock)
        {
            if (_pending.IsEmpty)
            {
                return;
            }
            long records = 0;
            try
            {
                using var transaction = _environment.BeginTransaction();
                while (_pending.TryDequeue(out var batch))
                {
                    if (batch.Flushed is { } done)
                    {
                        (flushed ??= []).Add(done);
                        continue;
                    }
                    if (Failure is not null)
                    {
                        continue;
                    }
                    foreach (var (key, value) in batch.Operations!)
                    {
                        var result = value is null ? transaction.Delete(_database, key) : transaction.Put(_database, key, value);
                        if (result is not (MDBResultCode.Success or MDBResultCode.NotFound))
                        {
                            throw new StateStoreException($"writing the charge-point store failed: {result}");
                        }
                        records++;
                    }
                }
                if (Failure is null)
                {
                    transaction.Commit().ThrowOnError();
                    Interlocked.Increment(ref _commits);
                    Interlocked.Add(ref _records, records);
                }
            }
            catch (Exception ex) when (ex is LightningException or StateStoreException)
            {
                Failure = ex.Message;
                Console.Error.WriteLine($"The charge points' state is no longer saved: {ex.Message}");
            }
        }
        foreach (var done in flushed ?? [])
        {
            done.Set();
        }
    }

    private sealed record Batch(List<(byte[] Key, byte[]? Value)>? Operations, ManualResetEventSlim? Flushed);
}
