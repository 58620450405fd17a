using Simulator.Ocpp.V16;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Simulator.Ocpp;
using Simulator.Ocpp.Framing;
using Simulator.Ocpp.Messages;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.FirmwareManagement;
using Simulator.Ocpp.V16.Security;
using Simulator.Ocpp.V16.Types;
using Simulator.Ocpp.Rpc;
using Xunit.Abstractions;

namespace Simulator.Csms.Tests.Reliability;

/// <summary>
/// Over 100,000 malformed frames of every kind at the CSMS over a few connections while a well-behaved charge point's
/// Heartbeat round trip is measured before, during and after. Every frame that is not a CALLRESULT or CALLERROR must get its
/// answer, in order: the CALLERROR the protocol core (FrameParser, OcppCodec, the action table) assigns it, for its id or "-1"
/// when the id cannot be used, or a CALLRESULT when it is valid; a CALLRESULT, a CALLERROR or a message of an unknown type
/// gets nothing (1.6). Invalid UTF-8, binary and broken WebSocket frames get their close code.
/// </summary>
public sealed class FrameFuzzTests(ITestOutputHelper output)
{
    private const int Attackers = 4;
    private const int FramesPerAttacker = 25_500;
    private const int ClosingConnections = 200;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private sealed record Expected(string Id, MessageTypeId Type, string? Code, string Kind, byte[] Frame);

    [Fact]
    public async Task The_CSMS_answers_every_malformed_call_right_and_keeps_serving_a_well_behaved_charge_point()
    {
        await using var csms = await Support.StartAsync(new CsmsOptions { ControlPort = null });
        await using var good = await TestChargePoint.ConnectAsync(csms.Url, "CP-GOOD");
        await good.AskAsync(new BootNotificationRequest { ChargePointVendor = "A", ChargePointModel = "B" });

        var random = new Random(20261204);
        var batches = Enumerable.Range(0, Attackers).Select(a => Generate(new Random(random.Next()), a)).ToList();
        var kinds = batches.SelectMany(b => b).GroupBy(f => f.Kind).ToDictionary(g => g.Key, g => g.Count());

        var process = Process.GetCurrentProcess();
        GC.Collect();
        process.Refresh();
        var rssBefore = process.WorkingSet64;
        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);

        var before = await HeartbeatsAsync(good, 300);

        var attackDone = new CancellationTokenSource();
        var during = new List<double>();
        var heartbeats = Task.Run(async () =>
        {
            while (!attackDone.IsCancellationRequested)
            {
                during.Add(await HeartbeatAsync(good));
            }
        });
        var watch = Stopwatch.StartNew();
        var attacks = batches.Select((frames, i) => AttackAsync(csms.Port, i, frames)).ToList();
        var closers = Enumerable.Range(0, 4).Select(i => ClosersAsync(csms.Port, i, ClosingConnections / 4)).ToList();
        var results = await Task.WhenAll(attacks);
        var closed = (await Task.WhenAll(closers)).Sum();
        var elapsed = watch.Elapsed;
        await attackDone.CancelAsync();
        await heartbeats;

        var after = await HeartbeatsAsync(good, 300);
        GC.Collect();
        process.Refresh();
        var rssAfter = process.WorkingSet64;
        var managedAfter = GC.GetTotalMemory(forceFullCollection: true);

        var sent = results.Sum(r => r.Sent);
        var answered = results.Sum(r => r.Answered);
        output.WriteLine($"frames: {sent:N0} on {Attackers} connections + {closed} connections closed with a close code = {sent + closed:N0} in {elapsed.TotalSeconds:0.0} s ({(sent + closed) / elapsed.TotalSeconds:N0} frames/s survived)");
        output.WriteLine($"CALL-shaped frames answered in order with the expected CALLRESULT/CALLERROR: {answered:N0}");
        foreach (var (kind, count) in kinds.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"  {count,7:N0} {kind}");
        }
        output.WriteLine($"well-behaved Heartbeat round trip (ms): before {Describe(before)}; during {Describe(during)}; after {Describe(after)}");
        output.WriteLine($"RSS before {rssBefore / 1048576.0:0} MB, after {rssAfter / 1048576.0:0} MB; managed heap before {managedBefore / 1048576.0:0.0} MB, after {managedAfter / 1048576.0:0.0} MB");
        var stats = csms.GetStats();
        output.WriteLine($"CSMS: calls received {stats.CallsReceived:N0}, frames rejected {stats.FramesRejected:N0}, ignored {stats.FramesIgnored:N0}, violations {stats.Violations}");

        Assert.All(results, r => Assert.True(r.Mismatches.Count == 0, string.Join("\n", r.Mismatches.Take(10))));
        Assert.True(sent + closed >= 100_000, $"only {sent + closed} frames");
        Assert.Equal(ClosingConnections, closed);
        Assert.True(during.Count > 0, "the well-behaved charge point got no answer during the attack");
        Assert.True(rssAfter - rssBefore < 512L * 1024 * 1024, $"RSS grew by {(rssAfter - rssBefore) / 1048576} MB");
        Assert.True(managedAfter - managedBefore < 100L * 1024 * 1024, $"the managed heap grew by {(managedAfter - managedBefore) / 1048576} MB");
        Assert.Contains("CP-GOOD", csms.ConnectedIds);
    }

    private static string Describe(List<double> ms)
    {
        if (ms.Count == 0)
        {
            return "none";
        }
        ms.Sort();
        return $"n={ms.Count} p50 {ms[ms.Count / 2]:0.00} p99 {ms[(int)(ms.Count * 0.99)]:0.00} max {ms[^1]:0.00}";
    }

    private static async Task<List<double>> HeartbeatsAsync(TestChargePoint cp, int count)
    {
        var times = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            times.Add(await HeartbeatAsync(cp));
        }
        return times;
    }

    private static async Task<double> HeartbeatAsync(TestChargePoint cp)
    {
        var watch = Stopwatch.StartNew();
        Assert.IsType<CallAnswered>(await cp.CallAsync(new HeartbeatRequest(), Wait));
        return watch.Elapsed.TotalMilliseconds;
    }

    private sealed record AttackResult(int Sent, int Answered, List<string> Mismatches);

    /// <summary>Boots, then pipelines the frames while a reader checks every answer against the expected one, in order.</summary>
    private static async Task<AttackResult> AttackAsync(int port, int index, List<Expected> frames)
    {
        var (status, head, socket) = await RawWebSocket.ConnectAsync(port, $"/ocpp/FUZZ-{index}");
        Assert.True(status == 101, head);
        await using var ws = socket!;
        await ws.SendTextAsync("""[2,"boot","BootNotification",{"chargePointVendor":"Fuzz","chargePointModel":"F"}]""");
        Assert.Equal(MessageTypeId.CallResult, Parse((await ws.ReceiveAsync(Wait))!.Payload).Type);

        var expected = new ConcurrentQueue<Expected>();
        var mismatches = new List<string>();
        var allSent = new TaskCompletionSource();
        var answered = 0;
        var reader = Task.Run(async () =>
        {
            while (true)
            {
                if (allSent.Task.IsCompleted && expected.IsEmpty)
                {
                    return;
                }
                var frame = await ws.ReceiveAsync(Wait);
                if (frame is null || frame.Opcode == RawFrame.Close)
                {
                    mismatches.Add($"the connection ended ({frame?.CloseCode}) with {expected.Count} answers outstanding");
                    return;
                }
                if (frame.Opcode != RawFrame.Text)
                {
                    continue; // pings
                }
                var got = Parse(frame.Payload);
                if (!expected.TryDequeue(out var want))
                {
                    mismatches.Add($"an answer nobody expected: {frame.Utf8}");
                    continue;
                }
                if (got.Id != want.Id || got.Type != want.Type || got.Code != want.Code)
                {
                    mismatches.Add($"{want.Kind}: expected {want.Type} {want.Code} for id '{want.Id}', got {got.Type} {got.Code} for '{got.Id}': {Truncate(frame.Utf8)}\n  frame: {Truncate(Encoding.UTF8.GetString(want.Frame))}");
                }
                answered++;
            }
        });
        foreach (var frame in frames)
        {
            if (frame.Type != MessageTypeId.CallError || frame.Code != null)
            {
                expected.Enqueue(frame);
            }
            await ws.SendFrameAsync(RawFrame.Text, frame.Frame);
        }
        // A last valid call: its answer tells the reader that everything before it has been answered.
        var sentinel = Oracle("sentinel", OcppCodec.EncodeCall($"end{index}", Ocpp16.Messages.Of(new HeartbeatRequest()), new HeartbeatRequest()));
        expected.Enqueue(sentinel);
        await ws.SendFrameAsync(RawFrame.Text, sentinel.Frame);
        allSent.SetResult();
        await reader.WaitAsync(TimeSpan.FromMinutes(2));
        return new AttackResult(frames.Count, answered, mismatches);
    }

    /// <summary>The answer's type, id and error code, read with plain JSON so that whatever the CSMS sends can be compared.</summary>
    private static (string? Id, MessageTypeId? Type, string? Code) Parse(byte[] message)
    {
        using var document = System.Text.Json.JsonDocument.Parse(message);
        var array = document.RootElement;
        var type = (MessageTypeId)array[0].GetInt32();
        return (array[1].GetString(), type, type == MessageTypeId.CallError ? array[2].GetString() : null);
    }

    private static string Truncate(string text) => text.Length > 200 ? text[..200] + "…" : text;

    /// <summary>Connections that end with a close code: invalid UTF-8 (1007), binary (1003), a reserved opcode or an unmasked frame (1002).</summary>
    private static async Task<int> ClosersAsync(int port, int closer, int count)
    {
        var random = new Random(closer);
        var closed = 0;
        for (var i = 0; i < count; i++)
        {
            var (_, _, socket) = await RawWebSocket.ConnectAsync(port, $"/ocpp/CLOSER-{closer}-{i}");
            await using var ws = socket!;
            int code;
            switch (random.Next(4))
            {
                case 0:
                    await ws.SendFrameAsync(RawFrame.Text, (byte[])[.. "[2,\"1\",\"Authorize\",{\"idTag\":\""u8, (byte)random.Next(0x80, 0x100), .. "\"}]"u8]);
                    code = 1007;
                    break;
                case 1:
                    var bytes = new byte[random.Next(1, 200)];
                    random.NextBytes(bytes);
                    await ws.SendFrameAsync(RawFrame.Binary, bytes);
                    code = 1003;
                    break;
                case 2:
                    await ws.SendFrameAsync(random.Next(3, 8), "x"u8.ToArray());
                    code = 1002;
                    break;
                default:
                    await ws.SendFrameAsync(RawFrame.Text, """[2,"1","Heartbeat",{}]"""u8.ToArray(), masked: false);
                    code = 1002;
                    break;
            }
            var close = await ws.ReceiveCloseAsync(Wait);
            Assert.Equal(code, close?.CloseCode);
            closed++;
        }
        return closed;
    }

    // ───────────── generation ─────────────

    private static readonly IOcppRequest[] Seeds =
    [
        new HeartbeatRequest(),
        new AuthorizeRequest { IdTag = "TAG-1" },
        new BootNotificationRequest { ChargePointVendor = "Fuzz", ChargePointModel = "F", FirmwareVersion = "1.0" },
        new StatusNotificationRequest { ConnectorId = 1, ErrorCode = ChargePointErrorCode.NoError, Status = ChargePointStatus.Charging, Timestamp = DateTimeOffset.UnixEpoch },
        new MeterValuesRequest { ConnectorId = 1, MeterValue = [new MeterValue { Timestamp = DateTimeOffset.UnixEpoch, SampledValue = [new SampledValue { Value = "12.5", Measurand = Measurand.EnergyActiveImportRegister, Unit = UnitOfMeasure.KWh }] }] },
        new StartTransactionRequest { ConnectorId = 1, IdTag = "TAG-1", MeterStart = 100, Timestamp = DateTimeOffset.UnixEpoch },
        new StopTransactionRequest { TransactionId = 7, MeterStop = 200, Timestamp = DateTimeOffset.UnixEpoch },
        new DataTransferRequest { VendorId = "FleetSim", MessageId = "m", Data = "d" },
        new DiagnosticsStatusNotificationRequest { Status = DiagnosticsStatus.Idle },
        new FirmwareStatusNotificationRequest { Status = FirmwareStatus.Idle },
        new SecurityEventNotificationRequest { Type = "SettingSystemTime", Timestamp = DateTimeOffset.UnixEpoch },
    ];

    private static readonly string[] Shapes =
    [
        "[]", "{}", "[2]", "[2,\"{id}\"]", "[2,\"{id}\",\"Heartbeat\"]", "[2,\"{id}\",\"Heartbeat\",{},{}]", "[2,\"{id}\",{},\"Heartbeat\"]", "\"text\"", "null", "[5,\"{id}\",\"Heartbeat\",{}]",
        "[2,\"{id}\",\"Heartbeat\",{}", "[2,\"{id}\",\"Heartbeat\",{}]]", "[[2,\"{id}\",\"Heartbeat\",{}]]",
    ];

    private static readonly string[] WrongTypes =
    [
        "[2,5,\"Heartbeat\",{}]", "[\"2\",\"{id}\",\"Heartbeat\",{}]", "[2,\"{id}\",7,{}]", "[2,\"{id}\",\"Heartbeat\",[]]", "[2,\"{id}\",\"Heartbeat\",\"x\"]",
        "[2,\"{id}\",\"Heartbeat\",null]", "[2.5,\"{id}\",\"Heartbeat\",{}]", "[2,\"{id}\",\"Authorize\",{\"idTag\":5}]", "[2,\"{id}\",\"StatusNotification\",{\"connectorId\":\"1\",\"errorCode\":\"NoError\",\"status\":\"Available\"}]",
        "[2,\"{id}\",\"StartTransaction\",{\"connectorId\":1,\"idTag\":\"T\",\"meterStart\":1.5,\"timestamp\":\"2026-01-01T00:00:00Z\"}]",
    ];

    private static readonly string[] OtherDirections = ["Reset", "RemoteStartTransaction", "TriggerMessage", "GetConfiguration", "CertificateSigned", "UnlockConnector"];

    private static List<Expected> Generate(Random random, int attacker)
    {
        var frames = new List<Expected>(FramesPerAttacker);
        for (var n = 0; frames.Count < FramesPerAttacker; n++)
        {
            var id = $"f{attacker}-{n}";
            var (kind, bytes) = random.Next(10) switch
            {
                0 => ("valid", Seed(random, id)),
                1 => ("not JSON", NotJson(random)),
                2 => ("wrong array shape", Utf8(Shapes[random.Next(Shapes.Length)].Replace("{id}", id, StringComparison.Ordinal))),
                3 => ("wrong type", Utf8(WrongTypes[random.Next(WrongTypes.Length)].Replace("{id}", id, StringComparison.Ordinal))),
                4 => ("unknown or wrong-direction action", Utf8(random.Next(2) == 0
                    ? $"[2,\"{id}\",\"Nope{random.Next(1000)}\",{{}}]"
                    : $"[2,\"{id}\",\"{OtherDirections[random.Next(OtherDirections.Length)]}\",{{}}]")),
                5 => ("huge id", Utf8($"[2,\"{new string('i', random.Next(37, 5000))}\",\"Heartbeat\",{{}}]")),
                6 or 7 => ("invalid payload", MutatePayload(random, Seed(random, id))),
                8 => ("byte mutation", MutateBytes(random, Seed(random, id))),
                _ => ("result or error from the charge point", random.Next(2) == 0 ? Utf8($"[3,\"{id}\",{{}}]") : OcppCodec.EncodeCallError(Ocpp16.Messages.Errors, id, OcppErrorCode.GenericError, "x")),
            };
            if (!Utf8Helper(bytes))
            {
                continue; // invalid UTF-8 closes the connection (1007); the closers cover it
            }
            frames.Add(Oracle(kind, bytes));
        }
        return frames;
    }

    private static bool Utf8Helper(byte[] bytes) => System.Text.Unicode.Utf8.IsValid(bytes);

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Seed(Random random, string id)
    {
        var seed = Seeds[random.Next(Seeds.Length)];
        return OcppCodec.EncodeCall(id, Ocpp16.Messages.Of(seed), seed);
    }

    private static byte[] NotJson(Random random)
    {
        var chars = new char[random.Next(1, 80)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)random.Next(0x20, 0x7F);
        }
        return Utf8(random.Next(3) == 0 ? "[2,\"x\"," + new string(chars) : new string(chars));
    }

    /// <summary>A random value in place of a random field of the payload, a field removed, or one added.</summary>
    private static byte[] MutatePayload(Random random, byte[] seed)
    {
        var frame = JsonNode.Parse(seed)!.AsArray();
        var payload = frame[3]!.AsObject();
        var names = payload.Select(p => p.Key).ToList();
        switch (names.Count == 0 ? 0 : random.Next(3))
        {
            case 0:
                payload["extra" + random.Next(3)] = RandomValue(random);
                break;
            case 1:
                payload.Remove(names[random.Next(names.Count)]);
                break;
            default:
                payload[names[random.Next(names.Count)]] = RandomValue(random);
                break;
        }
        return Utf8(frame.ToJsonString());
    }

    private static JsonNode? RandomValue(Random random) => random.Next(9) switch
    {
        0 => null,
        1 => JsonValue.Create(random.Next(2) == 0),
        2 => JsonValue.Create(random.Next(int.MinValue, int.MaxValue)),
        3 => JsonValue.Create(random.NextDouble() * 1e12),
        4 => JsonValue.Create(new string('x', random.Next(0, 12000))),
        5 => JsonValue.Create(new[] { "Accepted", "", "2026-02-30T10:00:00Z", "Wh", "NaN" }[random.Next(5)]),
        6 => new JsonObject { ["k"] = random.Next() },
        7 => new JsonArray(1, "a", null),
        _ => JsonNode.Parse("1e400"),
    };

    private static byte[] MutateBytes(Random random, byte[] seed)
    {
        var bytes = (byte[])seed.Clone();
        switch (random.Next(3))
        {
            case 0:
                var at = random.Next(bytes.Length);
                bytes[at] = (byte)random.Next(0x20, 0x7F);
                return bytes;
            case 1:
                return bytes[..random.Next(bytes.Length)];
            default:
                var cut = random.Next(bytes.Length);
                return [.. bytes[..cut], .. "{[\",:]}"u8.ToArray().AsSpan(random.Next(7), 1), .. bytes[cut..]];
        }
    }

    /// <summary>
    /// What the CSMS must answer, decided by the protocol core on its own: a CALL that parses and decodes and goes from
    /// charge point to CSMS gets a CALLRESULT; an unknown action NotImplemented, a CSMS-to-charge-point action NotSupported,
    /// a broken CALL or a frame whose type cannot be read the parser's or decoder's code, for its id or "-1" when the id cannot be
    /// used; a CALLRESULT, CALLERROR or unknown message type nothing (Type CallError, Code null).
    /// </summary>
    private static Expected Oracle(string kind, byte[] bytes)
    {
        if (!FrameParser.TryParse(bytes, out var frame, out var error))
        {
            return error!.Code != OcppErrorCode.MessageTypeNotSupported && error.Type is null or MessageTypeId.Call
                ? new Expected(error.UniqueId ?? "-1", MessageTypeId.CallError, Ocpp16.Messages.Errors.ToWire(error.Code), kind, bytes)
                : new Expected("", MessageTypeId.CallError, null, kind, bytes);
        }
        if (frame.Type != MessageTypeId.Call)
        {
            return new Expected("", MessageTypeId.CallError, null, kind, bytes);
        }
        var action = Ocpp16.Messages.Find(frame.Action!);
        if (action is null)
        {
            return new Expected(frame.UniqueId, MessageTypeId.CallError, nameof(OcppErrorCode.NotImplemented), kind, bytes);
        }
        if ((action.Direction & ActionDirection.ChargePointToCsms) == 0)
        {
            return new Expected(frame.UniqueId, MessageTypeId.CallError, nameof(OcppErrorCode.NotSupported), kind, bytes);
        }
        return OcppCodec.TryDecode(frame.Payload, action.RequestInfo, out _, out var violation)
            ? new Expected(frame.UniqueId, MessageTypeId.CallResult, null, kind, bytes)
            : new Expected(frame.UniqueId, MessageTypeId.CallError, Ocpp16.Messages.Errors.ToWire(violation!.Code), kind, bytes);
    }
}
