using Simulator.Ocpp.V16;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Simulator.ChargePoint;
using Simulator.Ocpp;
using Simulator.Ocpp.Messages;

namespace Simulator.Fleet.State;

/// <summary>
/// The store's keys and values. Keys: <c>chargeBoxId NUL 'M'</c> for a charge point's memory, <c>chargeBoxId NUL 'Q' order</c>
/// (big-endian, so a charge point's queue sorts in order) for each queued message. A queued message is stored as opaque OCPP:
/// its OCPP version, action name and request payload (JSON) plus the queue's metadata, so the queue's format does not depend on the
/// OCPP version. Format 2 adds to format 1 (still read, as 1.6 records): the queued message's OCPP version, and in the memory each open
/// transaction's next seqNo and the changed device-model settings (2.0.1). Format 3 (written now; 1 and 2 still read, as memories without
/// them) adds to the memory the installed charging profiles (SetChargingProfile requests with their limit source) and the 2.0.1 critical
/// security events not yet delivered, both as opaque OCPP like the queue.
/// </summary>
internal static class StateRecords
{
    private const byte Format = 3;
    private const byte FirstFormat = 1;
    private const byte MemoryTag = (byte)'M';
    private const byte QueueTag = (byte)'Q';

    public static byte[] MemoryKey(string chargeBoxId) => Key(chargeBoxId, MemoryTag, 0);

    public static byte[] QueueKey(string chargeBoxId, long order)
    {
        var key = Key(chargeBoxId, QueueTag, 8);
        BinaryPrimitives.WriteInt64BigEndian(key.AsSpan(key.Length - 8), order);
        return key;
    }

    private static byte[] Key(string chargeBoxId, byte tag, int extra)
    {
        var length = Encoding.UTF8.GetByteCount(chargeBoxId);
        var key = new byte[length + 2 + extra];
        Encoding.UTF8.GetBytes(chargeBoxId, key);
        key[length] = 0;
        key[length + 1] = tag;
        return key;
    }

    /// <summary>Splits a key into the charge point and, for a queue entry, the order.</summary>
    public static (string ChargeBoxId, bool IsMemory, long Order) ParseKey(ReadOnlySpan<byte> key)
    {
        var nul = key.IndexOf((byte)0);
        if (nul <= 0 || nul + 1 >= key.Length)
        {
            throw new StateStoreException("a key of the store is malformed");
        }
        var id = Encoding.UTF8.GetString(key[..nul]);
        return key[nul + 1] switch
        {
            MemoryTag when key.Length == nul + 2 => (id, true, 0),
            QueueTag when key.Length == nul + 10 => (id, false, BinaryPrimitives.ReadInt64BigEndian(key[(nul + 2)..])),
            _ => throw new StateStoreException($"a key of charge point '{id}' is malformed"),
        };
    }

    public static byte[] EncodeMemory(ChargePointMemory memory)
    {
        using var stream = new MemoryStream(64 + memory.RegistersWh.Count * 8 + memory.Transactions.Count * 64 + memory.TransactionIds.Count * 12);
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Format);
            w.Write(memory.NextLocalRef);
            w.Write(memory.NextOrder);
            w.Write(memory.SavedAt.UtcTicks);
            w.Write(memory.RegistersWh.Count);
            foreach (var register in memory.RegistersWh)
            {
                w.Write(register);
            }
            w.Write(memory.Transactions.Count);
            foreach (var t in memory.Transactions)
            {
                w.Write(t.ConnectorId);
                w.Write(t.LocalRef);
                w.Write(t.IdTag);
                WriteOptional(w, t.ParentIdTag);
                WriteOptional(w, t.TransactionId);
                w.Write(t.MeterStartWh);
                w.Write(t.StartedAt.UtcTicks);
                WriteOptional(w, t.ReservationId);
                WriteOptional(w, t.NextSeqNo);
            }
            w.Write(memory.TransactionIds.Count);
            foreach (var known in memory.TransactionIds)
            {
                w.Write(known.LocalRef);
                w.Write(known.TransactionId);
            }
            w.Write(memory.Settings?.Count ?? -1);
            foreach (var (name, value) in memory.Settings ?? new Dictionary<string, string>())
            {
                w.Write(name);
                w.Write(value);
            }
            w.Write(memory.ChargingProfiles?.Count ?? -1);
            foreach (var profile in memory.ChargingProfiles ?? [])
            {
                WriteOptional(w, profile.Source);
                WriteRequest(w, profile.Request);
            }
            w.Write(memory.SecurityEvents?.Count ?? -1);
            foreach (var securityEvent in memory.SecurityEvents ?? [])
            {
                WriteRequest(w, securityEvent);
            }
        }
        return stream.ToArray();
    }

    public static ChargePointMemory DecodeMemory(byte[] value)
    {
        using var r = new BinaryReader(new MemoryStream(value), Encoding.UTF8);
        var format = ReadFormat(r);
        var nextLocalRef = r.ReadInt64();
        var nextOrder = r.ReadInt64();
        var savedAt = Utc(r.ReadInt64());
        var registers = new double[Count(r, 100)];
        for (var i = 0; i < registers.Length; i++)
        {
            registers[i] = r.ReadDouble();
        }
        var transactions = new OpenTransactionState[Count(r, 100)];
        for (var i = 0; i < transactions.Length; i++)
        {
            transactions[i] = new OpenTransactionState(r.ReadInt32(), r.ReadInt64(), r.ReadString(), ReadOptionalString(r), ReadOptionalInt(r), r.ReadDouble(), Utc(r.ReadInt64()), ReadOptionalInt(r))
            {
                NextSeqNo = format == FirstFormat ? null : ReadOptionalInt(r),
            };
        }
        var known = new KnownTransactionId[Count(r, 1_000_000)];
        for (var i = 0; i < known.Length; i++)
        {
            known[i] = new KnownTransactionId(r.ReadInt64(), r.ReadInt32());
        }
        Dictionary<string, string>? settings = null;
        if (format != FirstFormat && r.ReadInt32() is var settingCount and not -1)
        {
            settings = new Dictionary<string, string>(settingCount is < 0 or > 100_000 ? throw new StateStoreException($"a record holds an impossible count ({settingCount})") : settingCount, StringComparer.Ordinal);
            for (var i = 0; i < settingCount; i++)
            {
                settings[r.ReadString()] = r.ReadString();
            }
        }
        List<SavedChargingProfile>? profiles = null;
        List<IOcppRequest>? securityEvents = null;
        if (format == Format)
        {
            if (OptionalCount(r, 10_000) is { } profileCount)
            {
                profiles = new List<SavedChargingProfile>(profileCount);
                for (var i = 0; i < profileCount; i++)
                {
                    var source = ReadOptionalString(r);
                    profiles.Add(new SavedChargingProfile(ReadRequest(r, "saved charging profile"), source));
                }
            }
            if (OptionalCount(r, 100_000) is { } eventCount)
            {
                securityEvents = new List<IOcppRequest>(eventCount);
                for (var i = 0; i < eventCount; i++)
                {
                    securityEvents.Add(ReadRequest(r, "saved security event"));
                }
            }
        }
        if (r.BaseStream.Position != value.Length)
        {
            throw new StateStoreException("trailing bytes after a charge point's memory");
        }
        return new ChargePointMemory(nextLocalRef, nextOrder, savedAt, registers, transactions, known)
        {
            Settings = settings,
            ChargingProfiles = profiles,
            SecurityEvents = securityEvents,
        };
    }

    public static byte[] EncodeQueued(QueuedMessageState entry)
    {
        var messages = ChargingStations.MessagesOf(entry.Request);
        var action = messages.Of(entry.Request);
        var payload = JsonSerializer.SerializeToUtf8Bytes(entry.Request, action.RequestInfo);
        using var stream = new MemoryStream(64 + payload.Length);
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Format);
            w.Write(messages.Version);
            w.Write(entry.Kind.ToString());
            w.Write(action.Name);
            w.Write(entry.ConnectorId);
            w.Write(entry.LocalRef);
            w.Write(entry.CreatedAt.UtcTicks);
            w.Write(entry.FailedAttempts);
            w.Write(payload.Length);
            w.Write(payload);
        }
        return stream.ToArray();
    }

    public static QueuedMessageState DecodeQueued(long order, byte[] value)
    {
        using var r = new BinaryReader(new MemoryStream(value), Encoding.UTF8);
        var messages = ReadFormat(r) == FirstFormat ? Ocpp16.Messages : MessagesOf(r.ReadString());
        var kindName = r.ReadString();
        if (!Enum.TryParse<TransactionMessageKind>(kindName, out var kind))
        {
            throw new StateStoreException($"a queued message has the unknown kind '{kindName}'");
        }
        var actionName = r.ReadString();
        var action = messages.Find(actionName) ?? throw new StateStoreException($"a queued message has the unknown action '{actionName}'");
        var connectorId = r.ReadInt32();
        var localRef = r.ReadInt64();
        var createdAt = Utc(r.ReadInt64());
        var failedAttempts = r.ReadInt32();
        var length = Count(r, value.Length);
        var payload = r.ReadBytes(length);
        if (payload.Length != length || r.BaseStream.Position != value.Length)
        {
            throw new StateStoreException($"a queued {actionName} is truncated or has trailing bytes");
        }
        if (!OcppCodec.TryDecode(payload, action.RequestInfo, out var message, out var violation) || message is not IOcppRequest request)
        {
            throw new StateStoreException($"a queued {actionName} is not a valid payload: {violation?.Description ?? "not a request"}");
        }
        return new QueuedMessageState(order, kind, connectorId, localRef, request, createdAt, failedAttempts);
    }

    private static byte ReadFormat(BinaryReader r)
    {
        var format = r.ReadByte();
        return format is >= FirstFormat and <= Format ? format : throw new StateStoreException($"a record has format {format}, this FleetSim reads formats {FirstFormat} to {Format}");
    }

    private static OcppMessageSet MessagesOf(string version) =>
        ChargingStations.Versions.Contains(version)
            ? ChargingStations.MessagesFor(version)
            : throw new StateStoreException($"a saved message is of OCPP version '{version}', which this FleetSim does not speak");

    /// <summary>A request of the memory as opaque OCPP: its version, action and JSON payload.</summary>
    private static void WriteRequest(BinaryWriter w, IOcppRequest request)
    {
        var messages = ChargingStations.MessagesOf(request);
        var action = messages.Of(request);
        var payload = JsonSerializer.SerializeToUtf8Bytes(request, action.RequestInfo);
        w.Write(messages.Version);
        w.Write(action.Name);
        w.Write(payload.Length);
        w.Write(payload);
    }

    private static IOcppRequest ReadRequest(BinaryReader r, string what)
    {
        var messages = MessagesOf(r.ReadString());
        var actionName = r.ReadString();
        var action = messages.Find(actionName) ?? throw new StateStoreException($"a {what} has the unknown action '{actionName}'");
        var length = Count(r, (int)Math.Min(int.MaxValue, r.BaseStream.Length));
        var payload = r.ReadBytes(length);
        if (payload.Length != length)
        {
            throw new StateStoreException($"a {what} ({actionName}) is truncated");
        }
        if (!OcppCodec.TryDecode(payload, action.RequestInfo, out var message, out var violation) || message is not IOcppRequest request)
        {
            throw new StateStoreException($"a {what} ({actionName}) is not a valid payload: {violation?.Description ?? "not a request"}");
        }
        return request;
    }

    private static int? OptionalCount(BinaryReader r, int max) => r.ReadInt32() is var count and not -1
        ? count < 0 || count > max ? throw new StateStoreException($"a record holds an impossible count ({count})") : count
        : null;

    private static int Count(BinaryReader r, int max)
    {
        var count = r.ReadInt32();
        return count < 0 || count > max ? throw new StateStoreException($"a record holds an impossible count ({count})") : count;
    }

    private static DateTimeOffset Utc(long ticks) => ticks is < 0 or > 3155378975999999999
        ? throw new StateStoreException("a record holds an impossible time")
        : new DateTimeOffset(ticks, TimeSpan.Zero);

    private static void WriteOptional(BinaryWriter w, string? value)
    {
        w.Write(value is not null);
        if (value is not null)
        {
            w.Write(value);
        }
    }

    private static void WriteOptional(BinaryWriter w, int? value)
    {
        w.Write(value is not null);
        if (value is { } v)
        {
            w.Write(v);
        }
    }

    private static string? ReadOptionalString(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    private static int? ReadOptionalInt(BinaryReader r) => r.ReadBoolean() ? r.ReadInt32() : null;
}

/// <summary>The state directory cannot be used: missing, not a state directory, unreadable or corrupt. The message says which.</summary>
public sealed class StateStoreException(string message, Exception? inner = null) : Exception(message, inner);
