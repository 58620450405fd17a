using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace Simulator.Fleet.Logging;

/// <summary>
/// Akka's console logger for a cluster node, less Akka.Remote's account of a connection that ended because its node left the
/// cluster on purpose. A worker that leaves at the end of a run (or on SIGTERM) closes its connections as its process ends, and
/// Akka.Remote reports that on the nodes still running as a failed association: a warning and an error, each with a stack
/// trace, in a run that went as planned. A node that goes without leaving (killed, or cut off) still gets both: then they are
/// the first news of it.
/// </summary>
public sealed partial class ClusterNodeLogger : DefaultLogger
{
    private const string DisassociatedException = "EndpointDisassociatedException";

    private readonly HashSet<Address> _leftOnPurpose = [];

    protected override void PreStart()
    {
        base.PreStart();
        // The cluster publishes its membership changes on the event stream the log events come through, in order: a member's
        // Leaving or Exiting is here before the connection its process closes afterwards.
        Context.System.EventStream.Subscribe(Self, typeof(ClusterEvent.IMemberEvent));
    }

    protected override bool Receive(object message)
    {
        if (message is not ClusterEvent.IMemberEvent memberEvent)
        {
            return base.Receive(message);
        }
        if (memberEvent is ClusterEvent.MemberLeft or ClusterEvent.MemberExited)
        {
            _leftOnPurpose.Add(memberEvent.Member.Address);
        }
        else if (memberEvent is ClusterEvent.MemberJoined or ClusterEvent.MemberUp)
        {
            // The same address again is a new process, whose connections are news again.
            _leftOnPurpose.Remove(memberEvent.Member.Address);
        }
        return true;
    }

    protected override void Print(LogEvent logEvent)
    {
        if (!IsDepartureOfNodeThatLeft(logEvent, _leftOnPurpose))
        {
            base.Print(logEvent);
        }
    }

    /// <summary>
    /// True for Akka.Remote's warning and error that the connection to a node ended without a goodbye, when that node had left
    /// the cluster (Leaving or Exiting) before.
    /// </summary>
    public static bool IsDepartureOfNodeThatLeft(LogEvent logEvent, IReadOnlySet<Address> leftOnPurpose)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(leftOnPurpose);
        if (leftOnPurpose.Count == 0 || logEvent is not (Warning or Error) || logEvent.LogSource is not { } source)
        {
            return false;
        }
        // Akka.Remote's exception type is internal: known by its name, in the error's cause or the warning's text.
        var disassociated = logEvent.Cause?.GetType().Name == DisassociatedException
            || (logEvent.Message?.ToString()?.Contains(DisassociatedException, StringComparison.Ordinal) ?? false);
        var match = ReliableEndpointWriterSource().Match(source);
        if (!disassociated || !match.Success)
        {
            return false;
        }
        try
        {
            return leftOnPurpose.Contains(Address.Parse(Uri.UnescapeDataString(match.Groups["address"].Value)));
        }
        catch (Exception e) when (e is UriFormatException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Akka.Remote names the actor that owns the connection to a node after the node's escaped address and a counter.</summary>
    [GeneratedRegex("/reliableEndpointWriter-(?<address>[^/]+)-[0-9]+(/|$)", RegexOptions.CultureInvariant)]
    private static partial Regex ReliableEndpointWriterSource();
}
