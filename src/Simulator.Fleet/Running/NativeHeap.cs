using System.Runtime.InteropServices;

namespace Simulator.Fleet.Running;

/// <summary>
/// The C heap of the process (glibc's malloc), which the runtime uses for its own work memory: the JIT, type loading, start-up.
/// After a fleet's ramp-up most of it is free but still resident, because glibc returns only the top of each heap by itself: at
/// 5,000 charge points 17 of 22 MB (tests/benchmarks/results/2026-12-05-memory2-rss.txt).
/// </summary>
public static class NativeHeap
{
    /// <summary>
    /// Gives the free pages of every malloc arena back to the system (<c>malloc_trim(0)</c>); true when some were. False without
    /// glibc (Windows, macOS, musl), where there is nothing to call.
    /// </summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }
        try
        {
            return NativeMethods.malloc_trim(0) != 0;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = false)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // A blittable signature: the generated stub would be the same call.
        public static extern int malloc_trim(nuint pad);
#pragma warning restore SYSLIB1054
    }
}
