using Simulator.Cli.Cluster;
using Simulator.Cli.Profiles;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Plan;
using Simulator.Metrics;

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

    private static readonly Uri[] Addresses = [new("ws://127.0.0.1:9001/ocpp"), new("ws://127.0.0.1:9002/ocpp"), new("ws://127.0.0.1:9003/ocpp")];

    /// <summary>A node's environment as a cluster worker builds it: the profile's text and the overrides, loaded again there.</summary>
    private static FleetEnvironment Node(string distribution, int seed, int? count = null)
    {
        var yaml = TestProfiles.Minimal(
            fleet: "fleet:\n  - name: ac\n    count: 30\n    idPattern: CP-{0000}\n",
            target: $"target:\n  urls: [{string.Join(", ", Addresses.Select(a => a.ToString()))}]\n  distribution: {distribution}\n");
        var assignment = ClusterAssignments.Create("run", "t.yaml", yaml, new ProfileOverrides { Count = count }, Addresses[0], seed, "127.0.0.1:4053", FleetSecurityMaterials.None, 1);
        var telemetry = new FleetTelemetry("node");
        return ClusterAssignments.Accept(assignment, telemetry).Environment!;
    }

    private static Dictionary<string, int> Chosen(FleetEnvironment environment)
        => environment.Catalog.Members.ToDictionary(m => m.ChargeBoxId, environment.UrlIndexFor);

    [Fact]
    public void Round_robin_splits_the_fleet_evenly_in_arrival_order_and_the_connector_goes_to_the_chosen_address()
    {
        var node = Node("roundRobin", seed: 1);

        Assert.Equal(Addresses, node.TargetUrls);
        Assert.Equal([10, 10, 10], Chosen(node).Values.GroupBy(i => i).OrderBy(g => g.Key).Select(g => g.Count()));
        Assert.All(node.Catalog.Members, m => Assert.Equal(m.ArrivalIndex % 3, node.UrlIndexFor(m)));
        Assert.All(node.Catalog.Members, m => Assert.Equal(Addresses[node.UrlIndexFor(m)], node.ConnectorFor(m, 0, null).Settings.BaseUri));
    }

    [Fact]
    public void Random_follows_the_seed()
    {
        var first = Chosen(Node("random", seed: 1));

        Assert.Equal(first, Chosen(Node("random", seed: 1)));
        Assert.NotEqual(first, Chosen(Node("random", seed: 2)));
        Assert.Equal(3, first.Values.Distinct().Count());
    }

    [Fact]
    public void By_id_depends_on_the_id_alone()
    {
        var first = Chosen(Node("byId", seed: 1));
        var other = Chosen(Node("byId", seed: 9, count: 12));

        Assert.Equal(3, first.Values.Distinct().Count());
        Assert.All(other, c => Assert.Equal(first[c.Key], c.Value));
    }

    [Fact]
    public void One_address_is_the_given_one()
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal(target: "target:\n  url: ws://127.0.0.1:9001/ocpp\n"));
        var telemetry = new FleetTelemetry("node");
        var node = new FleetEnvironment(plan, new Uri("ws://127.0.0.1:9009/ocpp"), telemetry, new ConnectionJournal(DateTimeOffset.UtcNow), TimeProvider.System);

        Assert.Equal([new Uri("ws://127.0.0.1:9009/ocpp")], node.TargetUrls);
        Assert.All(node.Catalog.Members, m => Assert.Equal(0, node.UrlIndexFor(m)));
    }
}
