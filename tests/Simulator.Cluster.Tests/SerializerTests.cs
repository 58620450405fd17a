using System.Buffers;
using System.Reflection;
using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Akka.Serialization;
using MessagePack;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Cluster;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Simulator.Cluster.Tests;

/// <summary>
/// Every message that crosses nodes goes through our MessagePack serializer and comes back equal. The actor system is
/// built with the production Akka.Hosting builder (<see cref="FleetClusterSetup.WithFleetSerializer"/>) in a host of its own;
/// Akka.Hosting.TestKit 1.5.73 is built on xUnit v3, which this repository's xUnit 2 tests cannot mix with.
/// </summary>
public sealed class SerializerTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(HostedSystem.Start(), output)
{
    private static readonly DateTimeOffset At = new(2025, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);

    /// <summary>One sample of each wire message; the coverage test fails when a new message is missing here.</summary>
    public static IReadOnlyList<IFleetWireMessage> Samples { get; } =
    [
        new StartChargePoint("CP-0001"),
        new StopChargePoint("CP-0002", TimeSpan.FromSeconds(5)),
        new DropNetwork("CP-0003", TimeSpan.FromMilliseconds(12_500)),
        new RebootChargePoint("CP-0004"),
        new ChargePointStopped("CP-0005",
        [
            new ProducedTransactionMessage(ProducedKind.StartTransaction, 1, "TAG-1", At, 1200, null, 7),
            new ProducedTransactionMessage(ProducedKind.MeterValues, 1, null, At.AddSeconds(10), null, 42, 7),
            new ProducedTransactionMessage(ProducedKind.StopTransaction, 2, "TAG-2", new DateTimeOffset(2025, 1, 1, 1, 0, 0, TimeSpan.FromHours(2)), null, 43, 8),
            new ProducedTransactionMessage(ProducedKind.MeterValues, 1, "TAG-201", At, null, null, 9) { EventTransactionId = "18f2a-9", SeqNo = 3 },
        ], 3),
        new RunAssignment("run-1", "smoke", "name: smoke\nduration: 40s\n", new PlanOverrides("embedded", 1500, "CP-{0000}", "40s"), "ws://127.0.0.1:9000/ocpp/", 7, "127.0.0.1:4053"),
        new RunAssignment("run-2", "secure", "name: secure\n", new PlanOverrides(null, null, null, null, 3, "00112233445566778899aabbccddeeff", "/etc/ca.pem", "c/{id}.pem", "c/{id}.key", "ACME", "bytes"),
            "wss://127.0.0.1:9443/ocpp/", 1, "127.0.0.1:4053", ["-----BEGIN CERTIFICATE-----\nroot\n-----END CERTIFICATE-----\n"], []),
        new NodeAssigned("node-b", "akka.tcp://fleetsim@127.0.0.1:4054", []),
        new NodeAssigned("node-c", "akka.tcp://fleetsim@127.0.0.1:4055", [], "-----BEGIN CERTIFICATE-----\nnode CA\n-----END CERTIFICATE-----\n"),
        CollectStatistics.Instance,
        new NodeStatistics("node-b", "akka.tcp://fleetsim@127.0.0.1:4054", Simulator.Metrics.StatisticsSnapshot.Empty("node-b", At).ToBytes()),
        new NodeStatistics("node-c", "akka.tcp://fleetsim@127.0.0.1:4055", [4, 5], new NodeRecords(
            At.UtcTicks,
            [new JournalEvent(3, ConnectionEventKind.Connected, At.UtcTicks + 1)],
            [new JournalAttempts(0, "ok", 1), new JournalAttempts(0, "refused", 4)],
            [new StreamedMessage("CP-0009", new ProducedTransactionMessage(ProducedKind.StartTransaction, 1, "TAG-9", At, 0, null, 1))],
            [new StreamedTransactionId("CP-0009", 1, 901)]),
            [new WindowSlice("Heartbeat", "cp->csms", Simulator.Metrics.LatencyHistogram.FromMicros([900, 1200]).ToCompressedBytes()),
             new WindowSlice("TransactionEvent", "cp->csms", Simulator.Metrics.LatencyHistogram.FromMicros([700]).ToCompressedBytes()) { OcppVersion = "2.0.1" }]),
        CollectFinal.Instance,
        new NodeFinal("node-c", "akka.tcp://fleetsim@127.0.0.1:4055", [1, 2, 3],
            new NodeJournal(At.UtcTicks, [new JournalEvent(17, ConnectionEventKind.Booted, At.UtcTicks + 10)], [new JournalAttempts(3, "ok", 12)])),
        new RunOver("the coordinator was interrupted"),
        new RunOver(null),
        new RunAssignment("run-3", "folded", "name: folded\n", new PlanOverrides(null, null, null, null), "ws://127.0.0.1:9000/ocpp/", 2, "127.0.0.1:4053", NodeCount: 3, LedgerLookups: true),
        new NodeFinal("node-d", "akka.tcp://fleetsim@127.0.0.1:4056", [7], new NodeJournal(At.UtcTicks, [], []), FoldedAcknowledged: 1_234_567_890_123, FoldedGivenUp: 17, Unfolded: 5),
        new NodeUnfolded(
        [
            new ChargePointStopped("CP-0010", [new ProducedTransactionMessage(ProducedKind.MeterValues, 2, null, At, null, 44, 11, ProducedFate.Acknowledged)], 0),
            new ChargePointStopped("CP-0011", [new ProducedTransactionMessage(ProducedKind.StopTransaction, 1, "TAG-11", At, null, null, 12, ProducedFate.GivenUp) { EventTransactionId = "tx-11", SeqNo = 9 }], 0),
        ]),
        new NodeUnfolded([]),
        new LedgerLookupRequest(null, [new ChargePointStopped("CP-0012", [new ProducedTransactionMessage(ProducedKind.StartTransaction, 1, "TAG-12", At, 0, null, 1, ProducedFate.Acknowledged)], 0)]),
        new LedgerLookupRequest(
            new NodeRecords(At.UtcTicks, [], [], [new StreamedMessage("CP-0013", new ProducedTransactionMessage(ProducedKind.MeterValues, 1, null, At, null, null, 2))], [new StreamedTransactionId("CP-0013", 2, 902)]),
            [new ChargePointStopped("CP-0013", [new ProducedTransactionMessage(ProducedKind.MeterValues, 1, null, At, null, 902, 2, ProducedFate.GivenUp)], 0)]),
        new LedgerLookupAnswer([(byte)LedgerLookup.Recorded, (byte)LedgerLookup.NotRecorded, (byte)LedgerLookup.RecordedAgain]),
        new LedgerLookupAnswer([], "CSMS control API POST ledger/lookup answered 503: gone"),
        new ChargePointStopped("CP-0014", [], 0),
        new ChargePointStopped("CP-0015",
        [
            new ProducedTransactionMessage(ProducedKind.StopTransaction, 2, "TAG-15", At, null, 915, 15, ProducedFate.StillQueued) { EventTransactionId = "tx-15", SeqNo = 0 },
            new ProducedTransactionMessage(ProducedKind.StartTransaction, int.MaxValue, "", DateTimeOffset.MinValue, int.MinValue, int.MaxValue, long.MaxValue, ProducedFate.Unknown),
        ], int.MaxValue),
        new RunAssignment("run-4", "roots", "name: roots\n", new PlanOverrides("ws://csms/", 0, "", "1h", 0, "", "", "", "", "", ""), "wss://csms/", -1, "127.0.0.1:4053",
            null, ["-----BEGIN CERTIFICATE-----\ncpo\n-----END CERTIFICATE-----\n", "second"], int.MaxValue, true),
        new NodeAssigned("node-e", "akka.tcp://fleetsim@127.0.0.1:4057", ["no CA file", "the fleet does not fit"]),
        new NodeStatistics("node-e", "akka.tcp://fleetsim@127.0.0.1:4057", [], null, []),
        new NodeStatistics("node-f", "akka.tcp://fleetsim@127.0.0.1:4058", [0xFF], new NodeRecords(0, [], [], [], []), null),
        new NodeFinal("node-f", "akka.tcp://fleetsim@127.0.0.1:4058", [],
            new NodeJournal(long.MaxValue,
                [new JournalEvent(0, ConnectionEventKind.Connected, 1), new JournalEvent(1, ConnectionEventKind.Disconnected, 2), new JournalEvent(2, ConnectionEventKind.Booted, 3)],
                [new JournalAttempts(long.MaxValue, "", 0)]), -1, -2, -3),
        new LedgerLookupRequest(null, []),
        new RunOver(""),
    ];

    public static TheoryData<int> SampleIndexes => [.. Enumerable.Range(0, Samples.Count)];


    [Theory]
    [MemberData(nameof(SampleIndexes))]
    public void Each_wire_message_is_bound_to_the_MessagePack_serializer_and_round_trips(int index)
    {
        var message = Samples[index];
        var serialization = Sys.Serialization;
        var serializer = serialization.FindSerializerFor(message);
        Assert.IsType<FleetMessageSerializer>(serializer);
        Assert.Equal(FleetMessageSerializer.Id, serializer.Identifier);

        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, message);
        Assert.InRange(manifest.Length, 1, 3);
        var bytes = serializer.ToBinary(message);
        var back = serialization.Deserialize(bytes, serializer.Identifier, manifest);

        Assert.IsType(message.GetType(), back);
        Assert.Equivalent(message, back, strict: true);
    }

    /// <summary>The samples that travel as MessagePack (the two requests for statistics travel as empty payloads).</summary>
    public static TheoryData<int> PackedSampleIndexes =>
        [.. Enumerable.Range(0, Samples.Count).Where(i => Samples[i] is not (CollectStatistics or CollectFinal))];

    [Theory]
    [MemberData(nameof(PackedSampleIndexes))]
    public void Each_message_is_written_byte_for_byte_as_the_attribute_driven_resolver_writes_it_and_each_reads_the_others(int index)
    {
        var message = Samples[index];
        var type = message.GetType();
        // The reference: MessagePack's standard resolver, which builds formatters from the [Key] marks by Reflection.Emit
        // (here, under the JIT) — the format the cluster spoke before its formatters were written out.
        var standard = MessagePackSerializerOptions.Standard;
        var expected = MessagePackSerializer.Serialize(type, message, standard);
        var serializer = (FleetMessageSerializer)Sys.Serialization.FindSerializerFor(message);

        var bytes = serializer.ToBinary(message);

        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(bytes));
        Assert.Equivalent(message, serializer.FromBinary(expected, serializer.Manifest(message)), strict: true);
        Assert.Equivalent(message, MessagePackSerializer.Deserialize(type, bytes, standard), strict: true);
    }

    [Fact]
    public void Every_type_a_wire_message_carries_has_a_formatter_that_no_code_generation_made()
    {
        Assert.Same(FleetWireFormat.Resolver, FleetMessageSerializer.Options.Resolver);
        Assert.Same(MessagePackSecurity.UntrustedData, FleetMessageSerializer.Options.Security);
        var wireTypes = typeof(IFleetWireMessage).Assembly.GetTypes()
            .Where(t => typeof(IFleetWireMessage).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
            .ToList();
        var packed = wireTypes.Where(t => KeyedMemberTypes(t).Any()).ToList();
        Assert.Equal(new[] { typeof(CollectFinal), typeof(CollectStatistics) }, wireTypes.Except(packed).OrderBy(t => t.Name));

        var carried = new HashSet<Type>();
        var pending = new Queue<Type>(packed);
        while (pending.TryDequeue(out var type))
        {
            if (!carried.Add(type))
            {
                continue;
            }
            foreach (var inner in KeyedMemberTypes(type).Concat(type.IsGenericType ? type.GetGenericArguments() : []))
            {
                pending.Enqueue(inner);
            }
        }
        Assert.Contains(typeof(IReadOnlyList<StreamedTransactionId>), carried);
        Assert.Contains(typeof(ConnectionEventKind), carried);
        Assert.Contains(typeof(int?), carried);

        var getFormatter = typeof(IFormatterResolver).GetMethod(nameof(IFormatterResolver.GetFormatter))!;
        Assert.All(carried, type =>
        {
            var formatter = getFormatter.MakeGenericMethod(type).Invoke(FleetWireFormat.Resolver, null);
            Assert.True(formatter is not null, $"FleetWireFormat.Resolver has no formatter for {type}");
            var made = formatter.GetType().Assembly;
            Assert.False(made.IsDynamic, $"the formatter for {type} was generated at run time ({made.FullName})");
            Assert.Contains(made, new[] { typeof(FleetWireFormat).Assembly, typeof(MessagePackSerializer).Assembly });
        });
    }

    [Fact]
    public void A_type_without_a_formatter_is_refused_rather_than_generated()
    {
        var message = new NotOnTheWire("CP-0001");
        Assert.NotEmpty(MessagePackSerializer.Serialize(message, MessagePackSerializerOptions.Standard));

        var refused = Assert.Throws<MessagePackSerializationException>(() => MessagePackSerializer.Serialize(message, FleetMessageSerializer.Options));

        Assert.IsType<FormatterNotRegisteredException>(refused.InnerException);
    }

    [Fact]
    public void A_shorter_array_takes_the_declared_defaults_a_longer_one_is_read_past_and_a_missing_required_key_is_refused()
    {
        var options = FleetMessageSerializer.Options;
        var slice = MessagePackSerializer.Deserialize<WindowSlice>(Pack((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(3);
            w.Write("Heartbeat");
            w.Write("cp->csms");
            w.Write([1, 2]);
        }), options);
        Assert.Equivalent(new WindowSlice("Heartbeat", "cp->csms", [1, 2]) { OcppVersion = "" }, slice, strict: true);

        var produced = MessagePackSerializer.Deserialize<ProducedTransactionMessage>(Pack((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(7);
            w.Write((int)ProducedKind.MeterValues);
            w.Write(2);
            w.WriteNil();
            MessagePack.Formatters.DateTimeOffsetFormatter.Instance.Serialize(ref w, At, MessagePackSerializerOptions.Standard);
            w.WriteNil();
            w.Write(44);
            w.Write(11L);
        }), options);
        Assert.Equivalent(new ProducedTransactionMessage(ProducedKind.MeterValues, 2, null, At, null, 44, 11), produced, strict: true);

        var longer = Pack((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(3);
            w.Write("aborted");
            w.Write(42);
            w.WriteArrayHeader(1);
            w.Write("a newer sender's key");
        });
        var runOver = MessagePackSerializer.Deserialize<RunOver>(longer, options, out var bytesRead);
        Assert.Equal(new RunOver("aborted"), runOver);
        Assert.Equal(longer.Length, bytesRead);

        var withoutDrain = Pack((ref MessagePackWriter w) =>
        {
            w.WriteArrayHeader(1);
            w.Write("CP-0001");
        });
        var refused = Assert.Throws<MessagePackSerializationException>(() => MessagePackSerializer.Deserialize<StopChargePoint>(withoutDrain, options));
        Assert.Contains("StopChargePoint has 1 elements; key 1 is missing", refused.InnerException?.Message ?? refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_samples_cover_every_type_that_implements_the_marker_interface()
    {
        var wireTypes = typeof(IFleetWireMessage).Assembly.GetTypes()
            .Where(t => typeof(IFleetWireMessage).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false })
            .OrderBy(t => t.FullName)
            .ToList();
        var sampled = Samples.Select(s => s.GetType()).Distinct().OrderBy(t => t.FullName).ToList();
        Assert.Equal(wireTypes, sampled);
        Assert.Contains(typeof(StartChargePoint), wireTypes);
        Assert.All(typeof(IChargePointCommand).Assembly.GetTypes().Where(t => typeof(IChargePointCommand).IsAssignableFrom(t) && !t.IsInterface),
            t => Assert.True(typeof(IFleetWireMessage).IsAssignableFrom(t), $"{t.Name} addresses a charge point but is not a wire message"));
    }

    [Fact]
    public void Manifests_are_distinct_constants()
    {
        var serializer = (FleetMessageSerializer)Sys.Serialization.FindSerializerForType(typeof(StartChargePoint));
        var manifests = Samples.GroupBy(s => s.GetType()).Select(g => serializer.Manifest(g.First())).ToList();
        Assert.Equal(manifests.Count, manifests.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(manifests, Samples.GroupBy(s => s.GetType()).Select(g => serializer.Manifest(g.Last())).ToList());
    }

    [Fact]
    public void An_unknown_type_or_manifest_is_refused_rather_than_guessed()
    {
        var serializer = (FleetMessageSerializer)Sys.Serialization.FindSerializerForType(typeof(StartChargePoint));
        Assert.ThrowsAny<Exception>(() => serializer.Manifest("not a fleet message"));
        Assert.ThrowsAny<Exception>(() => serializer.ToBinary(42));
        Assert.ThrowsAny<Exception>(() => serializer.FromBinary([0x90], "??"));
    }

    [Fact]
    public async Task With_serialize_messages_on_every_sample_travels_through_an_actor_without_a_warning()
    {
        var echo = Sys.ActorOf(Props.Create(() => new Echo()));
        var warnings = new List<LogEvent>();
        var listener = Sys.ActorOf(Props.Create(() => new LogCollector(warnings)));
        Sys.EventStream.Subscribe(listener, typeof(Warning));
        Sys.EventStream.Subscribe(listener, typeof(Error));

        foreach (var sample in Samples)
        {
            echo.Tell(sample, TestActor);
            var back = await ExpectMsgAsync<IFleetWireMessage>(TimeSpan.FromSeconds(3));
            Assert.Equivalent(sample, back, strict: true);
            if (sample is not (CollectStatistics or CollectFinal))
            {
                Assert.NotSame(sample, back); // it went through the serializer, both ways
            }
        }
        await Task.Delay(200);
        var log = await listener.Ask<IReadOnlyList<string>>(LogCollector.Read.Instance, TimeSpan.FromSeconds(3));
        Assert.Empty(log);
    }

    private static IEnumerable<Type> KeyedMemberTypes(Type type)
        => type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.IsDefined(typeof(KeyAttribute))).Select(p => p.PropertyType)
            .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance).Where(f => f.IsDefined(typeof(KeyAttribute))).Select(f => f.FieldType));

    private delegate void WriteTo(ref MessagePackWriter writer);

    private static byte[] Pack(WriteTo write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The production serializer binding, plus <c>serialize-messages</c> so that local sends are serialized too.</summary>
    private static class HostedSystem
    {
        public static ActorSystem Start()
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Services.AddAkka(nameof(SerializerTests), akka => akka
                .WithFleetSerializer()
                .AddHocon("akka.actor.serialize-messages = on", HoconAddMode.Prepend));
            var host = builder.Build();
            host.Start();
            var system = host.Services.GetRequiredService<ActorSystem>();
            system.WhenTerminated.ContinueWith(_ => host.Dispose(), TaskScheduler.Default);
            return system;
        }
    }

    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(message => Sender.Tell(message));
    }

    private sealed class LogCollector : ReceiveActor
    {
        public LogCollector(List<LogEvent> events)
        {
            Receive<LogEvent>(events.Add);
            Receive<Read>(_ => Sender.Tell((IReadOnlyList<string>)[.. events.Select(e => $"{e.LogLevel()}: {e.Message}")]));
        }

        public sealed class Read : INoSerializationVerificationNeeded
        {
            public static Read Instance { get; } = new();
        }
    }
}

/// <summary>A MessagePack object that no wire message carries, so <see cref="FleetWireFormat"/> has no formatter for it.</summary>
[MessagePackObject]
public sealed record NotOnTheWire([property: Key(0)] string ChargeBoxId);
