using Simulator.Cli.Profiles;
using Simulator.Fleet.Plan;

namespace Simulator.Cli.Tests;

public class TargetUrlsProfileTests
{
    private static string Target(string body) => TestProfiles.Minimal(target: "target:\n" + body);

    [Fact]
    public void Several_addresses_with_a_distribution_are_read_in_order_the_first_standing_as_url()
    {
        var plan = TestProfiles.LoadValid(Target("  urls: [ws://127.0.0.1:9001/ocpp, ws://127.0.0.1:9002/ocpp]\n  distribution: byId\n"));

        Assert.Equal([new Uri("ws://127.0.0.1:9001/ocpp"), new Uri("ws://127.0.0.1:9002/ocpp")], plan.Target.Urls);
        Assert.Equal(plan.Target.Urls[0], plan.Target.Url);
        Assert.Equal(UrlDistribution.ById, plan.Target.Distribution);
        Assert.False(plan.Target.IsEmbedded);
    }

    [Fact]
    public void The_distribution_defaults_to_round_robin()
        => Assert.Equal(UrlDistribution.RoundRobin, TestProfiles.LoadValid(Target("  urls: [ws://a:1/ocpp, ws://b:1/ocpp]\n")).Target.Distribution);

    [Theory]
    [InlineData("  urls: [ws://a:1/ocpp, ws://b:1/ocpp]\n  distribution: roundrobin\n", "target.distribution", "'roundrobin' is not one of roundRobin, random, byId (did you mean 'roundRobin'?)")]
    [InlineData("  urls: [ws://a:1/ocpp, http://b:1/ocpp]\n", "target.urls[1]", "uses http://")]
    [InlineData("  urls: [ws://a:1/ocpp, embedded]\n", "target.urls[1]", "use url: embedded instead of urls")]
    [InlineData("  urls: [ws://a:1/ocpp, ws://a:1/ocpp]\n", "target.urls[1]", "is listed twice")]
    [InlineData("  urls: [ws://a:1/ocpp, wss://b:1/ocpp]\n", "target.urls[1]", "the addresses of one target use one scheme")]
    [InlineData("  urls: []\n", "target.urls", "is empty")]
    [InlineData("  urls: ws://a:1/ocpp\n", "target.urls", "expected a list of ws:// or wss:// URLs")]
    [InlineData("  url: ws://a:1/ocpp\n  urls: [ws://b:1/ocpp]\n", "target.urls", "give url (one address) or urls (several), not both")]
    [InlineData("  url: ws://a:1/ocpp\n  distribution: random\n", "target.distribution", "with one url there is nothing to spread")]
    public void A_bad_value_is_an_error_naming_the_field(string target, string field, string message)
    {
        var error = TestProfiles.SingleError(Target(target));

        Assert.Equal(field, error.FieldPath);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Target_on_the_command_line_replaces_every_address()
    {
        var plan = TestProfiles.LoadValid(Target("  urls: [ws://a:1/ocpp, ws://b:1/ocpp]\n"));

        var overridden = ProfileLoader.ApplyOverrides(plan, new ProfileOverrides { Target = "ws://c:1/ocpp" }).GetPlanOrThrow();

        Assert.Equal(new Uri("ws://c:1/ocpp"), overridden.Target.Url);
        Assert.Empty(overridden.Target.Urls);
    }
}
