using Simulator.Cli.Commands;
using Simulator.Cli.Profiles;
using Simulator.Metrics;

namespace Simulator.Cli.Tests;

public class SecurityOverrideTests
{
    private const string Key = "00112233445566778899aabbccddeeff";

    [Fact]
    public void Security_options_win_over_the_profile()
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal());
        var result = ProfileLoader.ApplyOverrides(plan, new ProfileOverrides
        {
            SecurityProfile = 3,
            ClientCertificate = "certs/{id}.pem",
            ClientKey = "certs/{id}.key",
            CpoName = "ACME",
        }).GetPlanOrThrow();
        var security = result.Target.Security;
        Assert.Equal((3, "certs/{id}.pem", "certs/{id}.key", "ACME"), (security.Profile, security.ClientCertificatePattern, security.ClientKeyPattern, security.CpoName));

        var basic = ProfileLoader.ApplyOverrides(plan, new ProfileOverrides { SecurityProfile = 1, AuthorizationKey = Key }).GetPlanOrThrow();
        Assert.Equal((1, Key), (basic.Target.Security.Profile, basic.Target.Security.AuthorizationKey));
    }

    [Theory]
    [InlineData(5, null, null, null, "--security-profile")]
    [InlineData(1, null, null, null, "--authorization-key")]
    [InlineData(1, "0123456789abcdefXYZ3456789abcdef", null, null, "--authorization-key")]
    [InlineData(3, null, "certs/cp.pem", "certs/{id}.key", "--client-cert")]
    [InlineData(3, null, "certs/{id}.pem", null, "--client-key")]
    [InlineData(2, Key, null, null, "--ca-cert")]
    public void Bad_security_options_are_refused_and_the_key_is_never_echoed(int profile, string? key, string? cert, string? clientKey, string option)
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal());
        var result = ProfileLoader.ApplyOverrides(plan, new ProfileOverrides
        {
            SecurityProfile = profile,
            AuthorizationKey = key,
            ClientCertificate = cert,
            ClientKey = clientKey,
            CaCertificate = option == "--ca-cert" ? "/nonexistent/ca.pem" : null,
        });
        Assert.Null(result.Plan);
        Assert.Contains(result.Errors, e => e.FieldPath == option);
        if (key is not null)
        {
            Assert.DoesNotContain(result.Errors, e => e.Message.Contains(key, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void Records_holding_the_key_never_print_it()
    {
        var plan = ProfileLoader.ApplyOverrides(TestProfiles.LoadValid(TestProfiles.Minimal()), new ProfileOverrides { SecurityProfile = 1, AuthorizationKey = Key }).GetPlanOrThrow();
        Assert.DoesNotContain(Key, plan.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("AuthorizationKey = ***", plan.Target.Security.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, new ProfileOverrides { AuthorizationKey = Key }.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Key, new Simulator.Csms.CsmsOptions { SharedAuthorizationKey = Key }.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_summary_gets_a_security_line_with_failures_by_cause_and_events_by_type()
    {
        var now = DateTimeOffset.UtcNow;
        using var telemetry = new FleetTelemetry("test");
        telemetry.ConnectionAttempt(ConnectResults.Ok);
        telemetry.ConnectionAttempt(ConnectResults.Http(401));
        telemetry.ConnectionAttempt(ConnectResults.Tls("tls_certificate"));
        telemetry.SecurityEvent("FailedToAuthenticationAtCentralSystem");
        var report = RunReportBuilder.Build(new RunInfo("r", "p", now.AddMinutes(-1), now, 1), telemetry.Snapshot());
        var line = RunCommand.SecurityLine(report);
        Assert.Equal("Security: connection failures by cause: http_401 1, tls_certificate 1; security events: FailedToAuthenticationAtCentralSystem 1", line);
        using var quiet = new FleetTelemetry("test");
        Assert.Null(RunCommand.SecurityLine(RunReportBuilder.Build(new RunInfo("r", "p", now.AddMinutes(-1), now, 1), quiet.Snapshot())));
    }
}
