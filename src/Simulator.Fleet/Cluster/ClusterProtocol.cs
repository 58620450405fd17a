using MessagePack;

namespace Simulator.Fleet.Cluster;

/// <summary>
/// Marks a message that may cross nodes. The type is bound to <see cref="FleetMessageSerializer"/> (MessagePack), so
/// nothing that implements it ever falls back to Akka's default JSON serializer.
/// </summary>
public interface IFleetWireMessage;

/// <summary>
/// The command-line values that win over the profile's, as the coordinator received them. Each node applies them to the
/// profile text with the same loader, so every node holds the same plan. File paths (<see cref="CaCertificate"/>, the
/// client certificate patterns) are read on each node: the files must be there at the same path.
/// </summary>
[MessagePackObject]
public sealed record PlanOverrides(
    [property: Key(0)] string? Target,
    [property: Key(1)] int? Count,
    [property: Key(2)] string? IdPattern,
    [property: Key(3)] string? Duration,
    [property: Key(4)] int? SecurityProfile = null,
    [property: Key(5)] string? AuthorizationKey = null,
    [property: Key(6)] string? CaCertificate = null,
    [property: Key(7)] string? ClientCertificate = null,
    [property: Key(8)] string? ClientKey = null,
    [property: Key(9)] string? CpoName = null,
    [property: Key(10)] string? PasswordEncoding = null)
{
    /// <summary>A printout without the authorization key (a secret; Akka may log a message it could not deliver).</summary>
    public override string ToString() =>
        $"PlanOverrides {{ Target = {Target}, Count = {Count}, IdPattern = {IdPattern}, Duration = {Duration}, SecurityProfile = {SecurityProfile}, " +
        $"AuthorizationKey = {(AuthorizationKey is null ? "none" : "***")}, CaCertificate = {CaCertificate}, ClientCertificate = {ClientCertificate}, ClientKey = {ClientKey}, CpoName = {CpoName}, PasswordEncoding = {PasswordEncoding} }}";
}

/// <summary>
/// Coordinator → every node (itself included): the run to take part in. The profile goes as its YAML text plus the
/// overrides; <see cref="TargetUrl"/> is already resolved (the embedded CSMS's address when the coordinator runs it).
/// <see cref="CentralSystemRootsPem"/> are the CA certificates the CSMS's server certificate chains to when the plan names
/// no file (the embedded CSMS's CA); <see cref="CpoRootsPem"/> the CA that signs charge point certificates in A01
/// rotations. Public parts only: no private key ever crosses nodes. <see cref="NodeCount"/> is how many nodes take part
/// (0: unknown), for each node to check that its share fits. <see cref="LedgerLookups"/>: the coordinator can look produced
/// messages up in the run's CSMS ledger (<see cref="LedgerLookupRequest"/>), so each node folds its charge points' settled
/// ones during the run; without it nobody checks them, and a node drops them as they settle. Answered with <see cref="NodeAssigned"/>.
/// </summary>
[MessagePackObject]
public sealed record RunAssignment(
    [property: Key(0)] string RunId,
    [property: Key(1)] string ProfileName,
    [property: Key(2)] string ProfileYaml,
    [property: Key(3)] PlanOverrides Overrides,
    [property: Key(4)] string TargetUrl,
    [property: Key(5)] int Seed,
    [property: Key(6)] string SeedNode,
    [property: Key(7)] IReadOnlyList<string>? CentralSystemRootsPem = null,
    [property: Key(8)] IReadOnlyList<string>? CpoRootsPem = null,
    [property: Key(9)] int NodeCount = 0,
    [property: Key(10)] bool LedgerLookups = false) : IFleetWireMessage
{
    /// <summary>A printout without the profile text, which may hold an authorization key.</summary>
    public override string ToString() => $"RunAssignment {{ RunId = {RunId}, ProfileName = {ProfileName}, TargetUrl = {TargetUrl}, Overrides = {Overrides} }}";
}

/// <summary>
/// A node's answer to <see cref="RunAssignment"/>: ready (no errors), or why it cannot take part. With security profile 3
/// and no certificate files, <see cref="ClientCertificateIssuerPem"/> is the CA this node issues its charge points'
/// client certificates with (public part): the CSMS must trust it.
/// </summary>
[MessagePackObject]
public sealed record NodeAssigned(
    [property: Key(0)] string Node,
    [property: Key(1)] string Address,
    [property: Key(2)] IReadOnlyList<string> Errors,
    [property: Key(3)] string? ClientCertificateIssuerPem = null) : IFleetWireMessage
{
    [IgnoreMember]
    public bool Accepted => Errors.Count == 0;
}

/// <summary>Coordinator → node, about once a second: send your statistics. Answered with <see cref="NodeStatistics"/>.</summary>
[MessagePackObject]
public sealed record CollectStatistics : IFleetWireMessage
{
    public static CollectStatistics Instance { get; } = new();
}

/// <summary>
/// One node's statistics, cumulative since its start: <see cref="Simulator.Metrics.StatisticsSnapshot.ToBytes"/> bytes, merged
/// (histograms added, not averaged) on the coordinator; what the node recorded since its previous answer, which the
/// coordinator keeps in case the node dies before its final report; and its latencies since the previous answer.
/// </summary>
[MessagePackObject]
public sealed record NodeStatistics(
    [property: Key(0)] string Node,
    [property: Key(1)] string Address,
    [property: Key(2)] byte[] Snapshot,
    [property: Key(3)] NodeRecords? Records = null,
    [property: Key(4)] IReadOnlyList<WindowSlice>? Window = null) : IFleetWireMessage;

/// <summary>One action's latency histogram of the node's last second (HdrHistogram compressed), for the coordinator's live view.</summary>
[MessagePackObject]
public sealed record WindowSlice(
    [property: Key(0)] string Action,
    [property: Key(1)] string Direction,
    [property: Key(2)] byte[] Histogram)
{
    /// <summary>The OCPP version of the charge points whose calls these are.</summary>
    [Key(3)]
    public string OcppVersion { get; init; } = "";
}

/// <summary>
/// What a node recorded since its previous <see cref="NodeStatistics"/>: new connection events, connection attempts added
/// per second (counted from <see cref="JournalOriginUtcTicks"/>), the transaction messages its charge points produced and
/// the transaction ids they learnt.
/// </summary>
[MessagePackObject]
public sealed record NodeRecords(
    [property: Key(0)] long JournalOriginUtcTicks,
    [property: Key(1)] IReadOnlyList<JournalEvent> Events,
    [property: Key(2)] IReadOnlyList<JournalAttempts> Attempts,
    [property: Key(3)] IReadOnlyList<StreamedMessage> Produced,
    [property: Key(4)] IReadOnlyList<StreamedTransactionId> TransactionIds);

/// <summary>A transaction message one charge point produced.</summary>
[MessagePackObject]
public sealed record StreamedMessage(
    [property: Key(0)] string ChargeBoxId,
    [property: Key(1)] ChargePoints.ProducedTransactionMessage Message);

/// <summary>The CSMS's transaction id for a charge point's local transaction.</summary>
[MessagePackObject]
public sealed record StreamedTransactionId(
    [property: Key(0)] string ChargeBoxId,
    [property: Key(1)] long LocalTransactionRef,
    [property: Key(2)] int TransactionId);

/// <summary>Coordinator → node, once the charge points have stopped: your final statistics and journal. Answered with <see cref="NodeFinal"/>.</summary>
[MessagePackObject]
public sealed record CollectFinal : IFleetWireMessage
{
    public static CollectFinal Instance { get; } = new();
}

/// <summary>
/// One node's end of run: its final statistics and the journal the storm analysis needs, and its loss-check fold's result:
/// the messages it folded (settled and recorded by the CSMS's ledger, by fate) and how many it did not fold, which it sent
/// just before this in <see cref="NodeUnfolded"/> parts.
/// </summary>
[MessagePackObject]
public sealed record NodeFinal(
    [property: Key(0)] string Node,
    [property: Key(1)] string Address,
    [property: Key(2)] byte[] Snapshot,
    [property: Key(3)] NodeJournal Journal,
    [property: Key(4)] long FoldedAcknowledged = 0,
    [property: Key(5)] long FoldedGivenUp = 0,
    [property: Key(6)] long Unfolded = 0) : IFleetWireMessage;

/// <summary>
/// Node → coordinator, after its charge points stopped and before its <see cref="NodeFinal"/>: a slice of the messages its
/// fold kept whole (handed over and not yet looked up, or not recorded by the ledger), for the check at the stop.
/// </summary>
[MessagePackObject]
public sealed record NodeUnfolded([property: Key(0)] IReadOnlyList<ChargePoints.ChargePointStopped> Messages) : IFleetWireMessage;

/// <summary>
/// Node → coordinator during the run: whether the run's CSMS ledger recorded each of these settled transaction messages (the
/// node's loss-check fold). The coordinator looks them up, not the node: only it is sure to reach the ledger (an embedded CSMS
/// in its process, a CSMS process whose control API listens on the coordinator's loopback), and an external CSMS's control
/// token stays on the machine it was given to. <see cref="Records"/> are what the node recorded since its previous hand-over,
/// so that the coordinator's copy of the node's messages holds these before it learns which of them the ledger recorded.
/// Answered with <see cref="LedgerLookupAnswer"/>.
/// </summary>
[MessagePackObject]
public sealed record LedgerLookupRequest(
    [property: Key(0)] NodeRecords? Records,
    [property: Key(1)] IReadOnlyList<ChargePoints.ChargePointStopped> Settled) : IFleetWireMessage;

/// <summary>The ledger's verdict on each message of a <see cref="LedgerLookupRequest"/>, in order (<see cref="ChargePoints.LedgerLookup"/> values), or why there is none.</summary>
[MessagePackObject]
public sealed record LedgerLookupAnswer(
    [property: Key(0)] byte[] Verdicts,
    [property: Key(1)] string? Error = null) : IFleetWireMessage;

/// <summary>
/// A node's <see cref="ChargePoints.ConnectionJournal"/> in wire form: connection events with absolute times, and
/// connection attempts per second counted from <see cref="OriginUtcTicks"/>.
/// </summary>
[MessagePackObject]
public sealed record NodeJournal(
    [property: Key(0)] long OriginUtcTicks,
    [property: Key(1)] IReadOnlyList<JournalEvent> Events,
    [property: Key(2)] IReadOnlyList<JournalAttempts> Attempts);

/// <summary>One connection state change: charge point by arrival index, kind, when (UTC ticks).</summary>
[MessagePackObject]
public sealed record JournalEvent(
    [property: Key(0)] int ChargePoint,
    [property: Key(1)] ChargePoints.ConnectionEventKind Kind,
    [property: Key(2)] long AtUtcTicks);

/// <summary>Connection attempts in one second (counted from the journal's origin) with one result.</summary>
[MessagePackObject]
public sealed record JournalAttempts(
    [property: Key(0)] long Second,
    [property: Key(1)] string Result,
    [property: Key(2)] long Count);

/// <summary>Coordinator → workers: the run is over (or was aborted); stop what is left, leave the cluster, exit.</summary>
[MessagePackObject]
public sealed record RunOver([property: Key(0)] string? AbortReason) : IFleetWireMessage;
