using System.Diagnostics;
using System.Text.Json;
using Simulator.Metrics;

namespace Simulator.Fleet.Running;

/// <summary>
/// Benchmark-only and off unless the environment variable <see cref="EnvironmentVariable"/> names a file: when the process
/// reached each step of a fleet's boot (the command's start, the runner, the actor system, the first and last charge point
/// connected, the last one booted), each with the process's CPU time, the methods JIT-compiled so far and the garbage
/// collections, written as one JSON object once every charge point has booted or the run ends
/// (tests/benchmarks/boot-split.sh splits a boot into start-up and ramp with it).
/// </summary>
public sealed class BootTimeline
{
    public const string EnvironmentVariable = "FLEETSIM_BOOT_TIMELINE";

    /// <summary>How often the watch looks at the connected and booted counts: the resolution of those steps.</summary>
    private static readonly TimeSpan WatchInterval = TimeSpan.FromMilliseconds(2);

    /// <summary>The process's timeline, or null (the default) when <see cref="EnvironmentVariable"/> is not set.</summary>
    public static BootTimeline? Current { get; } = string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable))
        ? null
        : new BootTimeline(Environment.GetEnvironmentVariable(EnvironmentVariable)!);

    private readonly string _path;
    private readonly Lock _lock = new();
    private readonly List<Step> _steps = [];
    private int _fleetSize;
    private bool _written;

    private BootTimeline(string path) => _path = Path.GetFullPath(path);

    /// <summary>A timeline written to <paramref name="path"/> (replaced); <see cref="Current"/> is the process's.</summary>
    public static BootTimeline Create(string path) => new(path);

    /// <summary>Notes that the process has reached <paramref name="name"/> now (the first time only).</summary>
    public void Mark(string name)
    {
        var step = Step.Now(name);
        lock (_lock)
        {
            if (!_written && !_steps.Exists(s => s.Name == name))
            {
                _steps.Add(step);
            }
        }
    }

    /// <summary>
    /// Watches the fleet's connected and booted counts on a thread of its own until all <paramref name="fleetSize"/> charge
    /// points have booted, then writes the file; <see cref="Finish"/> writes it earlier if the run ends first.
    /// </summary>
    public void Watch(FleetTelemetry telemetry, int fleetSize)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        _fleetSize = fleetSize;
        var thread = new Thread(() =>
        {
            var firstConnected = false;
            var allConnected = false;
            while (!IsWritten())
            {
                var connected = telemetry.ConnectedNow;
                if (!firstConnected && connected > 0)
                {
                    firstConnected = true;
                    Mark("firstConnected");
                }
                if (!allConnected && connected >= fleetSize)
                {
                    allConnected = true;
                    Mark("allConnected");
                }
                if (telemetry.BootedNow >= fleetSize)
                {
                    Mark("allBooted");
                    Finish();
                    return;
                }
                Thread.Sleep(WatchInterval);
            }
        })
        { IsBackground = true, Name = "fleetsim-boot-timeline" };
        thread.Start();
    }

    /// <summary>
    /// Writes the steps reached so far, unless they were written already. A file that cannot be written is said on standard
    /// error with the reason; the run goes on.
    /// </summary>
    public void Finish()
    {
        Step[] steps;
        lock (_lock)
        {
            if (_written)
            {
                return;
            }
            _written = true;
            steps = [.. _steps];
        }
        try
        {
            Write(steps);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{EnvironmentVariable}: cannot write {_path}: {e.Message}");
        }
    }

    private void Write(Step[] steps)
    {
        using var stream = new FileStream(_path, FileMode.Create, FileAccess.Write, FileShare.Read);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("fleetSize", _fleetSize);
        using (var process = Process.GetCurrentProcess())
        {
            // /proc's start time: to the kernel's clock tick (10 ms); a benchmark's own launch stamp is finer.
            json.WriteNumber("processStartUnixMs", Math.Round((process.StartTime.ToUniversalTime() - DateTime.UnixEpoch).TotalMilliseconds));
        }
        json.WriteStartObject("steps");
        foreach (var step in steps)
        {
            json.WriteStartObject(step.Name);
            json.WriteNumber("unixMs", Math.Round(step.UnixMs, 1));
            json.WriteNumber("cpuMs", Math.Round(step.Cpu.TotalMilliseconds, 1));
            json.WriteNumber("jitMethods", step.JitMethods);
            json.WriteNumber("jitMs", Math.Round(step.JitTime.TotalMilliseconds, 1));
            json.WriteNumber("gen0", step.Gen0);
            json.WriteNumber("gen1", step.Gen1);
            json.WriteNumber("gen2", step.Gen2);
            json.WriteNumber("allocatedMB", Math.Round(step.AllocatedBytes / 1048576.0, 1));
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private bool IsWritten()
    {
        lock (_lock)
        {
            return _written;
        }
    }

    private readonly record struct Step(string Name, double UnixMs, TimeSpan Cpu, long JitMethods, TimeSpan JitTime, int Gen0, int Gen1, int Gen2, long AllocatedBytes)
    {
        public static Step Now(string name) => new(
            name,
            (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalMilliseconds,
            Environment.CpuUsage.TotalTime,
            System.Runtime.JitInfo.GetCompiledMethodCount(),
            System.Runtime.JitInfo.GetCompilationTime(),
            GC.CollectionCount(0),
            GC.CollectionCount(1),
            GC.CollectionCount(2),
            GC.GetTotalAllocatedBytes());
    }
}
