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
            update.CommandText = "UPDATE state SET value = substr(value, 1, length(value) - 5) WHERE hex(key) LIKE '%0051%'";   // the queue record (NUL 'Q')
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
    public void Charging_profiles_and_2_0_1_security_events_of_the_memory_come_back_after_the_store_is_closed_and_opened_again()
    {
        var path = Path.Combine(_dir.FullName, "store");
        var max16 = new Simulator.Ocpp.V16.SmartCharging.SetChargingProfileRequest
        {
            ConnectorId = 0,
            CsChargingProfiles = new ChargingProfile
            {
                ChargingProfileId = 3,
                StackLevel = 1,
                ChargingProfilePurpose = ChargingProfilePurpose.ChargePointMaxProfile,
                ChargingProfileKind = ChargingProfileKind.Absolute,
                ChargingSchedule = new ChargingSchedule
                {
                    StartSchedule = T0,
                    ChargingRateUnit = ChargingRateUnit.W,
                    ChargingSchedulePeriod = [new ChargingSchedulePeriod { StartPeriod = 0, Limit = 7000.5m }],
                },
            },
        };
        var external201 = new Simulator.Ocpp.V201.SmartCharging.SetChargingProfileRequest
        {
            EvseId = 2,
            ChargingProfile = new Simulator.Ocpp.V201.Types.ChargingProfile
            {
                Id = -3,
                StackLevel = 0,
                ChargingProfilePurpose = Simulator.Ocpp.V201.Types.ChargingProfilePurpose.ChargingStationExternalConstraints,
                ChargingProfileKind = Simulator.Ocpp.V201.Types.ChargingProfileKind.Absolute,
                ChargingSchedule =
                [
                    new Simulator.Ocpp.V201.Types.ChargingSchedule
                    {
                        Id = 1,
                        StartSchedule = T0,
                        ChargingRateUnit = Simulator.Ocpp.V201.Types.ChargingRateUnit.W,
                        ChargingSchedulePeriod = [new Simulator.Ocpp.V201.Types.ChargingSchedulePeriod { StartPeriod = 0, Limit = 2000 }],
                    },
                ],
            },
        };
        var securityEvent = new Simulator.Ocpp.V201.Security.SecurityEventNotificationRequest { Type = "ResetOrReboot", Timestamp = T0, TechInfo = "Immediate" };
        using (var store = ChargePointStateStore.Open(path, create: true, load: false))
        {
            store.Save("CP-16", new ChargePointStateChanges(Memory(1), [], []));
            store.Save("CP-16", new ChargePointStateChanges(Memory(2) with { ChargingProfiles = [new SavedChargingProfile(max16)] }, [], []));
            store.Save("CS-201", new ChargePointStateChanges(new ChargePointMemory(1, 1, T0, [0, 0], [], [])
            {
                ChargingProfiles = [new SavedChargingProfile(external201, "SO")],
                SecurityEvents = [securityEvent],
            }, [], []));
            store.Flush();
            Assert.Null(store.Failure);
        }

        using var reopened = ChargePointStateStore.Open(path, create: false, load: true);
        var cp16 = reopened.TakeRestored("CP-16")!.Memory;
        var profile16 = Assert.Single(cp16.ChargingProfiles!);
        var restored16 = Assert.IsType<Simulator.Ocpp.V16.SmartCharging.SetChargingProfileRequest>(profile16.Request);
        var p16 = restored16.CsChargingProfiles;
        Assert.Equal((0, 3, ChargingProfilePurpose.ChargePointMaxProfile, ChargingProfileKind.Absolute, (DateTimeOffset?)T0, 7000.5m),
            (restored16.ConnectorId, p16.ChargingProfileId, p16.ChargingProfilePurpose, p16.ChargingProfileKind, p16.ChargingSchedule.StartSchedule, p16.ChargingSchedule.ChargingSchedulePeriod.Single().Limit));
        Assert.Null(profile16.Source);
        Assert.Null(cp16.SecurityEvents);
        var cs201 = reopened.TakeRestored("CS-201")!.Memory;
        var profile201 = Assert.Single(cs201.ChargingProfiles!);
        Assert.Equal("SO", profile201.Source);
        var restored = Assert.IsType<Simulator.Ocpp.V201.SmartCharging.SetChargingProfileRequest>(profile201.Request);
        Assert.Equal((2, -3, 2000m), (restored.EvseId, restored.ChargingProfile.Id, restored.ChargingProfile.ChargingSchedule.Single().ChargingSchedulePeriod.Single().Limit));
        Assert.Equal(securityEvent, Assert.Single(cs201.SecurityEvents!));
        Assert.Equal("2 charge points come back with 0 queued transaction messages and 1 interrupted transactions (ended with PowerLoss), "
            + "2 charging profiles (1 of them an external limit, announced to the CSMS again) and 1 critical security event not yet delivered", reopened.RestoredSummary);
    }

    [Fact]
    public void Records_of_format_2_are_read_without_profiles_or_security_events()
    {
        var path = Path.Combine(_dir.FullName, "store");
        using (var store = ChargePointStateStore.Open(path, create: true, load: false))
        {
            store.Flush();
        }
        var memory = new MemoryStream();
        using (var w = new BinaryWriter(memory))
        {
            w.Write((byte)2);
            w.Write(3L);   // next local ref
            w.Write(4L);   // next order
            w.Write(T0.UtcTicks);
            w.Write(1);
            w.Write(10.5);
            w.Write(1);   // one open transaction
            w.Write(1);
            w.Write(3L);
            w.Write("TOKEN");
            w.Write(false);   // parent
            w.Write(false);   // transaction id
            w.Write(10.5);
            w.Write(T0.UtcTicks);
            w.Write(false);   // reservation
            w.Write(true);
            w.Write(5);   // next seqNo
            w.Write(0);   // transaction ids
            w.Write(1);   // settings
            w.Write("OCPPCommCtrlr/HeartbeatInterval");
            w.Write("120");
        }
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(path, "charge-points.sqlite")};Pooling=False"))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO state (key, value) VALUES ($mk, $m)";
            insert.Parameters.AddWithValue("$mk", "CS-1\0M"u8.ToArray());
            insert.Parameters.AddWithValue("$m", memory.ToArray());
            Assert.Equal(1, insert.ExecuteNonQuery());
        }

        using var reopened = ChargePointStateStore.Open(path, create: false, load: true);
        var state = reopened.TakeRestored("CS-1")!.Memory;
        Assert.Equal(5, Assert.Single(state.Transactions).NextSeqNo);
        Assert.Equal("120", state.Settings!["OCPPCommCtrlr/HeartbeatInterval"]);
        Assert.Null(state.ChargingProfiles);
        Assert.Null(state.SecurityEvents);
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
