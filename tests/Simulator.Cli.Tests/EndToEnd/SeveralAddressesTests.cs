using Simulator.Csms;

namespace Simulator.Cli.Tests.EndToEnd;

/// <summary><c>target.urls</c>: one fleet against a CSMS behind two addresses (two real CSMSes on loopback).</summary>
[Collection(CliEndToEndGroup.Name)]
public sealed class SeveralAddressesTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("fleetsim-urls-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Profile(string name, string distribution, Uri first, Uri second, int count, string extra = "")
    {
        var path = Path.Combine(_dir.FullName, name + ".yaml");
        File.WriteAllText(path, $"""
            name: {name}
            duration: 4s
            target:
              urls: [{first}, {second}]
              distribution: {distribution}
            fleet:
              - name: ac
                count: {count}
                idPattern: URLS-{"{000}"}
                reconnect: {"{policy: fixed, interval: 200ms}"}
            behaviour: idle
            {extra}
            """);
        return path;
    }

    private static async Task<(CsmsServer First, CsmsServer Second)> TwoCsmsesAsync()
    {
        var first = new CsmsServer(new CsmsOptions { ControlPort = null, HeartbeatInterval = 60 });
        var second = new CsmsServer(new CsmsOptions { ControlPort = null, HeartbeatInterval = 60 });
        await first.StartAsync();
        await second.StartAsync();
        return (first, second);
    }

    private static HashSet<string> Booted(CsmsServer csms) => [.. csms.Registry.Snapshot().Where(s => s.Booted).Select(s => s.ChargeBoxId)];

    [Fact]
    public async Task Round_robin_gives_each_address_half_and_a_charge_point_reconnects_to_its_own()
    {
        var (first, second) = await TwoCsmsesAsync();
        await using var a = first;
        await using var b = second;
        var profile = Profile("rr", "roundRobin", a.Url, b.Url, 10, "timeline:\n  - {at: 1500ms, event: network-drop, for: 500ms}\n");

        var exit = await Program.Main(["run", profile, "--quiet"]);

        Assert.Equal(0, exit);
        var atA = Booted(a);
        var atB = Booted(b);
        Assert.Equal(5, atA.Count);
        Assert.Equal(5, atB.Count);
        Assert.Empty(atA.Intersect(atB));
        // Every charge point came back after the drop, to the address it had.
        var everyone = a.Registry.Snapshot().Concat(b.Registry.Snapshot()).ToList();
        Assert.Equal(10, everyone.Count);
        Assert.All(everyone, s => Assert.True(s.Connections >= 2, $"{s.ChargeBoxId} connected {s.Connections} time(s)"));
    }

    [Fact]
    public async Task By_id_sends_a_charge_point_to_the_same_address_whatever_the_seed_and_the_fleet_size()
    {
        HashSet<string> atA1, atB1, atA2, atB2;
        {
            var (first, second) = await TwoCsmsesAsync();
            await using var a = first;
            await using var b = second;
            Assert.Equal(0, await Program.Main(["run", Profile("byid1", "byId", a.Url, b.Url, 12), "--quiet", "--seed", "1"]));
            (atA1, atB1) = (Booted(a), Booted(b));
        }
        {
            var (first, second) = await TwoCsmsesAsync();
            await using var a = first;
            await using var b = second;
            Assert.Equal(0, await Program.Main(["run", Profile("byid2", "byId", a.Url, b.Url, 12), "--quiet", "--seed", "77", "--count", "8"]));
            (atA2, atB2) = (Booted(a), Booted(b));
        }

        Assert.Equal(12, atA1.Count + atB1.Count);
        Assert.NotEmpty(atA1);
        Assert.NotEmpty(atB1);
        Assert.Equal(8, atA2.Count + atB2.Count);
        Assert.Subset(atA1, atA2);
        Assert.Subset(atB1, atB2);
    }
}
