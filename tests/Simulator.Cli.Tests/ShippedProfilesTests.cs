using Simulator.Cli.Profiles;
using Simulator.Fleet.Plan;
using Simulator.Metrics;

namespace Simulator.Cli.Tests;

public class ShippedProfilesTests
{
    public static TheoryData<string> ProfileFiles() => new(FileNames());

    private static List<string> FileNames()
        => Directory.GetFiles(Path.Combine(TestProfiles.RepositoryRoot(), "profiles"), "*.yaml")
            .Select(Path.GetFileName)
            .OfType<string>()
            .Order(StringComparer.Ordinal)
            .ToList();

    [Theory]
    [MemberData(nameof(ProfileFiles))]
    public void Every_shipped_profile_loads_without_error(string fileName)
    {
        var result = ProfileLoader.LoadFile(Path.Combine(TestProfiles.RepositoryRoot(), "profiles", fileName));

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(Path.GetFileNameWithoutExtension(fileName), result.Plan!.Name);
    }

    [Fact]
    public void The_documented_profiles_are_all_shipped()
    {
        var files = FileNames();

        Assert.Subset(files.ToHashSet(), new HashSet<string>
        {
            "smoke.yaml", "idle.yaml", "steady-load.yaml", "ramp-10k.yaml", "reconnect-storm.yaml", "reconnect-storm-immediate.yaml",
        });
    }

    [Fact]
    public void Smoke_is_the_readme_run()
    {
        var plan = Load("smoke.yaml");

        Assert.True(plan.Target.IsEmbedded);
        Assert.Equal(TimeSpan.FromSeconds(40), plan.Duration);
        Assert.InRange(plan.TotalCount, 15, 25);
        Assert.All(plan.Types, t => Assert.Equal(2, t.Connectors));
        Assert.Equal(BehaviourKind.Sessions, plan.Behaviour.Kind);
        Assert.Equal(Distribution.Uniform(20, 40), plan.Behaviour.PlugInDuration);
        Assert.Equal(TimeSpan.FromSeconds(15), plan.Behaviour.MeanTimeBetweenSessions);
        Assert.Contains(plan.Thresholds, t => t.Expression == "p99 BootNotification < 500ms");
    }

    [Fact]
    public void Steady_load_is_a_thousand_charging_at_a_rate()
    {
        var plan = Load("steady-load.yaml");

        Assert.Equal(1000, plan.TotalCount);
        Assert.Equal(ArrivalKind.Rate, plan.Arrival.Kind);
        Assert.Equal("30", plan.Types[0].Configuration["MeterValueSampleInterval"]);
        Assert.Equal(TimeSpan.FromSeconds(60), plan.EmbeddedCsms.HeartbeatInterval);
        Assert.Equal(Distribution.Uniform(60, 80), plan.Behaviour.PlugInDuration);
    }

    [Fact]
    public void Ramp_10k_ramps_to_ten_thousand_in_a_separate_csms_process_over_several_addresses()
    {
        var plan = Load("ramp-10k.yaml");

        Assert.Equal(10_000, plan.TotalCount);
        Assert.Equal(ArrivalKind.Ramp, plan.Arrival.Kind);
        Assert.Equal(10_000, plan.Arrival.Stages.Max(s => s.Target));
        Assert.True(plan.EmbeddedCsms.SeparateProcess);
        Assert.True(plan.Target.SourceAddresses.Count > 1);
    }

    [Theory]
    [InlineData("reconnect-storm.yaml", ReconnectKind.Exponential)]
    [InlineData("reconnect-storm-immediate.yaml", ReconnectKind.Immediate)]
    public void Reconnect_storms_restart_the_csms_at_30s_with_10s_of_tcp_refusal(string fileName, ReconnectKind policy)
    {
        var plan = Load(fileName);

        Assert.Equal(1000, plan.TotalCount);
        Assert.True(plan.Duration < TimeSpan.FromMinutes(2));
        var restart = Assert.Single(plan.Timeline);
        Assert.Equal(new TimelineEvent { At = TimeSpan.FromSeconds(30), Kind = TimelineEventKind.CsmsRestart, For = TimeSpan.FromSeconds(10), Refusal = RefusalMode.TcpRefuse }, restart);
        Assert.Equal(policy, plan.Types[0].Reconnect.Kind);
        if (policy == ReconnectKind.Exponential)
        {
            Assert.Equal(JitterKind.Full, plan.Types[0].Reconnect.Jitter);
        }
    }

    [Theory]
    [MemberData(nameof(ProfileFiles))]
    public void A_shipped_profile_whose_timeline_disconnects_the_fleet_judges_the_storm_not_the_outage(string fileName)
    {
        var plan = Load(fileName);
        if (!plan.Timeline.Any(e => e.Kind is TimelineEventKind.CsmsRestart or TimelineEventKind.NetworkDrop or TimelineEventKind.RebootAll))
        {
            return;
        }

        // The steady phase's mean of connected charge points counts the outage the profile causes on purpose: it could not pass.
        var thresholds = plan.Thresholds.Select(t => Threshold.Parse(t.Expression)).ToList();
        Assert.DoesNotContain(thresholds, t => t.Metric is ThresholdMetric.Connected or ThresholdMetric.Booted
            && t.Phase is null or RunPhaseNames.Steady or RunPhaseNames.Run);
        Assert.Contains(thresholds, t => t.Metric == ThresholdMetric.Reconnected);
    }

    private static FleetPlan Load(string fileName)
        => ProfileLoader.LoadFile(Path.Combine(TestProfiles.RepositoryRoot(), "profiles", fileName)).GetPlanOrThrow();
}
