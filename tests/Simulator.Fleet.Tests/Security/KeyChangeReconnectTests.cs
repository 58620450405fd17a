using System.Diagnostics;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Plan;
using Simulator.Metrics;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using static Simulator.Fleet.Tests.Security.SecureFleet;

namespace Simulator.Fleet.Tests.Security;

/// <summary>
/// ChangeConfiguration AuthorizationKey does not cut the CSMS off mid-sequence: the charge point keeps the connection for the
/// grace period, so the next call (usually SecurityProfile) is answered on it, then reconnects once, with a normal close,
/// and only where the key is used (profiles 1 and 2).
/// </summary>
[Collection("security end-to-end")]
public class KeyChangeReconnectTests
{
    private const string Rotated = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(3);

    private static SecurityPlan Plan(int profile) => new() { Profile = profile, AuthorizationKey = Key, CpoName = Cpo, ReconnectGrace = Grace };

    private static async Task<ConfigurationStatus> ChangeAsync(SecureFleet fleet, string id, string key, string value)
    {
        var outcome = await fleet.Server.CallAsync(id, new ChangeConfigurationRequest { Key = key, Value = value });
        Assert.True(outcome.Response is ChangeConfigurationResponse, $"{key}: {outcome.Status} {outcome.ErrorCode} {outcome.Description}");
        return ((ChangeConfigurationResponse)outcome.Response!).Status;
    }

    [Fact]
    public async Task AuthorizationKey_then_SecurityProfile_are_answered_on_one_connection_and_one_reconnect_after_the_grace_period_brings_both()
    {
        // A TLS + Basic CSMS; the charge point starts at profile 1 over wss (as the target URL says) and is raised to 2.
        await using var fleet = await StartAsync(2, Plan(1), materials: a => new FleetSecurityMaterials { CentralSystemRoots = [a.Certificate] });
        fleet.StartAll();
        var id = fleet.Ids[0];
        await fleet.WaitBootedAsync(id);
        var connections = fleet.State(id).Snapshot().Connections;

        var sinceChange = Stopwatch.StartNew();
        fleet.Server.SetAuthorizationKey(id, Rotated);   // A01.FR.03: the CSMS takes only the new key from now on
        Assert.Equal(ConfigurationStatus.Accepted, await ChangeAsync(fleet, id, "AuthorizationKey", Rotated));
        Assert.Equal(ConfigurationStatus.Accepted, await ChangeAsync(fleet, id, "SecurityProfile", "2"));
        Assert.True(fleet.State(id).Snapshot() is { Connected: true } s && s.Connections == connections, "both answered on the connection they came on");

        await WaitUntilAsync(() => fleet.State(id).Snapshot() is { Connected: true, Booted: true } now && now.Connections > connections, "the reconnect", describe: fleet.Describe);
        Assert.True(sinceChange.Elapsed >= Grace, $"reconnected {sinceChange.Elapsed.TotalSeconds:0.00} s after the key change, before the {Grace.TotalSeconds} s grace period");
        Assert.Equal(connections + 1, fleet.State(id).Snapshot().Connections);
        Assert.Contains("NormalClosure", fleet.State(id).Snapshot().LastDisconnect, StringComparison.Ordinal);
        Assert.Equal(0, fleet.Attempts(ConnectResults.Http(401)));
        // The CSMS counts the connection at the upgrade (its Booted stays from the first connection), before the charge point
        // has taken its connect outcome and counted the attempt: wait for that count, then check it is the only reconnect.
        await WaitUntilAsync(() => fleet.Attempts(ConnectResults.Ok) >= 2, "the charge point to count its reconnect", describe: fleet.Describe);
        Assert.Equal(2, fleet.Attempts(ConnectResults.Ok));   // one reconnect for both changes
        var profile = await fleet.Server.CallAsync(id, new GetConfigurationRequest { Key = ["SecurityProfile"] });
        Assert.Equal("2", Assert.IsType<GetConfigurationResponse>(profile.Response).ConfigurationKey!.Single().Value);
    }

    [Fact]
    public async Task At_profile_1_the_new_key_is_used_after_the_grace_period_with_a_normal_close()
    {
        await using var fleet = await StartAsync(1, Plan(1));
        fleet.StartAll();
        var id = fleet.Ids[0];
        await fleet.WaitBootedAsync(id);
        var connections = fleet.State(id).Snapshot().Connections;

        var sinceChange = Stopwatch.StartNew();
        fleet.Server.SetAuthorizationKey(id, Rotated);
        Assert.Equal(ConfigurationStatus.Accepted, await ChangeAsync(fleet, id, "AuthorizationKey", Rotated));
        var next = await fleet.Server.CallAsync(id, new GetConfigurationRequest { Key = ["HeartbeatInterval"] });
        Assert.True(next.IsAnswered, next.Status.ToString());

        await WaitUntilAsync(() => fleet.State(id).Snapshot() is { Connected: true } now && now.Connections > connections, "the reconnect with the new key", describe: fleet.Describe);
        Assert.True(sinceChange.Elapsed >= Grace, $"reconnected after {sinceChange.Elapsed.TotalSeconds:0.00} s");
        Assert.Contains("NormalClosure", fleet.State(id).Snapshot().LastDisconnect, StringComparison.Ordinal);
        Assert.Equal(0, fleet.Attempts(ConnectResults.Http(401)));
    }

    [Fact]
    public async Task At_profile_0_a_new_key_does_not_reconnect()
    {
        await using var fleet = await StartAsync(0, Plan(0) with { ReconnectGrace = TimeSpan.FromSeconds(1) });
        fleet.StartAll();
        var id = fleet.Ids[0];
        await fleet.WaitBootedAsync(id);
        var connections = fleet.State(id).Snapshot().Connections;

        Assert.Equal(ConfigurationStatus.Accepted, await ChangeAsync(fleet, id, "AuthorizationKey", Rotated));
        await Task.Delay(TimeSpan.FromSeconds(3));   // three times the grace period: a reconnect would have come

        Assert.True(fleet.State(id).Snapshot() is { Connected: true } s && s.Connections == connections, "still on the first connection");
        Assert.Equal(1, fleet.Attempts(ConnectResults.Ok));
        var next = await fleet.Server.CallAsync(id, new GetConfigurationRequest { Key = ["HeartbeatInterval"] });
        Assert.True(next.IsAnswered, next.Status.ToString());
    }
}
