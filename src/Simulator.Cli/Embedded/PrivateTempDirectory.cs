using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Simulator.Cli.Embedded;

/// <summary>
/// One owner-only directory (0700) of this process under the temp directory, for the secrets a run keeps at rest: the run
/// CA's private key and certificate, the control API token. Named <c>fleetsim-&lt;role&gt;-&lt;pid&gt;-&lt;random&gt;</c>: removed when
/// the process ends normally, and by the next FleetSim that starts when the process was killed (its pid no longer runs).
/// </summary>
internal sealed partial class PrivateTempDirectory : IDisposable
{
    /// <summary>A live pid that started after the directory last changed is not its owner: the pid was reused.</summary>
    private static readonly TimeSpan StartTimeSlack = TimeSpan.FromSeconds(2);

    private PrivateTempDirectory(string path) => Path = path;

    public string Path { get; }

    /// <summary>Removes stale directories of dead processes, then creates this process's own (mkdtemp: new, 0700).</summary>
    public static PrivateTempDirectory Create(string role)
    {
        if (!RoleName().IsMatch(role))
        {
            throw new ArgumentException($"role '{role}' must be lower-case letters", nameof(role));
        }
        RemoveStale();
        var created = Directory.CreateTempSubdirectory(string.Create(CultureInfo.InvariantCulture, $"fleetsim-{role}-{Environment.ProcessId}-"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(created.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return new PrivateTempDirectory(created.FullName);
    }

    /// <summary>Writes a new file readable and writable by the owner only (0600) and returns its path.</summary>
    public string WriteSecret(string name, string text)
    {
        var path = System.IO.Path.Combine(Path, name);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options);
        writer.Write(text);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// Removes the FleetSim private directories in <paramref name="tempDirectory"/> (default: the temp directory) whose
    /// process has ended; returns how many. Directories of live processes and of other users are left alone.
    /// </summary>
    public static int RemoveStale(string? tempDirectory = null)
    {
        var removed = 0;
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateDirectories(tempDirectory ?? System.IO.Path.GetTempPath(), "fleetsim-*");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        foreach (var directory in candidates)
        {
            var match = StaleName().Match(System.IO.Path.GetFileName(directory));
            if (!match.Success || !int.TryParse(match.Groups["pid"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            try
            {
                var info = new DirectoryInfo(directory);
                if (info.LinkTarget is not null || IsAlive(pid, info.LastWriteTimeUtc))
                {
                    continue;
                }
                info.Delete(recursive: true);
                removed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Another user's (the sticky temp directory forbids it), or gone meanwhile.
            }
        }
        return removed;
    }

    private static bool IsAlive(int pid, DateTime lastChangedUtc)
    {
        if (pid == Environment.ProcessId)
        {
            return true;
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.StartTime.ToUniversalTime() <= lastChangedUtc + StartTimeSlack;
        }
        catch (ArgumentException)
        {
            return false;   // no such process
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return true;    // cannot tell: keep it
        }
    }

    [GeneratedRegex("^[a-z]+$")]
    private static partial Regex RoleName();

    [GeneratedRegex("^fleetsim-[a-z]+-(?<pid>[0-9]+)-[^-]+$")]
    private static partial Regex StaleName();
}
