using System.Net;
using Simulator.Cli.Cluster;

namespace Simulator.Cli.Tests;

public sealed class PublicAddressTests
{
    private static readonly IPAddress[] Interfaces = [IPAddress.Loopback, IPAddress.IPv6Loopback, IPAddress.Parse("fe80::1"), IPAddress.Parse("172.18.0.5"), IPAddress.Parse("10.0.0.7")];

    [Theory]
    [InlineData("0.0.0.0", null, "172.18.0.5")]
    [InlineData("::", null, "172.18.0.5")]
    [InlineData("0.0.0.0", "worker-3.example", "worker-3.example")]
    [InlineData("127.0.0.1", null, null)]
    [InlineData("node-a.example", null, null)]
    public void A_node_bound_to_every_interface_announces_its_first_non_loopback_IPv4_address(string hostname, string? publicHostname, string? expected)
    {
        Assert.Equal(expected, PublicAddress.Choose(hostname, publicHostname, Interfaces, out var problem));
        Assert.Null(problem);
    }

    [Fact]
    public void Without_such_an_address_the_error_says_which_option_to_give()
    {
        Assert.Null(PublicAddress.Choose("0.0.0.0", null, [IPAddress.Loopback, IPAddress.Parse("fe80::1")], out var problem));
        Assert.Contains("--public-hostname", problem, StringComparison.Ordinal);
    }
}
