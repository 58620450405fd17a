using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Simulator.ChargePoint;

namespace Simulator.Fleet.State;

/// <summary>
/// The charge points' non-volatile memory for a node (<c>--state DIR</c>): one SQLite database (WAL, synchronous=FULL) written by
/// one thread with group commit. Charge points hand in their changes after each turn (<see cref="Save"/>: encoded on the caller's
/// thread, no I/O); every <see cref="CommitInterval"/> the writer applies everything handed in since the last commit in one
/// transaction and commits it (the WAL is synced on commit). So a crash of the process or the machine loses at most the changes of
/// the last <see cref="CommitInterval"/> plus the commit in progress; a charge point's changes of one turn are committed together or not at all.
/// </summary>
public sealed class ChargePointStateStore : IDisposable
{
    public static readonly TimeSpan DefaultCommitInterval = TimeSpan.FromMilliseconds(100);

    private const string FileName = "charge-points.sqlite";

    private readonly SqliteConnection _connection;
    private readonly ConcurrentQueue<Batch> _pending = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _writer;
    private readonly ConcurrentDictionary<string, ChargePointPersistentState> _restored = new(StringComparer.Ordinal);
    private readonly Lock _commitLock = new();
    private volatile bool _stopping;
    private long _commits;
    private long _records;

    private ChargePointStateStore(SqliteConnection connection, TimeSpan commitInterval)
    {
        _connection = connection;
        CommitInterval = commitInterval;
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "fleetsim-state-writer" };
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
        var path = Path.Combine(directory, FileName);
        if (!create && !File.Exists(path))
        {
            throw new StateStoreException($"{directory} holds no charge-point store ({FileName} is missing)");
        }
        SqliteConnection? connection = null;
        try
        {
            Directory.CreateDirectory(directory);
            connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
                Pooling = false,
            }.ToString());
            connection.Open();
            using (var setup = connection.CreateCommand())
            {
                // Small pages: every commit rewrites the pages of the charge points it touches, scattered over the file,
                // so the page size is the write amplification of a ~200-byte record (set before the first table exists).
                setup.CommandText = """
                    PRAGMA page_size = 1024;
                    PRAGMA journal_mode = WAL;
                    PRAGMA synchronous = FULL;
                    CREATE TABLE IF NOT EXISTS state (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
                    """;
                setup.ExecuteNonQuery();
            }
            var store = new ChargePointStateStore(connection, commitInterval ?? DefaultCommitInterval);
            if (load)
            {
                store.Load();
            }
            store._writer.Start();
            return store;
        }
        catch (SqliteException ex)
        {
            connection?.Dispose();
            throw new StateStoreException($"{path}: {ex.Message.Replace("SQLite Error ", "", StringComparison.Ordinal)}", ex);
        }
        catch (StateStoreException)
        {
            connection?.Dispose();
            throw;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            connection?.Dispose();
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
        if (changes.Memory is { } memory)
        {
            operations.Add((StateRecords.MemoryKey(chargeBoxId), StateRecords.EncodeMemory(memory)));
        }
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
        if (_writer.IsAlive)
        {
            _writer.Join();
        }
        _connection.Dispose();
        _wake.Dispose();
    }

    private void Load()
    {
        var memories = new Dictionary<string, ChargePointMemory>(StringComparer.Ordinal);
        var queues = new Dictionary<string, List<QueuedMessageState>>(StringComparer.Ordinal);
        using var select = _connection.CreateCommand();
        select.CommandText = "SELECT key, value FROM state ORDER BY key";
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            var (id, isMemory, order) = StateRecords.ParseKey(reader.GetValue(0) as byte[] ?? throw new StateStoreException("a key of the store is not binary"));
            var bytes = reader.GetValue(1) as byte[] ?? throw new StateStoreException($"a record of charge point '{id}' is not binary");
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
        var profiles = memories.Values.Sum(m => m.ChargingProfiles?.Count ?? 0);
        var external = memories.Values.Sum(m => m.ChargingProfiles?.Count(IsExternalLimit) ?? 0);
        var securityEvents = memories.Values.Sum(m => m.SecurityEvents?.Count ?? 0);
        RestoredSummary = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{memories.Count} charge points come back with {queues.Values.Sum(q => q.Count)} queued transaction messages and {memories.Values.Sum(m => m.Transactions.Count)} interrupted transactions (ended with PowerLoss), "
            + $"{profiles} charging profile{(profiles == 1 ? "" : "s")}{(external == 0 ? "" : external == 1 ? " (1 of them an external limit, announced to the CSMS again)" : $" ({external} of them external limits, announced to the CSMS again)")} "
            + $"and {securityEvents} critical security event{(securityEvents == 1 ? "" : "s")} not yet delivered");
    }

    /// <summary>A 2.0.1 station's own ChargingStationExternalConstraints (1.6 has none; its critical security events are in the queue).</summary>
    private static bool IsExternalLimit(SavedChargingProfile saved) => saved.Request is Simulator.Ocpp.V201.SmartCharging.SetChargingProfileRequest
    {
        ChargingProfile.ChargingProfilePurpose: Simulator.Ocpp.V201.Types.ChargingProfilePurpose.ChargingStationExternalConstraints,
    };

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
                using var transaction = _connection.BeginTransaction();
                using var put = _connection.CreateCommand();
                put.Transaction = transaction;
                put.CommandText = "INSERT OR REPLACE INTO state (key, value) VALUES ($key, $value)";
                var putKey = put.Parameters.Add("$key", SqliteType.Blob);
                var putValue = put.Parameters.Add("$value", SqliteType.Blob);
                using var delete = _connection.CreateCommand();
                delete.Transaction = transaction;
                delete.CommandText = "DELETE FROM state WHERE key = $key";
                var deleteKey = delete.Parameters.Add("$key", SqliteType.Blob);
                // Last write wins per key within a commit: a message queued and answered between two commits (the usual case
                // online) becomes a delete of a key that was never written, which leaves the database's pages alone.
                var latest = new Dictionary<byte[], byte[]?>(KeyComparer.Instance);
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
                        latest[key] = value;
                    }
                }
                foreach (var (key, value) in latest)
                {
                    if (value is null)
                    {
                        deleteKey.Value = key;
                        delete.ExecuteNonQuery();
                    }
                    else
                    {
                        putKey.Value = key;
                        putValue.Value = value;
                        put.ExecuteNonQuery();
                    }
                    records++;
                }
                if (Failure is null)
                {
                    transaction.Commit();
                    Interlocked.Increment(ref _commits);
                    Interlocked.Add(ref _records, records);
                }
            }
            catch (SqliteException ex)
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

    private sealed class KeyComparer : IEqualityComparer<byte[]>
    {
        public static KeyComparer Instance { get; } = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj);
            return hash.ToHashCode();
        }
    }
}
