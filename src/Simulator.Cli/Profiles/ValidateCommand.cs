using System.Globalization;

namespace Simulator.Cli.Profiles;

/// <summary><c>fleetsim validate &lt;file&gt;</c>: load a profile and say whether it is valid.</summary>
internal static class ValidateCommand
{
    /// <summary>Exit code for a profile that does not load (k6 uses 99 for failed thresholds; profiles get 104).</summary>
    public const int InvalidProfileExitCode = 104;

    public static int Run(string path, TextWriter output, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        var result = ProfileLoader.LoadFile(path);
        if (result.Plan is not { } plan)
        {
            foreach (var error in result.Errors)
            {
                errors.WriteLine(error);
            }

            errors.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}: {result.Errors.Count} problem(s); the profile was not loaded"));
            return InvalidProfileExitCode;
        }

        output.WriteLine(Summary(plan));
        return 0;
    }

    /// <summary><c>OK: smoke, 20 charge points, ac (20)</c>.</summary>
    public static string Summary(Simulator.Fleet.Plan.FleetPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var types = string.Join(", ", plan.Types.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Name} ({t.Count})")));
        return string.Create(CultureInfo.InvariantCulture, $"OK: {plan.Name}, {plan.TotalCount} charge points, {types}");
    }
}
