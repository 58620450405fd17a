using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Simulator.Tests;

/// <summary>
/// Ports for a listener that something else binds later (a child process, a server started after the port is named).
/// Not the system's pick for port 0: that lies in the ephemeral range, where any connection opened before the listener
/// binds may get it as its local port, and the test projects running beside one another open thousands (a coordinator once
/// failed to bind so, "Address already in use"). Below that range only listeners compete. Compiled into several test projects.
/// </summary>
internal static class ListenPorts
{
    /// <summary>A port on 127.0.0.1 below the ephemeral range that no listener holds now.</summary>
    public static int Free() => FreeRange(1);

    /// <summary>The first of <paramref name="count"/> consecutive ports below the ephemeral range that no listener holds now.</summary>
    public static int FreeRange(int count)
    {
        var ephemeralStart = EphemeralRangeStart();
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var first = Random.Shared.Next(ephemeralStart / 2, ephemeralStart - count);
            var listeners = new List<TcpListener>();
            try
            {
                for (var port = first; port < first + count; port++)
                {
                    var listener = new TcpListener(IPAddress.Loopback, port);
                    listeners.Add(listener);
                    listener.Start();
                }

                return first;
            }
            catch (SocketException)
            {
                // Taken by a listener: try another.
            }
            finally
            {
                listeners.ForEach(l => l.Dispose());
            }
        }

        throw new InvalidOperationException($"no {count} free port(s) between {ephemeralStart / 2} and {ephemeralStart} on 127.0.0.1");
    }

    private static int EphemeralRangeStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[0],
            NumberStyles.None, CultureInfo.InvariantCulture, out var first) && first > 2048
            ? first
            : 32768;
    }
}
