using Simulator.Cli.Profiles;

namespace Simulator.Cli;

/// <summary>
/// Minimal entry point until the command line (System.CommandLine) is in place: only <c>validate &lt;file&gt;</c>.
/// </summary>
internal static class Program
{
    public const int UsageExitCode = 2;

    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    internal static int Run(string[] args, TextWriter output, TextWriter errors)
    {
        if (args is ["validate", var file])
        {
            return ValidateCommand.Run(file, output, errors);
        }

        errors.WriteLine("usage: fleetsim validate <profile.yaml>");
        return UsageExitCode;
    }
}
