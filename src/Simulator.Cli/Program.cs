using System.CommandLine;
using System.Runtime.InteropServices;
using Simulator.Cli.Commands;
using Simulator.Cli.Profiles;
using Simulator.Metrics;

namespace Simulator.Cli;

internal static class Program
{
    public static Task<int> Main(string[] args)
    {
        Simulator.Fleet.Running.BootTimeline.Current?.Mark("main");
        return RunAsync(args, Console.Out, Console.Error);
    }

    /// <summary>Parses and runs a command line; parse errors are invalid arguments (104), as k6 users know it.</summary>
    internal static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors)
    {
        var root = new RootCommand("""
            FleetSim — a fleet of virtual OCPP 1.6-J and 2.0.1 charge points to load-test a CSMS, rehearse reconnect
            storms and watch it all in Grafana. Without --target, runs against its own embedded CSMS.

            Examples:
              fleetsim run smoke                  # a built-in profile; fleetsim profiles lists them
              fleetsim run profiles/smoke.yaml
              fleetsim init steady-load           # a starter profile to edit
              fleetsim validate profiles/steady-load.yaml
              fleetsim csms --port 8080
            """);
        foreach (var command in Subcommands(args, output, errors))
        {
            root.Subcommands.Add(command);
        }

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await errors.WriteLineAsync(error.Message).ConfigureAwait(false);
            }
            await errors.WriteLineAsync("Run 'fleetsim --help' for usage.").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
        // SIGINT (Ctrl+C) and SIGTERM cancel the command's token: 'run' then stops the fleet gracefully, writes its report and
        // exits 105. System.CommandLine's own termination handling is off: with it, the signal never reached the running
        // command (the run went on to its end, or the process exited 130 with no report).
        using var interrupted = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            try
            {
                interrupted.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The signal raced with the end of the command: the token is gone and there is nothing left to stop.
            }
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = errors, ProcessTerminationTimeout = null }, interrupted.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// The subcommands to parse <paramref name="args"/> with: only the one it names, or all of them (help, a typo, a response
    /// file). A command's options name the types of the code it runs, and making them loads that code's assemblies: `fleetsim run`
    /// against an external CSMS does not map the CSMS's (tests/Simulator.Cli.Tests/EndToEnd/AssembliesLoadedTests.cs).
    /// </summary>
    internal static IEnumerable<Command> Subcommands(string[] args, TextWriter output, TextWriter errors)
    {
        (string Name, Func<Command> Create)[] all =
        [
            ("run", RunCommand.Create),
            ("csms", CsmsCommand.Create),
            ("node", NodeCommand.Create),
            ("validate", () => ValidateCommand.Create(output, errors)),
            ("profiles", () => ProfilesCommand.Create(output, errors)),
            ("init", () => ProfilesCommand.CreateInit(output, errors)),
        ];
        var named = args.Length > 0 ? Array.FindIndex(all, c => c.Name == args[0]) : -1;
        return named >= 0 ? [all[named].Create()] : all.Select(c => c.Create());
    }
}
