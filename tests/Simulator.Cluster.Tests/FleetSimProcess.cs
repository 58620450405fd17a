using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit.Abstractions;

namespace Simulator.Cluster.Tests;

/// <summary>One child process with its output kept (and echoed to the test log) line by line.</summary>
internal sealed class FleetSimProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _newLine = new(0);

    public FleetSimProcess(string name, string dll, IReadOnlyList<string> arguments, ITestOutputHelper output, IReadOnlyDictionary<string, string>? environment = null)
    {
        Name = name;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0";
        foreach (var (variable, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[variable] = value;
        }
        _process = new Process { StartInfo = start };
        void OnLine(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null)
            {
                return;
            }
            _lines.Enqueue(e.Data);
            _newLine.Release();
            if (!e.Data.StartsWith("   at ", StringComparison.Ordinal))
            {
                try
                {
                    output.WriteLine($"[{name}] {e.Data}");
                }
                catch (InvalidOperationException)
                {
                    // The test is over.
                }
            }
        }
        _process.OutputDataReceived += OnLine;
        _process.ErrorDataReceived += OnLine;
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id => _process.Id;

    public int ExitCode => _process.ExitCode;

    public bool HasExited => _process.HasExited;

    /// <summary>Every line printed so far, standard output and standard error interleaved as they arrived.</summary>
    public IReadOnlyList<string> Lines => [.. _lines];

    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            if (_lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }
            if (_process.HasExited && _newLine.CurrentCount == 0)
            {
                // Exited is known before the last lines are read from the pipe: read it to its end, then look once more.
                await Task.Run(() => _process.WaitForExit()).WaitAsync(TimeSpan.FromSeconds(30));
                if (_lines.FirstOrDefault(match) is { } last)
                {
                    return last;
                }
                throw new InvalidOperationException($"{Name}: the process exited ({_process.ExitCode}) before printing the line waited for");
            }
            try
            {
                await _newLine.WaitAsync(TimeSpan.FromMilliseconds(500), cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Name}: no such line within {timeout}");
            }
        }
    }

    /// <summary>Waits for the process to exit and for its output to be read to the end.</summary>
    public async Task WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} (pid {Id}) did not exit within {timeout}");
        }
    }

    /// <summary>SIGKILL: the process gets no chance to say goodbye.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM, as a service manager or <c>docker stop</c> sends it.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -TERM {Id} ({Name}) failed with exit code {kill.ExitCode}");
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        _newLine.Dispose();
    }
}
