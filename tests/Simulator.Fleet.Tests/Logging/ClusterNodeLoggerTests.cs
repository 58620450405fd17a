using Akka.Actor;
using Akka.Event;
using Simulator.Fleet.Logging;

namespace Simulator.Fleet.Tests.Logging;

public sealed class ClusterNodeLoggerTests
{
    private static readonly Address Worker = Address.Parse("akka.tcp://fleetsim@127.0.0.1:27552");
    private static readonly Address OtherWorker = Address.Parse("akka.tcp://fleetsim@127.0.0.1:27553");

    // As Akka.Remote logs them on the coordinator when a worker's process closes its connection.
    private const string SupervisorSource =
        "akka.tcp://fleetsim@127.0.0.1:27551/system/endpointManager/reliableEndpointWriter-akka.tcp%3A%2F%2Ffleetsim%40127.0.0.1%3A27552-1";
    private const string WriterSource =
        "akka://fleetsim/system/endpointManager/reliableEndpointWriter-akka.tcp%3A%2F%2Ffleetsim%40127.0.0.1%3A27552-1/endpointWriter";

    private static Warning GatedWarning(string source) => new(source, typeof(object),
        $"Association with remote system {Worker} has failed; address is now gated for 5000 ms. Reason is: [{Disassociated()}]");

    private static Error WriterError(string source) => new(Disassociated(), source, typeof(object), "Disassociated");

    /// <summary>Akka.Remote's own exception (an internal type).</summary>
    private static Exception Disassociated() => (Exception)Activator.CreateInstance(
        typeof(Akka.Remote.RemoteSettings).Assembly.GetType("Akka.Remote.EndpointDisassociatedException", throwOnError: true)!, "Disassociated")!;

    [Fact]
    public void The_failed_association_of_a_node_that_left_is_not_printed()
    {
        var left = new HashSet<Address> { Worker };

        Assert.True(ClusterNodeLogger.IsDepartureOfNodeThatLeft(GatedWarning(SupervisorSource), left));
        Assert.True(ClusterNodeLogger.IsDepartureOfNodeThatLeft(WriterError(WriterSource), left));
    }

    [Fact]
    public void The_failed_association_of_a_node_that_did_not_leave_is_printed()
    {
        var left = new HashSet<Address> { OtherWorker };

        Assert.False(ClusterNodeLogger.IsDepartureOfNodeThatLeft(GatedWarning(SupervisorSource), left));
        Assert.False(ClusterNodeLogger.IsDepartureOfNodeThatLeft(WriterError(WriterSource), left));
        Assert.False(ClusterNodeLogger.IsDepartureOfNodeThatLeft(WriterError(WriterSource), new HashSet<Address>()));
    }

    [Fact]
    public void Other_news_about_a_node_that_left_is_printed()
    {
        var left = new HashSet<Address> { Worker };

        Assert.False(ClusterNodeLogger.IsDepartureOfNodeThatLeft(
            new Warning(SupervisorSource, typeof(object), "[2000] buffered messages in EndpointWriter"), left));
        Assert.False(ClusterNodeLogger.IsDepartureOfNodeThatLeft(
            new Error(new InvalidOperationException("serializer"), WriterSource, typeof(object), "Failed to write"), left));
        Assert.False(ClusterNodeLogger.IsDepartureOfNodeThatLeft(
            new Warning("akka://fleetsim/user/fleet", typeof(object), "EndpointDisassociatedException from elsewhere"), left));
    }
}
