using System.CommandLine;
using System.Globalization;
using System.Net;
using Simulator.Cli.Cluster;
using Simulator.Cli.Profiles;
using Simulator.Fleet.Cluster;
using Simulator.Metrics;

namespace Simulator.Cli.Commands;

/// <summary>
/// <c>fleetsim node --seed HOST:PORT</c>: a worker node. It joins the cluster of a coordinator (<c>fleetsim run PROFILE
/// --cluster</c>), receives the run's profile from it, hosts its share of the charge points, reports its statistics, and
/// exits when the run is over or the coordinator is gone.
/// </summary>
internal static class NodeCommand
{
    private static readonly Option<string> SeedOption = new("--seed") { Description = "The coordinator's cluster address, HOST:PORT", Required = true };
    private static readonly Option<int> PortOption = new("--port") { Description = "Cluster port of this node (0: any free port)", DefaultValueFactory = _ => 0 };
    private static readonly Option<string> HostnameOption = new("--hostname") { Description = "Address the cluster port binds to", DefaultValueFactory = _ => "127.0.0.1" };
    private static readonly Option<string?> PublicHostnameOption = new("--public-hostname") { Description = "Address the other nodes reach this one at, if not --hostname (with --hostname 0.0.0.0: this host's first non-loopback IPv4 address)" };
    private static readonly Option<int?> MetricsPortOption = new("--metrics-port") { Description = "Serve this node's Prometheus /metrics on this port" };
    private static readonly Option<string> MetricsAddressOption = new("--metrics-address") { Description = "Address /metrics binds to", DefaultValueFactory = _ => "127.0.0.1" };
    private static readonly Option<string?> NodeOption = new("--node") { Description = "This node's name: the 'node' label on its metrics (default: host name and port)" };
    private static readonly Option<string> LingerOption = MetricsStartup.CreateLingerOption();

    public static Command Create()
    {
        var command = new Command("node", """
            Start a worker node that joins a FleetSim cluster and runs its share of the charge points of the coordinator's
            run. Exits 0 when the run ends, 105 when the coordinator went away, 104 on invalid arguments, 107 when it
            could not join.

            Example:
              fleetsim run profiles/steady-load.yaml --cluster --port 4053 --min-nodes 3   # the coordinator
              fleetsim node --seed 127.0.0.1:4053 --port 4054 --metrics-port 9465          # a worker, one per process
            """);
        foreach (var option in new Option[] { SeedOption, PortOption, HostnameOption, PublicHostnameOption, MetricsPortOption, MetricsAddressOption, NodeOption, LingerOption })
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, cancellationToken) => ExecuteAsync(parse, cancellationToken));
        return command;
    }

    private static async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var output = Console.Out;
        var errors = Console.Error;
        var seed = parse.GetValue(SeedOption)!;
        if (!IsHostPort(seed))
        {
            errors.WriteLine($"--seed: '{seed}' is not HOST:PORT");
            return ExitCodes.InvalidArguments;
        }
        if (!IPAddress.TryParse(parse.GetValue(MetricsAddressOption), out var metricsAddress))
        {
            errors.WriteLine($"--metrics-address: '{parse.GetValue(MetricsAddressOption)}' is not an IP address");
            return ExitCodes.InvalidArguments;
        }
        var hostname = parse.GetValue(HostnameOption)!;
        var publicHostname = PublicAddress.Choose(hostname, parse.GetValue(PublicHostnameOption), PublicAddress.OfThisHost(), out var addressProblem);
        if (addressProblem is not null)
        {
            errors.WriteLine(addressProblem);
            return ExitCodes.InvalidArguments;
        }
        if (MetricsStartup.ParseLinger(parse.GetValue(LingerOption)!, out var lingerProblem) is not { } linger)
        {
            errors.WriteLine(lingerProblem);
            return ExitCodes.InvalidArguments;
        }
        var port = parse.GetValue(PortOption);
        var nodeName = parse.GetValue(NodeOption) ?? (port > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}-{port}")
            : string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}-pid{Environment.ProcessId}"));

        using var telemetry = new FleetTelemetry(nodeName);
        Simulator.Fleet.Running.VersionSeries.Declare(telemetry, Simulator.ChargePoint.ChargingStations.Versions);
        var metricsPort = parse.GetValue(MetricsPortOption);
        var (exporter, metricsProblem) = await MetricsStartup.StartAsync(
            telemetry, metricsPort, metricsAddress, otlpEndpoint: null, cancellationToken).ConfigureAwait(false);
        await using var ownedExporter = exporter;
        if (metricsProblem is not null)
        {
            await Console.Error.WriteLineAsync(metricsProblem).ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }

        var node = await FleetClusterNode.StartAsync(
            new ClusterNodeOptions
            {
                NodeName = nodeName,
                Hostname = hostname,
                Port = port,
                PublicHostname = publicHostname,
                Seeds = [seed],
            },
            (assignment, fold) =>
            {
                var outcome = ClusterAssignments.Accept(assignment, telemetry, fold: fold);
                output.WriteLine(outcome.Environment is { } environment
                    ? $"Run {assignment.RunId}: {environment.Plan.Name}, {environment.Plan.TotalCount} charge points fleet-wide against {assignment.TargetUrl}"
                    : $"Run {assignment.RunId} refused: {string.Join("; ", outcome.Errors)}");
                return outcome;
            },
            cancellationToken).ConfigureAwait(false);
        int ended;
        await using (node.ConfigureAwait(false))
        {
            output.WriteLine($"Node {nodeName} at {node.Cluster.SelfAddress}, joining {seed}");
            if (exporter?.PrometheusUri is { } metricsUri)
            {
                output.WriteLine($"Prometheus metrics at {metricsUri}");
            }
            var terminated = node.System.WhenTerminated;
            var interrupted = Task.Delay(Timeout.Infinite, cancellationToken);
            var first = await Task.WhenAny(node.State.Ended, terminated, interrupted).ConfigureAwait(false);
            if (first == node.State.Ended)
            {
                var reason = await node.State.Ended.ConfigureAwait(false);
                output.WriteLine(reason is null ? "The run is over." : $"This node's part ended: {reason}");
                ended = reason is null ? ExitCodes.Ok : ExitCodes.Aborted;
            }
            else if (first == terminated)
            {
                errors.WriteLine($"The actor system stopped: could not join {seed}, or was removed from the cluster.");
                return ExitCodes.InternalError;
            }
            else
            {
                output.WriteLine("Interrupted; leaving the cluster.");
                return ExitCodes.Aborted;
            }
        }
        // Out of the cluster, /metrics stays up for Prometheus's last scrape of this node.
        if (exporter?.PrometheusUri is not null && linger > TimeSpan.Zero && !cancellationToken.IsCancellationRequested)
        {
            output.WriteLine($"/metrics stays up {Units.FormatDuration(linger)} after the run for a final scrape (--linger 0: none)");
            try
            {
                await Task.Delay(linger, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C ends the wait.
            }
        }
        return ended;
    }

    internal static bool IsHostPort(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon > 0 && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536;
    }
}
