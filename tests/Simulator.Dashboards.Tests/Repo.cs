using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Simulator.Dashboards.Tests;

/// <summary>Paths in the repository and the built <c>fleetsim.dll</c>.</summary>
internal static class Repo
{
    private static readonly Lazy<string> BuiltFleetSim = new(BuildFleetSim);

    public static string Root { get; } = FindRoot();

    public static string Dashboards => Path.Combine(Root, "dashboards");

    public static string Configuration =>
        typeof(Repo).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    /// <summary>src/Simulator.Cli/bin/&lt;Configuration&gt;/net10.0/fleetsim.dll, built first if it is missing.</summary>
    public static string FleetSimDll => BuiltFleetSim.Value;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Simulator.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Simulator.sln above {AppContext.BaseDirectory}");
    }

    private static string BuildFleetSim()
    {
        var dll = Path.Combine(Root, "src", "Simulator.Cli", "bin", Configuration, "net10.0", "fleetsim.dll");
        if (!File.Exists(dll))
        {
            var build = Run("dotnet", ["build", Path.Combine(Root, "src", "Simulator.Cli"), "-c", Configuration, "-v", "q", "-nologo"], TimeSpan.FromMinutes(5));
            Assert.True(build.ExitCode == 0, $"dotnet build src/Simulator.Cli -c {Configuration} failed:\n{build.Output}");
            Assert.True(File.Exists(dll), $"dotnet build succeeded but {dll} is missing");
        }
        return dll;
    }

    /// <summary>Runs a program to completion (killed after <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? workingDirectory = null)
    {
        using var process = new ChildProcess(fileName, arguments, workingDirectory ?? Root);
        if (!process.Process.WaitForExit(timeout))
        {
            throw new TimeoutException($"{fileName} {string.Join(' ', arguments)} did not finish within {timeout}:\n{process.Output}");
        }
        process.Process.WaitForExit();
        return (process.Process.ExitCode, process.Output);
    }

    /// <summary>A TCP port on 127.0.0.1 that no listener holds now, below the ephemeral range: the process told to listen on it binds it later.</summary>
    public static int FreePort() => Simulator.Tests.ListenPorts.Free();

    /// <summary>The full path of a program on PATH, or null.</summary>
    public static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}

/// <summary>A child process whose output is collected; disposing it kills it (and its children) if it still runs.</summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly System.Text.StringBuilder _output = new();
    private readonly Lock _gate = new();

    public ChildProcess(string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        Process = new Process { StartInfo = start };
        Process.OutputDataReceived += (_, e) => Append(e.Data);
        Process.ErrorDataReceived += (_, e) => Append(e.Data);
        Process.Start();
        Process.BeginOutputReadLine();
        Process.BeginErrorReadLine();
        CommandLine = $"{fileName} {string.Join(' ', start.ArgumentList)}";
    }

    public Process Process { get; }

    public string CommandLine { get; }

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => Process.HasExited;

    public void Dispose()
    {
        try
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
        Process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }
}
