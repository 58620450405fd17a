using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Simulator.Cli.Cluster;

/// <summary>
/// The address other nodes reach this one at. A node bound to every interface (<c>--hostname 0.0.0.0</c>, as in a
/// container) without <c>--public-hostname</c> announces its first non-loopback IPv4 address: a scaled container has no
/// name the others could resolve to it alone.
/// </summary>
internal static class PublicAddress
{
    /// <summary>The public hostname to announce, or null when <paramref name="hostname"/> itself is reachable; an error when none can be found.</summary>
    public static string? Choose(string hostname, string? publicHostname, IEnumerable<IPAddress> interfaceAddresses, out string? problem)
    {
        problem = null;
        if (publicHostname is not null || !IPAddress.TryParse(hostname, out var bound) || !(bound.Equals(IPAddress.Any) || bound.Equals(IPAddress.IPv6Any)))
        {
            return publicHostname;
        }
        var chosen = interfaceAddresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        if (chosen is null)
        {
            problem = $"--hostname {hostname} binds every interface, but this host has no non-loopback IPv4 address to announce; give --public-hostname";
        }
        return chosen?.ToString();
    }

    /// <summary>The IPv4 and IPv6 unicast addresses of the interfaces that are up, in interface order.</summary>
    public static IEnumerable<IPAddress> OfThisHost()
        => NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses.Select(u => u.Address));
}
