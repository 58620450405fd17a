using Simulator.Fleet.Plan;

namespace Simulator.Cli.Tests;

public class FullExampleTests
{
    internal const string Full = """
        name: full
        duration: 1h30m
        target:
          url: wss://csms.example:8443/ocpp
          security:
            profile: 2
            authorizationKey: 00112233445566778899AABBCCDDEEFF
            passwordEncoding: bytes
            caCert: certs/ca.pem
            cpoName: ACME
            reconnectGrace: 5s
          sourceAddresses: [127.0.0.2, 127.1.2.3]
          maxMessageSize: 8MiB
        fleetSize: 40
        fleet:
          - name: ac
            share: 75%
            idPattern: AC-{0000}
            vendor: ACME
            model: Wallbox 2
            firmwareVersion: 2.4.1
            connectors: 2
            current: ac1
            maxPower: 7.4kW
            ev:
              battery: 40kWh
              arrivalSoc: [0.1, 0.5]
              maxPower: 7400W
            configuration:
              HeartbeatInterval: "120"
              MeterValueSampleInterval: "30"
              LocalAuthListEnabled: "true"
            reconnect:
              policy: ocpp201
              waitMinimum: 2s
              randomRange: 500ms
              repeatTimes: 3
            bootOnReconnect: true
          - name: dc
            share: 0.25
            idPattern: DC-{000}
            firstNumber: 100
            connectors: 1
            current: dc
            maxPower: 0.15MW
            reconnect:
              policy: fixed
              interval: 7s
            security:
              profile: 3
              clientCert: certs/{id}.pem
              clientKey: certs/{id}.key
        arrival:
          stages:
            - {duration: 0s, target: 10}
            - {duration: 10m, target: 40}
        behaviour:
          sessions:
            meanTimeBetweenSessions: 5m
            plugInDuration: {normal: {mean: 30m, stddev: 5m}}
            energyNeed: {exponential: 12kWh}
            idTags:
              accepted: [A1, A2]
              blocked: [B1]
              unknownShare: 2.5%
            faults:
              perConnectorHour: 0.5
              duration: 90s
        timeline:
          - {at: 20m, event: network-drop, for: 30s, share: 10%}
          - {at: 10m, event: reboot-all}
        thresholds:
          - "p95 StartTransaction < 300ms"
          - threshold: "errors < 1%"
            abortOnFail: true
        """;

    [Fact]
    public void Every_field_is_mapped_into_the_plan()
    {
        var plan = TestProfiles.LoadValid(Full);

        Assert.Equal("full", plan.Name);
        Assert.Equal(TimeSpan.FromMinutes(90), plan.Duration);
        Assert.Equal(new Uri("wss://csms.example:8443/ocpp"), plan.Target.Url);
        Assert.False(plan.Target.IsEmbedded);
        Assert.Equal(2, plan.Target.Security.Profile);
        Assert.Equal("00112233445566778899AABBCCDDEEFF", plan.Target.Security.AuthorizationKey);
        Assert.Equal(BasicAuthPasswordEncoding.DecodedBytes, plan.Target.Security.PasswordEncoding);
        Assert.Equal("certs/ca.pem", plan.Target.Security.CaCertificateFile);
        Assert.Equal("ACME", plan.Target.Security.CpoName);
        Assert.Equal(TimeSpan.FromSeconds(5), plan.Target.Security.ReconnectGrace);
        Assert.Equal(["127.0.0.2", "127.1.2.3"], plan.Target.SourceAddresses);
        Assert.Equal(8 * 1024 * 1024, plan.Target.MaxMessageBytes);
        Assert.Equal(new EmbeddedCsmsPlan(), plan.EmbeddedCsms);

        Assert.Equal(2, plan.Types.Count);
        var ac = plan.Types[0];
        Assert.Equal("ac", ac.Name);
        Assert.Equal(30, ac.Count);
        Assert.Equal("AC-{0000}", ac.IdPattern);
        Assert.Equal(1, ac.FirstNumber);
        Assert.Equal("ACME", ac.Vendor);
        Assert.Equal("Wallbox 2", ac.Model);
        Assert.Equal("2.4.1", ac.FirmwareVersion);
        Assert.Equal(2, ac.Connectors);
        Assert.Equal(CurrentType.AC1Phase, ac.Current);
        Assert.Equal(7400, ac.MaxPowerW, 6);
        Assert.Equal(new EvPlan { BatteryCapacityWh = 40_000, ArrivalSocMin = 0.1, ArrivalSocMax = 0.5, MaxPowerW = 7400 }, ac.Ev);
        Assert.Equal(
            new Dictionary<string, string> { ["HeartbeatInterval"] = "120", ["MeterValueSampleInterval"] = "30", ["LocalAuthListEnabled"] = "true" },
            ac.Configuration);
        Assert.Equal(
            new ReconnectPlan { Kind = ReconnectKind.Ocpp201, WaitMinimum = TimeSpan.FromSeconds(2), RandomRange = TimeSpan.FromMilliseconds(500), RepeatTimes = 3, Given = true },
            ac.Reconnect);
        Assert.True(ac.BootOnReconnect);
        Assert.Null(ac.Security);

        var dc = plan.Types[1];
        Assert.Equal(10, dc.Count);
        Assert.Equal(100, dc.FirstNumber);
        Assert.Equal(1, dc.Connectors);
        Assert.Equal(CurrentType.DC, dc.Current);
        Assert.Equal(150_000, dc.MaxPowerW, 6);
        Assert.Equal(new EvPlan(), dc.Ev);
        Assert.Equal(new ReconnectPlan { Kind = ReconnectKind.Fixed, Interval = TimeSpan.FromSeconds(7), Given = true }, dc.Reconnect);
        Assert.False(dc.BootOnReconnect);
        Assert.Equal(plan.Target.Security with { Profile = 3, ClientCertificatePattern = "certs/{id}.pem", ClientKeyPattern = "certs/{id}.key" }, dc.Security);

        Assert.Equal(40, plan.TotalCount);
        Assert.Equal(ArrivalKind.Ramp, plan.Arrival.Kind);
        Assert.Equal([new RampStage(TimeSpan.Zero, 10), new RampStage(TimeSpan.FromMinutes(10), 40)], plan.Arrival.Stages);

        var b = plan.Behaviour;
        Assert.Equal(BehaviourKind.Sessions, b.Kind);
        Assert.Equal(TimeSpan.FromMinutes(5), b.MeanTimeBetweenSessions);
        Assert.Equal(Distribution.Normal(1800, 300), b.PlugInDuration);
        Assert.Equal(Distribution.Exponential(12_000), b.EnergyNeedWh);
        Assert.Equal(["A1", "A2"], b.IdTags.Accepted);
        Assert.Equal(["B1"], b.IdTags.Blocked);
        Assert.Equal(0.025, b.IdTags.UnknownShare, 9);
        Assert.Equal(0.5, b.FaultsPerConnectorHour);
        Assert.Equal(TimeSpan.FromSeconds(90), b.FaultDuration);

        Assert.Equal(2, plan.Timeline.Count);
        Assert.Equal(new TimelineEvent { At = TimeSpan.FromMinutes(10), Kind = TimelineEventKind.RebootAll }, plan.Timeline[0]);
        Assert.Equal(TimelineEventKind.NetworkDrop, plan.Timeline[1].Kind);
        Assert.Equal(TimeSpan.FromSeconds(30), plan.Timeline[1].For);
        Assert.Equal(0.1, plan.Timeline[1].Share, 9);

        Assert.Equal([new ThresholdPlan("p95 StartTransaction < 300ms"), new ThresholdPlan("errors < 1%", AbortOnFail: true)], plan.Thresholds);
    }

    [Fact]
    public void Omitted_sections_take_the_plan_defaults()
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal());

        Assert.True(plan.Target.IsEmbedded);
        Assert.Equal(ArrivalPlan.AllAtOnce, plan.Arrival);
        Assert.Equal(BehaviourPlan.Idle, plan.Behaviour);
        Assert.Equal(ReconnectPlan.Default, plan.Types[0].Reconnect);
        Assert.Empty(plan.Timeline);
        Assert.Empty(plan.Thresholds);
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("30s", 30)]
    [InlineData("10m", 600)]
    [InlineData("1h", 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("1.5s", 1.5)]
    public void Durations_take_their_units(string text, double seconds)
    {
        var plan = TestProfiles.LoadValid($"name: t\nduration: {text}\ntarget:\n  url: embedded\n{TestProfiles.DefaultFleet}");

        Assert.Equal(TimeSpan.FromSeconds(seconds), plan.Duration);
    }

    [Fact]
    public void Behaviour_and_arrival_have_short_forms()
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal(extra: "arrival:\n  rate: 600/m\nbehaviour: sessions\n"));

        Assert.Equal(ArrivalKind.Rate, plan.Arrival.Kind);
        Assert.Equal(10, plan.Arrival.RatePerSecond);
        Assert.Equal(BehaviourKind.Sessions, plan.Behaviour.Kind);
        Assert.Equal(new BehaviourPlan { Kind = BehaviourKind.Sessions }.PlugInDuration, plan.Behaviour.PlugInDuration);
    }

    [Fact]
    public void Constant_distributions_are_plain_values()
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal(extra: "behaviour:\n  sessions:\n    plugInDuration: 45s\n    energyNeed: 500Wh\n"));

        Assert.Equal(Distribution.Constant(45), plan.Behaviour.PlugInDuration);
        Assert.Equal(Distribution.Constant(500), plan.Behaviour.EnergyNeedWh);
    }
}
