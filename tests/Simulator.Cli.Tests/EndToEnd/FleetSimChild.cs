using System.Collections.Concurrent;
using System.Diagnostics;

namespace Simulator.Cli.Tests.EndToEnd;

/// <summary>A <c>fleetsim</c> child process (<c>dotnet fleetsim.dll …</c>, or a native fleetsim) with its output kept line by line.</summary>
internal sealed class FleetSimChild : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _stdout = new();
    private readonly ConcurrentQueue<string> _stderr = new();

    public FleetSimChild(params string[] arguments)
        : this(new Dictionary<string, string?>(), arguments)
    {
    }

    /// <summary>A child with these variables set in its environment (how secrets such as the control token reach it); a null value removes one.</summary>
    public FleetSimChild(IReadOnlyDictionary<string, string?> environment, params string[] arguments)
        : this(BuildOutput(), environment, arguments)
    {
    }

    private FleetSimChild(IReadOnlyList<string> command, IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string> arguments)
    {
        // Through env, which gives SIGINT back its default and then becomes fleetsim (same pid): a test run started as a background
        // job inherits SIGINT as ignored, .NET keeps an inherited SIG_IGN for it, and kill -INT would then not reach the child.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--default-signal=INT");
        foreach (var word in command.Concat(arguments))
        {
            start.ArgumentList.Add(word);
        }
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stdout.Enqueue(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                _stderr.Enqueue(e.Data);
            }
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>A fleetsim compiled ahead of time (<see cref="NativeFleetSim"/>): the executable itself, no dotnet host.</summary>
    public static FleetSimChild Native(string executable, params string[] arguments) =>
        new([executable], new Dictionary<string, string?>(), arguments);

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyList<string> Stdout => [.. _stdout];

    public IReadOnlyList<string> Stderr => [.. _stderr];

    /// <summary>Every line, standard output's first.</summary>
    public IReadOnlyList<string> Lines => [.. _stdout, .. _stderr];

    public string Output => string.Join('\n', Lines);

    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_stdout.FirstOrDefault(match) is { } line)
            {
                return line;
            }
            if (_process.HasExited)
            {
                // Exited is known before the last lines are read from the pipe: wait for its end, not for a while.
                await Task.Run(() => _process.WaitForExit()).WaitAsync(TimeSpan.FromSeconds(30));
                return _stdout.FirstOrDefault(match) ?? throw new InvalidOperationException($"fleetsim exited ({_process.ExitCode}) before the line waited for:\n{Output}");
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"no such line within {timeout}:\n{Output}");
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"fleetsim did not exit within {timeout}:\n{Output}");
        }
        _process.WaitForExit();   // the output is read to its end
        return _process.ExitCode;
    }

    /// <summary>Sends SIGTERM or SIGINT (<c>kill -TERM</c>, <c>kill -INT</c>) and waits for the exit code.</summary>
    public async Task<int> SignalAndWaitAsync(string signal, TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-" + signal, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }
        return await WaitForExitAsync(timeout);
    }

    /// <summary>SIGKILL, as <c>kill -9</c>: no handler runs.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: false);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }

    private static string[] BuildOutput()
    {
        var fleetsim = Path.Combine(AppContext.BaseDirectory, "fleetsim.dll");
        Assert.True(File.Exists(fleetsim), $"{fleetsim} is missing");
        return ["dotnet", fleetsim];
    }
}
