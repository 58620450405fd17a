namespace Simulator.Cli.Tests;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("fleetsim-validate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_valid_profile_prints_a_summary_and_returns_0()
    {
        var file = Write("ok.yaml", TestProfiles.Minimal(fleet: "fleet:\n  - {name: ac, count: 8, idPattern: \"AC-{00}\"}\n  - {name: dc, count: 2, idPattern: \"DC-{00}\"}\n"));
        var (code, output, errors) = Run("validate", file);

        Assert.Equal(0, code);
        Assert.StartsWith("OK: t, 10 charge points, ac (8), dc (2)\n", output, StringComparison.Ordinal);
        Assert.Empty(errors);
    }

    [Fact]
    public void An_invalid_profile_prints_every_error_and_returns_104()
    {
        var file = Write("bad.yaml", "name: t\nduration: 30\ntarget:\n  url: embedded\nfleet:\n  - name: ac\n    count: 10\n    idPattern: AC\n");
        var (code, output, errors) = Run("validate", file);

        Assert.Equal(104, code);
        Assert.Empty(output);
        Assert.Contains($"{file}:2:11 duration: '30' has no unit", errors, StringComparison.Ordinal);
        Assert.Contains($"{file}:8:16 fleet[0].idPattern: 'AC' has no number placeholder", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_returns_104()
    {
        var (code, _, errors) = Run("validate", Path.Combine(_dir, "none.yaml"));

        Assert.Equal(104, code);
        Assert.Contains("cannot read the profile", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_command_is_an_invalid_argument_with_a_pointer_to_the_help()
    {
        var (code, _, errors) = Run("frobnicate");

        Assert.Equal(104, code);
        Assert.Contains("fleetsim --help", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_action_in_a_threshold_is_an_error_naming_the_threshold_with_close_matches()
    {
        var file = Write("typo.yaml", TestProfiles.Minimal(extra: "thresholds:\n  - \"p99 BootNotifcation < 500ms\"\n  - {threshold: \"errors Heartbeet < 1%\", abortOnFail: true}\n  - \"p99 Frobnicate < 1s\"\n"));

        var (code, output, errors) = Run("validate", file);

        Assert.Equal(104, code);
        Assert.Empty(output);
        Assert.Contains($"{file}:10:5 thresholds[0]: 'p99 BootNotifcation < 500ms': unknown action 'BootNotifcation'; close matches: BootNotification", errors, StringComparison.Ordinal);
        Assert.Contains($"{file}:11:17 thresholds[1].threshold: 'errors Heartbeet < 1%': unknown action 'Heartbeet'; close matches: Heartbeat", errors, StringComparison.Ordinal);
        // Nothing close: every action is listed.
        Assert.Contains("'p99 Frobnicate < 1s': unknown action 'Frobnicate'; expected an OCPP action: Authorize, BootNotification,", errors, StringComparison.Ordinal);
        Assert.Contains("3 problem(s)", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("p99 RemoteStartTransaction cp_to_csms < 1s", "RemoteStartTransaction is sent by the CSMS only (csms_to_cp)")]
    [InlineData("p99 StartTransaction csms_to_cp < 1s", "StartTransaction is sent by the charge point only (cp_to_csms)")]
    [InlineData("p99 < 1s BootNotification", "'p99 < 1s BootNotification'")]
    public void A_threshold_that_cannot_be_judged_is_an_error(string threshold, string message)
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(extra: $"thresholds: [\"{threshold}\"]\n"));

        Assert.Equal("thresholds[0]", error.FieldPath);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("p99 DataTransfer csms_to_cp < 1s")]
    [InlineData("p95 RemoteStartTransaction < 1s")]
    [InlineData("errors < 1%")]
    public void Thresholds_on_known_actions_in_their_directions_pass(string threshold)
        => TestProfiles.LoadValid(TestProfiles.Minimal(extra: $"thresholds: [\"{threshold}\"]\n"));

    [Fact]
    public void It_takes_runs_options_and_prints_the_plan_they_give()
    {
        var file = Write("plan.yaml", """
            name: plan
            duration: 10m
            target: {urls: [ws://127.0.0.1:9001/ocpp, ws://127.0.0.1:9002/ocpp], distribution: byId}
            fleet:
              - {name: ac, count: 80, idPattern: "AC-{000}"}
              - {name: dc, count: 20, idPattern: "DC-{000}", connectors: 1, current: dc, maxPower: 150kW, reconnect: {policy: immediate}}
            arrival: {stages: [{duration: 1m, target: 50}, {duration: 1m, target: 100}]}
            timeline:
              - {at: 30s, event: network-drop, for: 5s, share: 50%}
              - {at: 5m, event: reboot-all}
            thresholds:
              - {threshold: "errors < 1%", abortOnFail: true}
            """);

        // Options of run that change nothing here are taken as run takes them.
        var (code, output, errors) = Run("validate", file, "--count", "10", "--duration", "6m", "--report", Path.Combine(_dir, "r.json"), "--metrics-port", "9464", "--seed", "3", "--quiet");

        Assert.True(code == 0, errors);
        Assert.Empty(errors);
        var lines = output.Split('\n');
        Assert.Equal("OK: plan, 10 charge points, ac (8), dc (2)", lines[0]);
        Assert.Contains(lines, l => l == $"Profile     {file}");
        Assert.Contains(lines, l => l == "Target      ws://127.0.0.1:9001/ocpp, ws://127.0.0.1:9002/ocpp (byId), security profile 0");
        Assert.Contains(lines, l => l == "Duration    6m");
        Assert.Contains(lines, l => l.StartsWith("Open files  about 510 in this process (10 charge points, 500 for the runtime); limit ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  ac       8  AC-001 … AC-008  OCPP 1.6, 2 connector(s), ac3, 22kW, reconnect ocpp201", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  dc       2  DC-009 … DC-010  OCPP 1.6, 1 connector(s), dc, 150kW, reconnect immediate", StringComparison.Ordinal));
        // The ramp scaled with --count: 50 and 100 of 100 became 5 and 10 of 10.
        Assert.Contains(lines, l => l.Trim() == "0s → 1m           0 → 5");
        Assert.Contains(lines, l => l.Trim() == "1m → 2m           5 → 10");
        Assert.Contains(lines, l => l.Trim() == "30s     network-drop for 5s, 50% of the charge points");
        // At 30 s half the first stage is up (2.5 charge points), and the drop takes half of those.
        Assert.Contains(lines, l => l.StartsWith("  30s     network-drop: about 1 charge points lose their network for 5s and reconnect: ac ocpp201", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  5m      reboot-all: about 10 charge points reboot, reconnect and boot again", StringComparison.Ordinal));
        Assert.Contains(lines, l => l == "  errors < 1%  (abortOnFail)");
    }

    [Fact]
    public void Run_options_are_checked_as_run_checks_them()
    {
        var file = Write("storm.yaml", TestProfiles.Minimal(extra: "timeline: [{at: 1m, event: csms-restart}]\n"));

        var (code, _, errors) = Run("validate", file, "--target", "ws://127.0.0.1:9/ocpp");
        Assert.Equal(104, code);
        Assert.Contains("--target: the timeline has a csms-restart event, which needs the embedded CSMS", errors, StringComparison.Ordinal);

        (code, _, errors) = Run("validate", file, "--metrics-address", "nowhere");
        Assert.Equal(104, code);
        Assert.Contains("--metrics-address: 'nowhere' is not an IP address", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fleet_over_the_open_file_budget_fails_validation()
    {
        var limit = OpenFileBudget.ProcessLimit();
        Assert.NotNull(limit);
        var file = Write("big.yaml", TestProfiles.Minimal());

        var (code, output, errors) = Run("validate", file, "--count", (limit!.Value / 2).ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(104, code);
        Assert.Empty(output);
        Assert.Contains("open files needed", errors, StringComparison.Ordinal);
        Assert.Contains("the embedded CSMS's", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void A_built_in_profile_is_validated_by_its_name_unless_a_file_of_that_name_exists()
    {
        var (code, output, _) = Run("validate", "smoke");
        Assert.Equal(0, code);
        Assert.Contains("Profile     smoke (built-in)", output, StringComparison.Ordinal);

        (code, _, var errors) = Run("validate", "smoke", "--state", Path.Combine(_dir, "state"));
        Assert.Equal(104, code);
        Assert.Contains("write it with 'fleetsim init smoke'", errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_dir, "state")));

        (code, _, errors) = Run("validate", "smoek");
        Assert.Equal(104, code);
        Assert.Contains("no built-in profile is called 'smoek' either (did you mean 'smoke'?)", errors, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static (int Code, string Output, string Errors) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = Program.RunAsync(args, output, errors).GetAwaiter().GetResult();
        return (code, output.ToString(), errors.ToString());
    }
}
