using System.Text.Json;
using Simulator.Fleet.Running;
using Simulator.Fleet.Tests.EndToEnd;
using Simulator.Metrics;

namespace Simulator.Fleet.Tests.Running;

public sealed class BootTimelineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("fleetsim-boot-timeline-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_file_has_every_step_in_order_once_the_whole_fleet_has_booted()
    {
        var path = Path.Combine(_directory, "timeline.json");
        var timeline = BootTimeline.Create(path);
        using var telemetry = new FleetTelemetry("test");
        timeline.Mark("runner");
        timeline.Watch(telemetry, fleetSize: 3);
        telemetry.Connected();
        telemetry.Connected();
        telemetry.Connected();
        telemetry.Booted();
        telemetry.Booted();
        await Task.Delay(200);   // the watch looks every 2 ms
        Assert.False(File.Exists(path), "written with two of three booted");
        telemetry.Booted();
        await Await.ConditionAsync(() => File.Exists(path) && new FileInfo(path).Length > 0, "the timeline file");

        var (fleetSize, steps) = Steps(path)!.Value;
        Assert.Equal(3, fleetSize);
        Assert.Equal(["runner", "firstConnected", "allConnected", "allBooted"], steps.Select(s => s.Name));
        Assert.True(steps.Zip(steps.Skip(1)).All(p => p.First.UnixMs <= p.Second.UnixMs), "steps in time order");
        Assert.True(steps.Zip(steps.Skip(1)).All(p => p.First.CpuMs <= p.Second.CpuMs), "CPU time never goes back");
        Assert.All(steps, s => Assert.True(s.JitMethods > 0));
        Assert.InRange(steps[^1].UnixMs, DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 1);
    }

    [Fact]
    public void A_run_that_ends_before_every_charge_point_booted_writes_the_steps_it_reached_and_nothing_after()
    {
        var path = Path.Combine(_directory, "timeline.json");
        var timeline = BootTimeline.Create(path);
        using var telemetry = new FleetTelemetry("test");
        timeline.Mark("runner");
        timeline.Mark("runner");   // a step is noted the first time only
        timeline.Mark("actorSystem");
        timeline.Finish();
        timeline.Mark("allBooted");
        timeline.Finish();

        var (_, steps) = Steps(path)!.Value;
        Assert.Equal(["runner", "actorSystem"], steps.Select(s => s.Name));
    }

    [Fact]
    public void A_file_that_cannot_be_written_is_no_failure_of_the_run()
    {
        var path = Path.Combine(_directory, "no-such-directory", "timeline.json");
        var timeline = BootTimeline.Create(path);
        timeline.Mark("runner");

        timeline.Finish();

        Assert.False(File.Exists(path));
    }

    private static (int FleetSize, List<(string Name, double UnixMs, double CpuMs, long JitMethods)> Steps)? Steps(string path)
    {
        if (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            return null;
        }
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var steps = json.RootElement.GetProperty("steps").EnumerateObject()
            .Select(p => (p.Name, p.Value.GetProperty("unixMs").GetDouble(), p.Value.GetProperty("cpuMs").GetDouble(), p.Value.GetProperty("jitMethods").GetInt64()))
            .ToList();
        return (json.RootElement.GetProperty("fleetSize").GetInt32(), steps);
    }
}
