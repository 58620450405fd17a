using System.Globalization;

namespace Simulator.Csms;

/// <summary>
/// This process's open-file limit (the soft <c>ulimit -n</c>, as the runtime raised it at start). Internal and compiled into
/// fleetsim too (Simulator.Cli.csproj links this file), so a run against an external CSMS checks its budget without loading
/// the CSMS's assembly.
/// </summary>
internal static class OpenFileLimit
{
    /// <summary>The limit, or null where the system does not tell it (no /proc) or it is unlimited.</summary>
    public static int? Soft()
    {
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            var soft = line?["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return int.TryParse(soft, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) ? limit : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
