using Simulator.Cli.Profiles;
using Simulator.Fleet.Plan;

namespace Simulator.Cli.Tests;

public class OverrideTests
{
    private const string ThreeTypes = """
        fleet:
          - name: a
            count: 500
            idPattern: A-{00000}
          - name: b
            count: 300
            idPattern: B-{00000}
          - name: c
            count: 200
            idPattern: C-{00000}
        arrival:
          stages:
            - {duration: 30s, target: 500}
            - {duration: 30s, target: 1000}

        """;

    [Theory]
    [InlineData(1000, new[] { 500, 300, 200 })]
    [InlineData(10, new[] { 5, 3, 2 })]
    [InlineData(7, new[] { 4, 2, 1 })]
    [InlineData(12_345, new[] { 6173, 3703, 2469 })]
    [InlineData(3, new[] { 1, 1, 1 })]
    public void Count_scales_the_types_in_proportion_and_sums_exactly(int count, int[] expected)
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal(fleet: ThreeTypes));

        var scaled = ProfileLoader.ApplyOverrides(plan, new ProfileOverrides { Count = count }).GetPlanOrThrow();

        Assert.Equal(expected, scaled.Types.Select(t => t.Count));
        Assert.Equal(count, scaled.TotalCount);
        Assert.Equal(expected[0] + 1, scaled.Types[1].FirstNumber);
        Assert.Equal(count, scaled.Arrival.Stages[^1].Target);
    }

    [Fact]
    public void Count_below_the_number_of_types_is_an_error()
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal(fleet: ThreeTypes));

        var error = Assert.Single(ProfileLoader.ApplyOverrides(plan, new ProfileOverrides { Count = 2 }).Errors);

        Assert.Equal("--count", error.FieldPath);
        Assert.Equal("command line --count: 2 is too small; the fleet has 3 types and each needs at least one charge point", error.ToString());
    }

    [Fact]
    public void Id_pattern_applies_to_a_fleet_of_one_type()
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal());

        var result = ProfileLoader.ApplyOverrides(plan, new ProfileOverrides { IdPattern = "LAB-{000}" }).GetPlanOrThrow();

        Assert.Equal("LAB-{000}", result.Types[0].IdPattern);
    }

    [Fact]
    public void Id_pattern_with_several_types_is_an_error()
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal(fleet: ThreeTypes));

        var error = Assert.Single(ProfileLoader.ApplyOverrides(plan, new ProfileOverrides { IdPattern = "LAB-{000}" }).Errors);

        Assert.Equal("--id-pattern", error.FieldPath);
        Assert.Contains("only be used when the fleet has one type; this profile has 3 (a, b, c)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_id_pattern_is_an_error()
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal());

        var error = Assert.Single(ProfileLoader.ApplyOverrides(plan, new ProfileOverrides { IdPattern = "LAB" }).Errors);

        Assert.Contains("no number placeholder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Target_embedded_means_no_url_and_a_url_replaces_it()
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal(target: "target:\n  url: ws://a.example/ocpp\n"));

        var embedded = ProfileLoader.ApplyOverrides(plan, new ProfileOverrides { Target = "embedded" }).GetPlanOrThrow();
        var remote = ProfileLoader.ApplyOverrides(embedded, new ProfileOverrides { Target = "wss://b.example/ocpp" }).GetPlanOrThrow();

        Assert.True(embedded.Target.IsEmbedded);
        Assert.Equal(new Uri("wss://b.example/ocpp"), remote.Target.Url);
    }

    [Fact]
    public void A_remote_target_with_csms_events_is_an_error()
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal(extra: "timeline:\n  - {at: 30s, event: csms-restart}\n"));

        var error = Assert.Single(ProfileLoader.ApplyOverrides(plan, new ProfileOverrides { Target = "ws://csms.example/ocpp" }).Errors);

        Assert.Equal("--target", error.FieldPath);
        Assert.Contains("csms-restart event, which needs the embedded CSMS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_that_is_not_a_websocket_url_is_an_error()
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal());

        var error = Assert.Single(ProfileLoader.ApplyOverrides(plan, new ProfileOverrides { Target = "http://csms.example" }).Errors);

        Assert.Contains("uses http://; expected 'embedded' or a ws:// or wss:// URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duration_replaces_the_profiles_and_must_cover_the_timeline()
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal(extra: "timeline:\n  - {at: 90s, event: reboot-all}\n"));

        var longer = ProfileLoader.ApplyOverrides(plan, new ProfileOverrides { Duration = "10m" }).GetPlanOrThrow();
        var tooShort = ProfileLoader.ApplyOverrides(plan, new ProfileOverrides { Duration = "1m" });
        var noUnit = ProfileLoader.ApplyOverrides(plan, new ProfileOverrides { Duration = "60" });

        Assert.Equal(TimeSpan.FromMinutes(10), longer.Duration);
        Assert.Contains("ends before the reboot-all event at 1m30s", Assert.Single(tooShort.Errors).Message, StringComparison.Ordinal);
        Assert.Contains("has no unit", Assert.Single(noUnit.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_overrides_keep_the_plan()
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal());

        Assert.Same(plan, ProfileLoader.ApplyOverrides(plan, new ProfileOverrides()).Plan);
    }
}
