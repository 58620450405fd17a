using Simulator.Fleet.Plan;

namespace Simulator.Cli.Tests;

/// <summary><c>behaviour.remoteStart.plugInAfter</c>: when the driver of an app-started session plugs in.</summary>
public class RemoteStartProfileTests
{
    private static FleetPlan Load(string behaviour) => TestProfiles.LoadValid(TestProfiles.Minimal(extra: behaviour));

    [Fact]
    public void Without_the_field_the_driver_plugs_in_after_one_to_three_seconds_in_both_behaviours()
    {
        Assert.Equal(Distribution.Uniform(1, 3), Load("behaviour: idle\n").Behaviour.RemoteStart.PlugInAfter);
        Assert.Equal(Distribution.Uniform(1, 3), Load("behaviour: sessions\n").Behaviour.RemoteStart.PlugInAfter);
        Assert.Equal(Distribution.Uniform(1, 3), TestProfiles.LoadValid(TestProfiles.Minimal()).Behaviour.RemoteStart.PlugInAfter);
    }

    [Theory]
    [InlineData("5s", DistributionKind.Constant, 5, 0)]
    [InlineData("0s", DistributionKind.Constant, 0, 0)]
    [InlineData("1m30s", DistributionKind.Constant, 90, 0)]
    [InlineData("{uniform: [500ms, 4s]}", DistributionKind.Uniform, 0.5, 4)]
    [InlineData("{normal: {mean: 10s, stddev: 2s}}", DistributionKind.Normal, 10, 2)]
    [InlineData("{exponential: 20s}", DistributionKind.Exponential, 20, 0)]
    public void PlugInAfter_takes_a_duration_or_a_distribution_of_durations(string value, DistributionKind kind, double a, double b)
    {
        var plan = Load($"behaviour:\n  idle:\n  remoteStart:\n    plugInAfter: {value}\n");

        Assert.Equal(BehaviourKind.Idle, plan.Behaviour.Kind);
        Assert.Equal(new Distribution(kind, a, b), plan.Behaviour.RemoteStart.PlugInAfter);
    }

    [Fact]
    public void Never_means_the_driver_does_not_come()
    {
        var plan = Load("behaviour:\n  sessions:\n    plugInDuration: 45s\n  remoteStart: {plugInAfter: never}\n");

        Assert.Equal(BehaviourKind.Sessions, plan.Behaviour.Kind);
        Assert.Equal(Distribution.Constant(45), plan.Behaviour.PlugInDuration);
        Assert.Null(plan.Behaviour.RemoteStart.PlugInAfter);
    }

    [Fact]
    public void RemoteStart_alone_means_idle()
    {
        var plan = Load("behaviour:\n  remoteStart: {plugInAfter: 2s}\n");

        Assert.Equal(BehaviourKind.Idle, plan.Behaviour.Kind);
        Assert.Equal(Distribution.Constant(2), plan.Behaviour.RemoteStart.PlugInAfter);
    }

    [Fact]
    public void A_value_that_is_neither_a_duration_nor_never_names_the_field_and_the_choices()
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(extra: "behaviour:\n  idle:\n  remoteStart:\n    plugInAfter: soon\n"));

        Assert.Equal("behaviour.remoteStart.plugInAfter", error.FieldPath);
        Assert.Equal(
            "profiles/test.yaml:12:18 behaviour.remoteStart.plugInAfter: 'soon' is not a duration; expected e.g. 500ms, 30s, 10m, 1h or 1h30m; or a distribution such as {uniform: [1s, 3s]}, or never",
            error.ToString());
    }

    [Theory]
    [InlineData("3", "behaviour.remoteStart.plugInAfter", "'3' has no unit; write e.g. 3s")]
    [InlineData("{uniform: [3s, 1s]}", "behaviour.remoteStart.plugInAfter.uniform", "min is above max")]
    [InlineData("{uniform: [1s]}", "behaviour.remoteStart.plugInAfter.uniform", "expected two durations [min, max]")]
    [InlineData("{exponential: 0s}", "behaviour.remoteStart.plugInAfter.exponential", "the mean must be above zero")]
    public void A_bad_plugInAfter_is_reported_at_its_path(string value, string path, string message)
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(extra: $"behaviour:\n  remoteStart:\n    plugInAfter: {value}\n"));

        Assert.Equal(path, error.FieldPath);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_under_remoteStart_and_both_behaviours_at_once_are_errors()
    {
        var unknown = TestProfiles.SingleError(TestProfiles.Minimal(extra: "behaviour:\n  remoteStart: {plugInAftr: 2s}\n"));
        Assert.Equal("behaviour.remoteStart.plugInAftr", unknown.FieldPath);
        Assert.Contains("did you mean 'plugInAfter'?", unknown.Message, StringComparison.Ordinal);

        var both = TestProfiles.SingleError(TestProfiles.Minimal(extra: "behaviour:\n  idle:\n  sessions:\n"));
        Assert.Equal("behaviour", both.FieldPath);
        Assert.Contains("not both", both.Message, StringComparison.Ordinal);
    }
}
