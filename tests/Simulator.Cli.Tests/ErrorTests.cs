namespace Simulator.Cli.Tests;

public class ErrorTests
{
    [Fact]
    public void An_unknown_key_is_reported_with_a_suggestion()
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(fleet: "fleet:\n  - name: ac\n    count: 10\n    idPattern: CP-{0000}\n    conectors: 2\n"));

        Assert.Equal(TestProfiles.File, error.File);
        Assert.Equal((9, 5), (error.Line, error.Column));
        Assert.Equal("fleet[0].conectors", error.FieldPath);
        Assert.Contains("unknown key (did you mean 'connectors'?)", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("profiles/test.yaml:9:5 fleet[0].conectors: unknown key", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_duration_without_a_unit_says_so()
    {
        var error = TestProfiles.SingleError($"name: t\nduration: 30\ntarget:\n  url: embedded\n{TestProfiles.DefaultFleet}");

        Assert.Equal("profiles/test.yaml:2:11 duration: '30' has no unit; write e.g. 30s (units: ms, s, m, h)", error.ToString());
    }

    [Fact]
    public void A_duration_with_an_unknown_unit_lists_the_units()
    {
        var error = TestProfiles.SingleError($"name: t\nduration: 30sec\ntarget:\n  url: embedded\n{TestProfiles.DefaultFleet}");

        Assert.Equal("duration", error.FieldPath);
        Assert.Contains("unknown unit 'sec'; units are ms, s, m, h", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_enum_typo_lists_the_choices_and_suggests_one()
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(fleet: """
            fleet:
              - name: ac
                count: 10
                idPattern: CP-{0000}
                reconnect:
                  policy: exponential
                  jitter: fulll

            """));

        Assert.Equal("profiles/test.yaml:11:15 fleet[0].reconnect.jitter: 'fulll' is not one of none, full, equal, decorrelated (did you mean 'full'?)", error.ToString());
    }

    [Fact]
    public void A_type_with_count_and_share_is_an_error()
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(fleet: "fleetSize: 10\nfleet:\n  - name: ac\n    count: 10\n    share: 100%\n    idPattern: CP-{0000}\n"));

        Assert.Equal((9, 5), (error.Line, error.Column));
        Assert.Equal("fleet[0].share", error.FieldPath);
        Assert.Contains("count or share, not both", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_type_with_neither_count_nor_share_is_reported_at_the_type()
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(fleet: "fleet:\n  - name: ac\n    idPattern: CP-{0000}\n"));

        Assert.Equal((6, 5), (error.Line, error.Column));
        Assert.Equal("fleet[0].count", error.FieldPath);
        Assert.Contains("required field is missing; expected count", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shares_need_a_fleet_size()
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(fleet: "fleet:\n  - name: ac\n    share: 100%\n    idPattern: CP-{0000}\n"));

        Assert.Equal("fleetSize", error.FieldPath);
        Assert.Equal(1, error.Line);
        Assert.Contains("fleetSize: 1000", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CP-0001", "has no number placeholder; expected exactly one {0…0}")]
    [InlineData("CP-{00}-{00}", "has 2 number placeholders; expected exactly one")]
    [InlineData("CP-{id}", "is not a {0…0} placeholder")]
    [InlineData("CP/{00}", "cannot be part of a charge point id")]
    public void An_id_pattern_needs_exactly_one_number_placeholder(string pattern, string expected)
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(fleet: $"fleet:\n  - name: ac\n    count: 10\n    idPattern: \"{pattern}\"\n"));

        Assert.Equal((8, 16), (error.Line, error.Column));
        Assert.Equal("fleet[0].idPattern", error.FieldPath);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_types_giving_the_same_ids_are_an_error()
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(fleet: """
            fleet:
              - name: ac
                count: 100
                idPattern: CP-{0000}
              - name: dc
                count: 10
                idPattern: CP-{0000}
                firstNumber: 95

            """));

        Assert.Equal((11, 16), (error.Line, error.Column));
        Assert.Equal("fleet[1].idPattern", error.FieldPath);
        Assert.Contains("gives ids that fleet[0] ('ac') also gives, e.g. 'CP-0095'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Types_sharing_a_pattern_are_numbered_one_after_the_other()
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal(fleet: "fleet:\n  - name: ac\n    count: 100\n    idPattern: CP-{0000}\n  - name: dc\n    count: 10\n    idPattern: CP-{0000}\n"));

        Assert.Equal([1, 101], plan.Types.Select(t => t.FirstNumber));
    }

    [Fact]
    public void A_csms_event_needs_the_embedded_csms()
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(
            target: "target:\n  url: ws://csms.example/ocpp\n",
            extra: "timeline:\n  - {at: 30s, event: csms-blackhole, for: 5s}\n"));

        Assert.Equal((10, 22), (error.Line, error.Column));
        Assert.Equal("timeline[0].event", error.FieldPath);
        Assert.Contains("csms-blackhole acts on the embedded CSMS, but target.url is ws://csms.example/ocpp; use url: embedded", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_timeline_event_after_the_end_of_the_run_is_an_error()
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(extra: "timeline:\n  - at: 3m\n    event: reboot-all\n"));

        Assert.Equal("profiles/test.yaml:10:9 timeline[0].at: 3m is not within the run's duration 2m", error.ToString());
    }

    [Fact]
    public void A_parameter_of_another_event_is_an_error()
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(extra: "timeline:\n  - {at: 30s, event: reboot-all, delay: 2s}\n"));

        Assert.Equal("timeline[0].delay", error.FieldPath);
        Assert.Contains("does not apply to reboot-all", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_of_another_reconnect_policy_is_an_error()
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(fleet: "fleet:\n  - name: ac\n    count: 10\n    idPattern: CP-{0000}\n    reconnect: {policy: fixed, interval: 5s, cap: 1m}\n"));

        Assert.Equal("fleet[0].reconnect.cap", error.FieldPath);
        Assert.Contains("belongs to the exponential policy; the fixed policy uses interval", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("00112233445566778899AABBCCDDEE", "it has 30 digits")]
    [InlineData("00112233445566778899AABBCCDDEEFF0011223344", "it has 42 digits")]
    [InlineData("ZZ112233445566778899AABBCCDDEEFF", "hex digits only")]
    public void A_bad_authorization_key_is_reported_without_its_value(string key, string expected)
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(target: $"target:\n  url: ws://csms.example/ocpp\n  security:\n    profile: 1\n    authorizationKey: {key}\n"));

        Assert.Equal((7, 23), (error.Line, error.Column));
        Assert.Equal("target.security.authorizationKey", error.FieldPath);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, error.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(key[..8], error.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Basic_auth_profiles_need_a_key_and_tls_profiles_need_wss()
    {
        var result = TestProfiles.Load(TestProfiles.Minimal(target: "target:\n  url: ws://csms.example/ocpp\n  security:\n    profile: 2\n"));

        Assert.Collection(result.Errors,
            e => Assert.Contains("needs authorizationKey", e.Message, StringComparison.Ordinal),
            e => Assert.Contains("needs TLS; the target URL must start with wss://", e.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("10.0.0.1", "is not a loopback address; expected one in 127.0.0.0/8")]
    [InlineData("127.1", "is not an IPv4 address")]
    [InlineData("::1", "is not an IPv4 address")]
    public void Source_addresses_must_be_ipv4_loopback(string address, string expected)
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(target: $"target:\n  url: embedded\n  sourceAddresses: [127.0.0.2, \"{address}\"]\n"));

        Assert.Equal("target.sourceAddresses[1]", error.FieldPath);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_certificate_patterns_must_contain_id()
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(target: "target:\n  url: embedded\n  security:\n    profile: 3\n    clientCert: certs/cp.pem\n    clientKey: certs/{id}.key\n"));

        Assert.Equal("target.security.clientCert", error.FieldPath);
        Assert.Contains("must contain {id}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_configuration_key_is_named()
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(fleet: "fleet:\n  - name: ac\n    count: 10\n    idPattern: CP-{0000}\n    configuration:\n      HeartbeatIntervall: \"60\"\n"));

        Assert.Equal("fleet[0].configuration.HeartbeatIntervall", error.FieldPath);
        Assert.Contains("'HeartbeatIntervall' is not an OCPP 1.6 configuration key (did you mean 'HeartbeatInterval'?)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stage_target_above_the_fleet_size_is_an_error()
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(extra: "arrival:\n  stages:\n    - {duration: 1m, target: 11}\n"));

        Assert.Equal("arrival.stages[0].target", error.FieldPath);
        Assert.Contains("11 exceeds the fleet size 10", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_required_field_is_reported_at_the_parent()
    {
        var error = TestProfiles.SingleError("name: t\ntarget:\n  url: embedded\n" + TestProfiles.DefaultFleet);

        Assert.Equal((1, 1), (error.Line, error.Column));
        Assert.Equal("duration", error.FieldPath);
        Assert.Contains("required field is missing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("maxPower: 22", "'22' has no unit; expected a power such as 22kW or 11000W")]
    [InlineData("maxPower: 22kWh", "'22kWh' is not a power such as 22kW or 11000W")]
    [InlineData("connectors: 11", "11 is out of range; expected 1 to 10")]
    [InlineData("current: ac2", "'ac2' is not one of ac1, ac3, dc")]
    [InlineData("ev: {battery: 60kW}", "'60kW' is not an energy such as 60kWh or 500Wh")]
    [InlineData("ev: {arrivalSoc: [0.6, 0.2]}", "min is above max")]
    public void Units_and_ranges_say_what_is_expected(string line, string expected)
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(fleet: $"fleet:\n  - name: ac\n    count: 10\n    idPattern: CP-{{0000}}\n    {line}\n"));

        Assert.Equal(TestProfiles.File, error.File);
        Assert.Equal(9, error.Line);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_yaml_is_reported_with_its_position()
    {
        var error = TestProfiles.SingleError("name: [t\nduration: 1m\n");

        Assert.Equal(TestProfiles.File, error.File);
        Assert.True(error.Line >= 1);
        Assert.Contains("is not valid YAML", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_errors_in_one_file_are_all_reported_in_file_order()
    {
        var result = TestProfiles.Load("""
            name: many
            duration: 30
            target:
              url: http://csms.example
            fleet:
              - name: ac
                count: 10
                share: 5%
                idPattern: CP
              - name: dc
                count: 5
                idPattern: DC-{00}
                current: dcc
                reconnect: {policy: exponential, jitter: fulll}
            behaviour:
              sessions:
                plugInDuration: {uniform: [20, 40s]}
            thresholds:
              - ""

            """);

        Assert.False(result.IsValid);
        Assert.Equal(
            [
                "duration", "target.url", "fleet[0].share", "fleet[0].idPattern", "fleet[1].current", "fleet[1].reconnect.jitter",
                "behaviour.sessions.plugInDuration.uniform[0]", "thresholds[0]",
            ],
            result.Errors.Select(e => e.FieldPath));
        Assert.Equal(result.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column), result.Errors);
    }
}
