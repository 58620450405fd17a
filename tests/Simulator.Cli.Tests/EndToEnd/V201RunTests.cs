using Simulator.Metrics;

namespace Simulator.Cli.Tests.EndToEnd;

/// <summary>
/// <c>fleetsim run</c> with OCPP 2.0.1 stations against the embedded CSMS: a CSMS restart storm over 300 charging stations
/// loses no TransactionEvent (the loss check by transactionId and seqNo), and the storm is analysed as for 1.6.
/// </summary>
[Collection(CliEndToEndGroup.Name)]
public sealed class V201RunTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("fleetsim-v201-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task A_csms_restart_storm_over_300_2_0_1_stations_loses_no_TransactionEvent()
    {
        var profile = Path.Combine(_dir.FullName, "storm201.yaml");
        await File.WriteAllTextAsync(profile, """
            name: storm201
            duration: 16s
            drain: 10s
            target:
              url: embedded
            fleet:
              - name: ac201
                ocppVersion: "2.0.1"
                count: 300
                idPattern: STORM201-{000}
                connectors: 1
                configuration:
                  SampledDataCtrlr.TxUpdatedInterval: "2"
                  MessageAttemptInterval: "1"
                  MessageAttempts: "20"
                  RetryBackOffWaitMinimum: "1"
                  RetryBackOffRandomRange: "2"
                  RetryBackOffRepeatTimes: "1"
            arrival:
              rate: 100/s
            behaviour:
              sessions:
                meanTimeBetweenSessions: 1s
                plugInDuration: {uniform: [4s, 8s]}
                energyNeed: 3kWh
            timeline:
              - {at: 6s, event: csms-restart, for: 2s, refusal: tcp}
            thresholds:
              - "lost == 0"
            """);
        var reportFile = Path.Combine(_dir.FullName, "storm201.json");

        await Program.Main(["run", profile, "--report", reportFile, "--quiet"]);

        var report = RunReport.FromJson(await File.ReadAllTextAsync(reportFile));
        var loss = report.LossCheck ?? throw new Xunit.Sdk.XunitException("no loss check in the report");
        Assert.Equal(0, loss.Lost);
        Assert.True(loss.Produced > 300, $"the stations charged: {loss}");
        Assert.Equal(loss.Produced, loss.Delivered + loss.StillQueued + loss.GivenUp + loss.Lost);
        var storm = Assert.Single(report.Storms, s => s.Name == "csms-restart");
        Assert.True(storm.Figures.Count > 0, "the storm was analysed");
        Assert.True(report.Connections.Reconnects >= 250, $"the fleet reconnected after the restart: {report.Connections.Reconnects}");
        var events = Assert.Single(report.Actions, a => a.Action == "TransactionEvent");
        Assert.Equal("2.0.1", events.OcppVersion);
        Assert.True(events.Ok > 0);
        Assert.True(Assert.Single(report.Thresholds).Passed);
    }

    [Fact]
    public async Task Validate_names_a_bad_ocppVersion_and_a_bad_device_model_override()
    {
        var profile = Path.Combine(_dir.FullName, "bad.yaml");
        await File.WriteAllTextAsync(profile, TestProfiles.Minimal(fleet: """
            fleet:
              - name: a
                count: 2
                idPattern: A-{00}
                ocppVersion: "2.1"
              - name: b
                count: 2
                idPattern: B-{00}
                ocppVersion: "2.0.1"
                configuration:
                  TxEndedInterval: "5"
                  OCPPCommCtrlr.HeartbeatIntervl: "10"
            """ + "\n", extra: "thresholds:\n  - \"p99 TransactionEvent ocpp_version=2.1 < 1s\"\n"));
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = await Program.RunAsync(["validate", profile], output, errors);

        Assert.Equal(104, code);
        var text = errors.ToString();
        Assert.Contains("fleet[0].ocppVersion: '2.1' is not an OCPP version the simulator speaks; expected \"1.6\" or \"2.0.1\"", text, StringComparison.Ordinal);
        Assert.Contains("fleet[1].configuration.TxEndedInterval: 'TxEndedInterval' is ambiguous", text, StringComparison.Ordinal);
        Assert.Contains("fleet[1].configuration.OCPPCommCtrlr.HeartbeatIntervl: 'OCPPCommCtrlr.HeartbeatIntervl': no such device-model variable", text, StringComparison.Ordinal);
        Assert.Contains("ocpp_version=2.1 is not an OCPP version the simulator speaks", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_prints_each_types_version_and_the_stations_own_back_off()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = await Program.RunAsync(["validate", "mixed-fleet"], output, errors);

        Assert.Equal(0, code);
        var text = output.ToString();
        Assert.Contains("OCPP 1.6, 2 connector(s)", text, StringComparison.Ordinal);
        Assert.Contains("OCPP 2.0.1, 2 EVSE(s), ac3, 22kW, reconnect the station's own (RetryBackOff* in its device model)", text, StringComparison.Ordinal);
    }
}
