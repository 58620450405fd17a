using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;
using Simulator.Fleet.ChargePoints;

namespace Simulator.Fleet.Cluster;

/// <summary>
/// The formatters the wire messages are written and read with. Each writes its record as MessagePack's attribute-driven
/// resolver does (an array whose element n is the member marked <c>[Key(n)]</c>, nil for a null record), so the
/// <see cref="MessagePackObjectAttribute"/>/<see cref="KeyAttribute"/> marks stay the description of the format; they are
/// written out here because that resolver builds its formatters with Reflection.Emit, which a fleetsim compiled ahead of
/// time does not have. The resolver holds nothing that generates code: these formatters, MessagePack's ready-made list and
/// enum formatters, and its <see cref="BuiltinResolver"/> (primitives, string, byte[], TimeSpan, DateTimeOffset, nullable
/// primitives). A member type without a formatter here fails with <see cref="FormatterNotRegisteredException"/>, in a test
/// run as in the native binary.
/// </summary>
public static class FleetWireFormat
{
    public static IFormatterResolver Resolver { get; } = CompositeResolver.Create(
    [
        new StartChargePointFormatter(),
        new StopChargePointFormatter(),
        new DropNetworkFormatter(),
        new RebootChargePointFormatter(),
        new ChargePointStoppedFormatter(),
        new ProducedTransactionMessageFormatter(),
        new PlanOverridesFormatter(),
        new RunAssignmentFormatter(),
        new NodeAssignedFormatter(),
        new NodeStatisticsFormatter(),
        new WindowSliceFormatter(),
        new NodeRecordsFormatter(),
        new StreamedMessageFormatter(),
        new StreamedTransactionIdFormatter(),
        new NodeFinalFormatter(),
        new NodeUnfoldedFormatter(),
        new LedgerLookupRequestFormatter(),
        new LedgerLookupAnswerFormatter(),
        new NodeJournalFormatter(),
        new JournalEventFormatter(),
        new JournalAttemptsFormatter(),
        new RunOverFormatter(),
        new InterfaceReadOnlyListFormatter<string>(),
        new InterfaceReadOnlyListFormatter<ProducedTransactionMessage>(),
        new InterfaceReadOnlyListFormatter<ChargePointStopped>(),
        new InterfaceReadOnlyListFormatter<WindowSlice>(),
        new InterfaceReadOnlyListFormatter<JournalEvent>(),
        new InterfaceReadOnlyListFormatter<JournalAttempts>(),
        new InterfaceReadOnlyListFormatter<StreamedMessage>(),
        new InterfaceReadOnlyListFormatter<StreamedTransactionId>(),
        new GenericEnumFormatter<ProducedKind>(),
        new GenericEnumFormatter<ProducedFate>(),
        new GenericEnumFormatter<ConnectionEventKind>(),
    ],
    [BuiltinResolver.Instance]);

    /// <summary>
    /// A record as a MessagePack array indexed by its keys. Reading takes the elements in key order: a key past the end of
    /// the array takes the record's declared default where it has one and is an error where it has none; elements past the
    /// known keys (a newer sender's) are skipped.
    /// </summary>
    private abstract class KeyedArrayFormatter<T>(int keyCount) : IMessagePackFormatter<T?>
        where T : class
    {
        public void Serialize(ref MessagePackWriter writer, T? value, MessagePackSerializerOptions options)
        {
            if (value is null)
            {
                writer.WriteNil();
                return;
            }
            writer.WriteArrayHeader(keyCount);
            Write(ref writer, value, options);
        }

        public T? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            if (reader.TryReadNil())
            {
                return null;
            }
            options.Security.DepthStep(ref reader);
            try
            {
                var elements = new Elements(typeof(T).Name, reader.ReadArrayHeader(), options);
                var value = Read(ref reader, ref elements);
                elements.SkipRest(ref reader);
                return value;
            }
            finally
            {
                reader.Depth--;
            }
        }

        protected abstract void Write(ref MessagePackWriter writer, T value, MessagePackSerializerOptions options);

        /// <summary>Reads the members in key order, one <see cref="Elements.Required"/> or <see cref="Elements.Optional"/> each.</summary>
        protected abstract T Read(ref MessagePackReader reader, ref Elements elements);

        protected static void Put<TMember>(ref MessagePackWriter writer, TMember value, MessagePackSerializerOptions options)
            => options.Resolver.GetFormatterWithVerify<TMember>().Serialize(ref writer, value, options);
    }

    /// <summary>The array elements of one record still to read.</summary>
    private struct Elements(string record, int count, MessagePackSerializerOptions options)
    {
        private int _read;

        public TMember Required<TMember>(ref MessagePackReader reader)
        {
            if (_read >= count)
            {
                throw new MessagePackSerializationException($"{record} has {count} elements; key {_read} is missing");
            }
            return Next<TMember>(ref reader);
        }

        public TMember Optional<TMember>(ref MessagePackReader reader, TMember absent)
            => _read < count ? Next<TMember>(ref reader) : absent;

        public readonly void SkipRest(ref MessagePackReader reader)
        {
            for (var i = _read; i < count; i++)
            {
                reader.Skip();
            }
        }

        private TMember Next<TMember>(ref MessagePackReader reader)
        {
            _read++;
            return options.Resolver.GetFormatterWithVerify<TMember>().Deserialize(ref reader, options);
        }
    }

    private sealed class StartChargePointFormatter() : KeyedArrayFormatter<StartChargePoint>(1)
    {
        protected override void Write(ref MessagePackWriter writer, StartChargePoint value, MessagePackSerializerOptions options)
            => Put(ref writer, value.ChargeBoxId, options);

        protected override StartChargePoint Read(ref MessagePackReader reader, ref Elements elements)
            => new(elements.Required<string>(ref reader));
    }

    private sealed class StopChargePointFormatter() : KeyedArrayFormatter<StopChargePoint>(2)
    {
        protected override void Write(ref MessagePackWriter writer, StopChargePoint value, MessagePackSerializerOptions options)
        {
            Put(ref writer, value.ChargeBoxId, options);
            Put(ref writer, value.DrainFor, options);
        }

        protected override StopChargePoint Read(ref MessagePackReader reader, ref Elements elements)
            => new(elements.Required<string>(ref reader), elements.Required<TimeSpan>(ref reader));
    }

    private sealed class DropNetworkFormatter() : KeyedArrayFormatter<DropNetwork>(2)
    {
        protected override void Write(ref MessagePackWriter writer, DropNetwork value, MessagePackSerializerOptions options)
        {
            Put(ref writer, value.ChargeBoxId, options);
            Put(ref writer, value.For, options);
        }

        protected override DropNetwork Read(ref MessagePackReader reader, ref Elements elements)
            => new(elements.Required<string>(ref reader), elements.Required<TimeSpan>(ref reader));
    }

    private sealed class RebootChargePointFormatter() : KeyedArrayFormatter<RebootChargePoint>(1)
    {
        protected override void Write(ref MessagePackWriter writer, RebootChargePoint value, MessagePackSerializerOptions options)
            => Put(ref writer, value.ChargeBoxId, options);

        protected override RebootChargePoint Read(ref MessagePackReader reader, ref Elements elements)
            => new(elements.Required<string>(ref reader));
    }

    private sealed class ChargePointStoppedFormatter() : KeyedArrayFormatter<ChargePointStopped>(3)
    {
        protected override void Write(ref MessagePackWriter writer, ChargePointStopped value, MessagePackSerializerOptions options)
        {
            Put(ref writer, value.ChargeBoxId, options);
            Put(ref writer, value.Produced, options);
            Put(ref writer, value.UndeliveredTransactionMessages, options);
        }

        protected override ChargePointStopped Read(ref MessagePackReader reader, ref Elements elements)
            => new(
                elements.Required<string>(ref reader),
                elements.Required<IReadOnlyList<ProducedTransactionMessage>>(ref reader),
                elements.Required<int>(ref reader));
    }

    private sealed class ProducedTransactionMessageFormatter() : KeyedArrayFormatter<ProducedTransactionMessage>(10)
    {
        protected override void Write(ref MessagePackWriter writer, ProducedTransactionMessage value, MessagePackSerializerOptions options)
        {
            Put(ref writer, value.Kind, options);
            Put(ref writer, value.ConnectorId, options);
            Put(ref writer, value.IdTag, options);
            Put(ref writer, value.Timestamp, options);
            Put(ref writer, value.MeterStart, options);
            Put(ref writer, value.TransactionId, options);
            Put(ref writer, value.LocalTransactionRef, options);
            Put(ref writer, value.Fate, options);
            Put(ref writer, value.EventTransactionId, options);
            Put(ref writer, value.SeqNo, options);
        }

        protected override ProducedTransactionMessage Read(ref MessagePackReader reader, ref Elements elements)
            => new(
                elements.Required<ProducedKind>(ref reader),
                elements.Required<int>(ref reader),
                elements.Required<string?>(ref reader),
                elements.Required<DateTimeOffset>(ref reader),
                elements.Required<int?>(ref reader),
                elements.Required<int?>(ref reader),
                elements.Required<long>(ref reader),
                elements.Optional(ref reader, ProducedFate.Unknown))
            {
                EventTransactionId = elements.Optional<string?>(ref reader, null),
                SeqNo = elements.Optional<int?>(ref reader, null),
            };
    }

    private sealed class PlanOverridesFormatter() : KeyedArrayFormatter<PlanOverrides>(11)
    {
        protected override void Write(ref MessagePackWriter writer, PlanOverrides value, MessagePackSerializerOptions options)
        {
            Put(ref writer, value.Target, options);
            Put(ref writer, value.Count, options);
            Put(ref writer, value.IdPattern, options);
            Put(ref writer, value.Duration, options);
            Put(ref writer, value.SecurityProfile, options);
            Put(ref writer, value.AuthorizationKey, options);
            Put(ref writer, value.CaCertificate, options);
            Put(ref writer, value.ClientCertificate, options);
            Put(ref writer, value.ClientKey, options);
            Put(ref writer, value.CpoName, options);
            Put(ref writer, value.PasswordEncoding, options);
        }

        protected override PlanOverrides Read(ref MessagePackReader reader, ref Elements elements)
            => new(
                elements.Required<string?>(ref reader),
                elements.Required<int?>(ref reader),
                elements.Required<string?>(ref reader),
                elements.Required<string?>(ref reader),
                elements.Optional<int?>(ref reader, null),
                elements.Optional<string?>(ref reader, null),
                elements.Optional<string?>(ref reader, null),
                elements.Optional<string?>(ref reader, null),
                elements.Optional<string?>(ref reader, null),
                elements.Optional<string?>(ref reader, null),
                elements.Optional<string?>(ref reader, null));
    }

    private sealed class RunAssignmentFormatter() : KeyedArrayFormatter<RunAssignment>(11)
    {
        protected override void Write(ref MessagePackWriter writer, RunAssignment value, MessagePackSerializerOptions options)
        {
            Put(ref writer, value.RunId, options);
            Put(ref writer, value.ProfileName, options);
            Put(ref writer, value.ProfileYaml, options);
            Put(ref writer, value.Overrides, options);
            Put(ref writer, value.TargetUrl, options);
            Put(ref writer, value.Seed, options);
            Put(ref writer, value.SeedNode, options);
            Put(ref writer, value.CentralSystemRootsPem, options);
            Put(ref writer, value.CpoRootsPem, options);
            Put(ref writer, value.NodeCount, options);
            Put(ref writer, value.LedgerLookups, options);
        }

        protected override RunAssignment Read(ref MessagePackReader reader, ref Elements elements)
            => new(
                elements.Required<string>(ref reader),
                elements.Required<string>(ref reader),
                elements.Required<string>(ref reader),
                elements.Required<PlanOverrides>(ref reader),
                elements.Required<string>(ref reader),
                elements.Required<int>(ref reader),
                elements.Required<string>(ref reader),
                elements.Optional<IReadOnlyList<string>?>(ref reader, null),
                elements.Optional<IReadOnlyList<string>?>(ref reader, null),
                elements.Optional(ref reader, 0),
                elements.Optional(ref reader, false));
    }

    private sealed class NodeAssignedFormatter() : KeyedArrayFormatter<NodeAssigned>(4)
    {
        protected override void Write(ref MessagePackWriter writer, NodeAssigned value, MessagePackSerializerOptions options)
        {
            Put(ref writer, value.Node, options);
            Put(ref writer, value.Address, options);
            Put(ref writer, value.Errors, options);
            Put(ref writer, value.ClientCertificateIssuerPem, options);
        }

        protected override NodeAssigned Read(ref MessagePackReader reader, ref Elements elements)
            => new(
                elements.Required<string>(ref reader),
                elements.Required<string>(ref reader),
                elements.Required<IReadOnlyList<string>>(ref reader),
                elements.Optional<string?>(ref reader, null));
    }

    private sealed class NodeStatisticsFormatter() : KeyedArrayFormatter<NodeStatistics>(5)
    {
        protected override void Write(ref MessagePackWriter writer, NodeStatistics value, MessagePackSerializerOptions options)
        {
            Put(ref writer, value.Node, options);
            Put(ref writer, value.Address, options);
            Put(ref writer, value.Snapshot, options);
            Put(ref writer, value.Records, options);
            Put(ref writer, value.Window, options);
        }

        protected override NodeStatistics Read(ref MessagePackReader reader, ref Elements elements)
            => new(
                elements.Required<string>(ref reader),
                elements.Required<string>(ref reader),
                elements.Required<byte[]>(ref reader),
                elements.Optional<NodeRecords?>(ref reader, null),
                elements.Optional<IReadOnlyList<WindowSlice>?>(ref reader, null));
    }

    private sealed class WindowSliceFormatter() : KeyedArrayFormatter<WindowSlice>(4)
    {
        protected override void Write(ref MessagePackWriter writer, WindowSlice value, MessagePackSerializerOptions options)
        {
            Put(ref writer, value.Action, options);
            Put(ref writer, value.Direction, options);
            Put(ref writer, value.Histogram, options);
            Put(ref writer, value.OcppVersion, options);
        }

        protected override WindowSlice Read(ref MessagePackReader reader, ref Elements elements)
            => new(elements.Required<string>(ref reader), elements.Required<string>(ref reader), elements.Required<byte[]>(ref reader))
            {
                OcppVersion = elements.Optional(ref reader, ""),
            };
    }

    private sealed class NodeRecordsFormatter() : KeyedArrayFormatter<NodeRecords>(5)
    {
        protected override void Write(ref MessagePackWriter writer, NodeRecords value, MessagePackSerializerOptions options)
        {
            Put(ref writer, value.JournalOriginUtcTicks, options);
            Put(ref writer, value.Events, options);
            Put(ref writer, value.Attempts, options);
            Put(ref writer, value.Produced, options);
            Put(ref writer, value.TransactionIds, options);
        }

        protected override NodeRecords Read(ref MessagePackReader reader, ref Elements elements)
            => new(
                elements.Required<long>(ref reader),
                elements.Required<IReadOnlyList<JournalEvent>>(ref reader),
                elements.Required<IReadOnlyList<JournalAttempts>>(ref reader),
                elements.Required<IReadOnlyList<StreamedMessage>>(ref reader),
                elements.Required<IReadOnlyList<StreamedTransactionId>>(ref reader));
    }

    private sealed class StreamedMessageFormatter() : KeyedArrayFormatter<StreamedMessage>(2)
    {
        protected override void Write(ref MessagePackWriter writer, StreamedMessage value, MessagePackSerializerOptions options)
        {
            Put(ref writer, value.ChargeBoxId, options);
            Put(ref writer, value.Message, options);
        }

        protected override StreamedMessage Read(ref MessagePackReader reader, ref Elements elements)
            => new(elements.Required<string>(ref reader), elements.Required<ProducedTransactionMessage>(ref reader));
    }

    private sealed class StreamedTransactionIdFormatter() : KeyedArrayFormatter<StreamedTransactionId>(3)
    {
        protected override void Write(ref MessagePackWriter writer, StreamedTransactionId value, MessagePackSerializerOptions options)
        {
            Put(ref writer, value.ChargeBoxId, options);
            Put(ref writer, value.LocalTransactionRef, options);
            Put(ref writer, value.TransactionId, options);
        }

        protected override StreamedTransactionId Read(ref MessagePackReader reader, ref Elements elements)
            => new(elements.Required<string>(ref reader), elements.Required<long>(ref reader), elements.Required<int>(ref reader));
    }

    private sealed class NodeFinalFormatter() : KeyedArrayFormatter<NodeFinal>(7)
    {
        protected override void Write(ref MessagePackWriter writer, NodeFinal value, MessagePackSerializerOptions options)
        {
            Put(ref writer, value.Node, options);
            Put(ref writer, value.Address, options);
            Put(ref writer, value.Snapshot, options);
            Put(ref writer, value.Journal, options);
            Put(ref writer, value.FoldedAcknowledged, options);
            Put(ref writer, value.FoldedGivenUp, options);
            Put(ref writer, value.Unfolded, options);
        }

        protected override NodeFinal Read(ref MessagePackReader reader, ref Elements elements)
            => new(
                elements.Required<string>(ref reader),
                elements.Required<string>(ref reader),
                elements.Required<byte[]>(ref reader),
                elements.Required<NodeJournal>(ref reader),
                elements.Optional(ref reader, 0L),
                elements.Optional(ref reader, 0L),
                elements.Optional(ref reader, 0L));
    }

    private sealed class NodeUnfoldedFormatter() : KeyedArrayFormatter<NodeUnfolded>(1)
    {
        protected override void Write(ref MessagePackWriter writer, NodeUnfolded value, MessagePackSerializerOptions options)
            => Put(ref writer, value.Messages, options);

        protected override NodeUnfolded Read(ref MessagePackReader reader, ref Elements elements)
            => new(elements.Required<IReadOnlyList<ChargePointStopped>>(ref reader));
    }

    private sealed class LedgerLookupRequestFormatter() : KeyedArrayFormatter<LedgerLookupRequest>(2)
    {
        protected override void Write(ref MessagePackWriter writer, LedgerLookupRequest value, MessagePackSerializerOptions options)
        {
            Put(ref writer, value.Records, options);
            Put(ref writer, value.Settled, options);
        }

        protected override LedgerLookupRequest Read(ref MessagePackReader reader, ref Elements elements)
            => new(elements.Required<NodeRecords?>(ref reader), elements.Required<IReadOnlyList<ChargePointStopped>>(ref reader));
    }

    private sealed class LedgerLookupAnswerFormatter() : KeyedArrayFormatter<LedgerLookupAnswer>(2)
    {
        protected override void Write(ref MessagePackWriter writer, LedgerLookupAnswer value, MessagePackSerializerOptions options)
        {
            Put(ref writer, value.Verdicts, options);
            Put(ref writer, value.Error, options);
        }

        protected override LedgerLookupAnswer Read(ref MessagePackReader reader, ref Elements elements)
            => new(elements.Required<byte[]>(ref reader), elements.Optional<string?>(ref reader, null));
    }

    private sealed class NodeJournalFormatter() : KeyedArrayFormatter<NodeJournal>(3)
    {
        protected override void Write(ref MessagePackWriter writer, NodeJournal value, MessagePackSerializerOptions options)
        {
            Put(ref writer, value.OriginUtcTicks, options);
            Put(ref writer, value.Events, options);
            Put(ref writer, value.Attempts, options);
        }

        protected override NodeJournal Read(ref MessagePackReader reader, ref Elements elements)
            => new(
                elements.Required<long>(ref reader),
                elements.Required<IReadOnlyList<JournalEvent>>(ref reader),
                elements.Required<IReadOnlyList<JournalAttempts>>(ref reader));
    }

    private sealed class JournalEventFormatter() : KeyedArrayFormatter<JournalEvent>(3)
    {
        protected override void Write(ref MessagePackWriter writer, JournalEvent value, MessagePackSerializerOptions options)
        {
            Put(ref writer, value.ChargePoint, options);
            Put(ref writer, value.Kind, options);
            Put(ref writer, value.AtUtcTicks, options);
        }

        protected override JournalEvent Read(ref MessagePackReader reader, ref Elements elements)
            => new(elements.Required<int>(ref reader), elements.Required<ConnectionEventKind>(ref reader), elements.Required<long>(ref reader));
    }

    private sealed class JournalAttemptsFormatter() : KeyedArrayFormatter<JournalAttempts>(3)
    {
        protected override void Write(ref MessagePackWriter writer, JournalAttempts value, MessagePackSerializerOptions options)
        {
            Put(ref writer, value.Second, options);
            Put(ref writer, value.Result, options);
            Put(ref writer, value.Count, options);
        }

        protected override JournalAttempts Read(ref MessagePackReader reader, ref Elements elements)
            => new(elements.Required<long>(ref reader), elements.Required<string>(ref reader), elements.Required<long>(ref reader));
    }

    private sealed class RunOverFormatter() : KeyedArrayFormatter<RunOver>(1)
    {
        protected override void Write(ref MessagePackWriter writer, RunOver value, MessagePackSerializerOptions options)
            => Put(ref writer, value.AbortReason, options);

        protected override RunOver Read(ref MessagePackReader reader, ref Elements elements)
            => new(elements.Required<string?>(ref reader));
    }
}
