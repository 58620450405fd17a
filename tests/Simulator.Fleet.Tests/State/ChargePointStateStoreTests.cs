using Simulator.ChargePoint;
using Simulator.Fleet.State;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;

namespace Simulator.Fleet.Tests.State;

/// <summary>The SQLite store: changes handed in, committed, read back after the store was closed; corrupt files refused.</summary>
public sealed class ChargePointStateStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("fleetsim-store-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static QueuedMessageState Start(long order) => new(order, TransactionMessageKind.StartTransaction, 1, 7,
        new StartTransactionRequest { ConnectorId = 1, IdTag = "TAG-1", MeterStart = 1234, Timestamp = T0, ReservationId = 9 }, T0, 0);

    private static QueuedMessageState Meter(long order, int seconds) => new(order, TransactionMessageKind.MeterValues, 1, 7,
        new MeterValuesRequest
        {
            ConnectorId = 1,
            MeterValue = [new MeterValue { Timestamp = T0.AddSeconds(seconds), SampledValue = [new SampledValue { Value = "1300.5", Measurand = Measurand.EnergyActiveImportRegister, Context = ReadingContext.SamplePeriodic }] }],
        }, T0.AddSeconds(seconds), 2);

    private static ChargePointMemory Memory(int version) => new(7, 10 + version, T0.AddSeconds(version), [1300.5 + version, 88.25],
        [new OpenTransactionState(1, 7, "TAG-1", "PARENT", null, 1234.4, T0, 9)], [new KnownTransactionId(5, 41)]);

    [Fact]
    public void Saved_changes_come_back_in_order_after_the_store_is_closed_and_opened_again()
    {
        var path = Path.Combine(_dir.FullName, "store");
        using (var store = ChargePointStateStore.Open(path, create: true, load: false))
        {
            store.Save("CP-1", new ChargePointStateChanges(Memory(1), [Start(3), Meter(4, 10), Meter(5, 20)], []));
            store.Save("CP-2", new ChargePointStateChanges(Memory(0), [], []));
            store.Save("CP-1", new ChargePointStateChanges(null, [Meter(6, 30)], [4]));
            store.Flush();
            Assert.Null(store.Failure);
            Assert.True(store.Commits >= 1);
        }

        using var reopened = ChargePointStateStore.Open(path, create: false, load: true);
        var cp1 = reopened.TakeRestored("CP-1")!;
        Assert.Equal([3L, 5, 6], cp1.Queue.Select(q => q.Order));
        var start = Assert.IsType<StartTransactionRequest>(cp1.Queue[0].Request);
        Assert.Equal(("TAG-1", 1234, T0, (int?)9), (start.IdTag, start.MeterStart, start.Timestamp, start.ReservationId));
        Assert.Equal(TransactionMessageKind.MeterValues, cp1.Queue[2].Kind);
        Assert.Equal(2, cp1.Queue[2].FailedAttempts);
        Assert.Equal(T0.AddSeconds(30), Assert.IsType<MeterValuesRequest>(cp1.Queue[2].Request).MeterValue[0].Timestamp);
        var memory = cp1.Memory;
        Assert.Equal(Memory(1) with { RegistersWh = [], Transactions = [], TransactionIds = [] }, memory with { RegistersWh = [], Transactions = [], TransactionIds = [] });
        Assert.Equal(Memory(1).RegistersWh, memory.RegistersWh);
        Assert.Equal(Memory(1).Transactions, memory.Transactions);
        Assert.Equal(Memory(1).TransactionIds, memory.TransactionIds);
        Assert.Empty(reopened.TakeRestored("CP-2")!.Queue);
        Assert.Null(reopened.TakeRestored("CP-1"));   // once
        Assert.Null(reopened.TakeRestored("CP-3"));
    }

    [Fact]
    public void A_store_that_is_not_a_database_is_refused_with_a_message_naming_it()
    {
        var path = Path.Combine(_dir.FullName, "bad");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "charge-points.sqlite"), new string('#', 8192));

        var error = Assert.Throws<StateStoreException>(() => ChargePointStateStore.Open(path, create: false, load: true));
        Assert.Contains("charge-points.sqlite", error.Message, StringComparison.Ordinal);
        Assert.Throws<StateStoreException>(() => ChargePointStateStore.Open(Path.Combine(_dir.FullName, "none"), create: false, load: true));
    }

    [Fact]
    public void A_queued_record_that_does_not_decode_is_refused()
    {
        var path = Path.Combine(_dir.FullName, "store");
        using (var store = ChargePointStateStore.Open(path, create: true, load: false))
        {
            store.Save("CP-1", new ChargePointStateChanges(Memory(1), [Start(1)], []));
            store.Flush();
        }
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(path, "charge-points.sqlite")};Pooling=False"))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE state SET value = substr(value, 1, length(value) - 5) WHERE length(value) > 120";
            Assert.Equal(1, update.ExecuteNonQuery());
        }

        var error = Assert.Throws<StateStoreException>(() => ChargePointStateStore.Open(path, create: false, load: true));
        Assert.Contains("StartTransaction", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_2_0_1_station_gets_its_TransactionEvents_next_seqNo_and_settings_back()
    {
        var path = Path.Combine(_dir.FullName, "store");
        var started = new Simulator.Ocpp.V201.Transactions.TransactionEventRequest
        {
            EventType = Simulator.Ocpp.V201.Transactions.TransactionEventKind.Started,
            Timestamp = T0,
            TriggerReason = Simulator.Ocpp.V201.Transactions.TriggerReason.CablePluggedIn,
            SeqNo = 0,
            Offline = true,
            TransactionInfo = new Simulator.Ocpp.V201.Transactions.Transaction { TransactionId = "tx-1" },
        };
        var memory = new ChargePointMemory(3, 4, T0, [10.5], [new OpenTransactionState(1, 3, "TOKEN", null, null, 10.5, T0, null) { NextSeqNo = 5 }], [])
        {
            Settings = new Dictionary<string, string> { ["OCPPCommCtrlr/HeartbeatInterval"] = "120" },
        };
        using (var store = ChargePointStateStore.Open(path, create: true, load: false))
        {
            store.Save("CS-1", new ChargePointStateChanges(memory, [new QueuedMessageState(4, TransactionMessageKind.StartTransaction, 1, 3, started, T0, 1)], []));
            store.Flush();
            Assert.Null(store.Failure);
        }

        using var reopened = ChargePointStateStore.Open(path, create: false, load: true);
        var state = reopened.TakeRestored("CS-1")!;
        Assert.Equal(started, Assert.IsType<Simulator.Ocpp.V201.Transactions.TransactionEventRequest>(Assert.Single(state.Queue).Request));
        Assert.Equal(5, Assert.Single(state.Memory.Transactions).NextSeqNo);
        Assert.Equal("120", state.Memory.Settings!["OCPPCommCtrlr/HeartbeatInterval"]);
    }

    [Fact]
    public void Records_of_format_1_written_by_an_earlier_FleetSim_are_read_as_1_6()
    {
        var path = Path.Combine(_dir.FullName, "store");
        using (var store = ChargePointStateStore.Open(path, create: true, load: false))
        {
            store.Flush();
        }
        var memory = new MemoryStream();
        using (var w = new BinaryWriter(memory))
        {
            w.Write((byte)1);
            w.Write(7L);   // next local ref
            w.Write(12L);   // next order
            w.Write(T0.UtcTicks);
            w.Write(1);
            w.Write(1300.5);
            w.Write(0);   // open transactions
            w.Write(1);
            w.Write(5L);
            w.Write(41);
        }
        var payload = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(Start(3).Request, Simulator.Ocpp.V16.Ocpp16.Messages.Of(Start(3).Request).RequestInfo);
        var queued = new MemoryStream();
        using (var w = new BinaryWriter(queued))
        {
            w.Write((byte)1);
            w.Write(nameof(TransactionMessageKind.StartTransaction));
            w.Write("StartTransaction");
            w.Write(1);
            w.Write(7L);
            w.Write(T0.UtcTicks);
            w.Write(0);
            w.Write(payload.Length);
            w.Write(payload);
        }
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(path, "charge-points.sqlite")};Pooling=False"))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO state (key, value) VALUES ($mk, $m), ($qk, $q)";
            insert.Parameters.AddWithValue("$mk", "CP-1\0M"u8.ToArray());
            insert.Parameters.AddWithValue("$m", memory.ToArray());
            insert.Parameters.AddWithValue("$qk", (byte[])[.. "CP-1\0Q"u8, 0, 0, 0, 0, 0, 0, 0, 3]);
            insert.Parameters.AddWithValue("$q", queued.ToArray());
            Assert.Equal(2, insert.ExecuteNonQuery());
        }

        using var reopened = ChargePointStateStore.Open(path, create: false, load: true);
        var state = reopened.TakeRestored("CP-1")!;
        Assert.Equal(Start(3).Request, Assert.Single(state.Queue).Request);
        Assert.Equal([new KnownTransactionId(5, 41)], state.Memory.TransactionIds);
        Assert.Null(state.Memory.Settings);
        Assert.Equal(12, state.Memory.NextOrder);
    }
}
