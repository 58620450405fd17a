using System.Net;
using System.Net.Sockets;
using System.Text;
using Simulator.Cli.Cluster;
using Simulator.Cli.Commands;
using Simulator.Cli.Profiles;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Plan;
using Simulator.Metrics;

namespace Simulator.Cli.Tests;

/// <summary><c>--password-encoding</c>, the 401 hint, and the profile's <c>target.maxMessageSize</c> and <c>security.reconnectGrace</c>.</summary>
public sealed class WireSettingsTests
{
    private const string Key = "00112233445566778899aabbccddeeff";

    private static string BasicProfile(int port) =>
        TestProfiles.Minimal(target: $"target:\n  url: ws://127.0.0.1:{port}/ocpp\n  security:\n    profile: 1\n    authorizationKey: \"{Key}\"\n");

    [Theory]
    [InlineData("hex")]
    [InlineData("bytes")]
    public async Task Password_encoding_from_the_command_line_reaches_the_Authorization_header_also_on_a_cluster_node(string encoding)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var overrides = new ProfileOverrides { PasswordEncoding = encoding };
        // The way a worker gets the run: profile text plus the overrides, loaded again on the node.
        var assignment = ClusterAssignments.Create("run-1", "test.yaml", BasicProfile(port), overrides, new Uri($"ws://127.0.0.1:{port}/ocpp/"), 7, "127.0.0.1:4053", FleetSecurityMaterials.None, 1);
        using var telemetry = new FleetTelemetry("worker");
        var environment = ClusterAssignments.Accept(assignment, telemetry).Environment!;
        var member = environment.Catalog.Members[0];

        var request = ReadUpgradeRequestAsync(listener);
        var result = await environment.ConnectorFor(member, 1, null).ConnectAsync(environment.TargetFor(member, Key));
        Assert.Equal(401, result.Failure?.StatusCode);

        var header = (await request).Split("\r\n").Single(l => l.StartsWith("Authorization: Basic ", StringComparison.OrdinalIgnoreCase));
        var credentials = Convert.FromBase64String(header["Authorization: Basic ".Length..]);
        var user = Encoding.UTF8.GetBytes(member.ChargeBoxId + ":");
        Assert.Equal(user, credentials[..user.Length]);
        var password = credentials[user.Length..];
        Assert.Equal(encoding == "hex" ? Encoding.UTF8.GetBytes(Key) : Convert.FromHexString(Key), password);
    }

    [Fact]
    public void A_wrong_password_encoding_is_refused_naming_the_option()
    {
        var result = ProfileLoader.ApplyOverrides(TestProfiles.LoadValid(BasicProfile(9)), new ProfileOverrides { PasswordEncoding = "base64" });
        var error = Assert.Single(result.Errors);
        Assert.Equal("--password-encoding", error.FieldPath);
        Assert.Contains("hex", error.Message, StringComparison.Ordinal);
        Assert.Contains("bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_401_at_profile_1_gets_a_hint_naming_both_encodings_and_how_to_switch()
    {
        var now = DateTimeOffset.UtcNow;
        using var telemetry = new FleetTelemetry("t");
        telemetry.ConnectionAttempt(ConnectResults.Http(401));
        var refused = RunReportBuilder.Build(new RunInfo("r", "p", now.AddMinutes(-1), now, 10), telemetry.Snapshot());
        var plan = TestProfiles.LoadValid(BasicProfile(9));

        var hint = RunCommand.AuthenticationHint(refused, plan);
        Assert.NotNull(hint);
        Assert.Contains("401", hint, StringComparison.Ordinal);
        Assert.Contains("This run used hex; try bytes with --password-encoding bytes", hint, StringComparison.Ordinal);
        Assert.Contains("security.passwordEncoding", hint, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, hint, StringComparison.OrdinalIgnoreCase);

        var bytesPlan = ProfileLoader.ApplyOverrides(plan, new ProfileOverrides { PasswordEncoding = "bytes" }).GetPlanOrThrow();
        Assert.Contains("This run used bytes; try hex with --password-encoding hex", RunCommand.AuthenticationHint(refused, bytesPlan), StringComparison.Ordinal);

        using var fine = new FleetTelemetry("t");
        fine.ConnectionAttempt(ConnectResults.Ok);
        Assert.Null(RunCommand.AuthenticationHint(RunReportBuilder.Build(new RunInfo("r", "p", now.AddMinutes(-1), now, 10), fine.Snapshot()), plan));
        Assert.Null(RunCommand.AuthenticationHint(refused, TestProfiles.LoadValid(TestProfiles.Minimal())));   // profile 0: no Basic auth to blame
    }

    [Theory]
    [InlineData("64KiB", 65_536)]
    [InlineData("4MiB", 4_194_304)]
    [InlineData("10 MiB", 10_485_760)]
    [InlineData("2048B", 2_048)]
    [InlineData("1MB", 1_000_000)]
    public void maxMessageSize_takes_a_size_with_a_unit(string size, int bytes)
    {
        var plan = TestProfiles.LoadValid(TestProfiles.Minimal(target: $"target:\n  url: embedded\n  maxMessageSize: {size}\n"));
        Assert.Equal(bytes, plan.Target.MaxMessageBytes);
    }

    [Fact]
    public void maxMessageSize_defaults_to_4_MiB_like_the_embedded_CSMS()
    {
        Assert.Equal(4 * 1024 * 1024, TestProfiles.LoadValid(TestProfiles.Minimal()).Target.MaxMessageBytes);
        Assert.Equal(4 * 1024 * 1024, new Simulator.Csms.CsmsOptions().MaxMessageBytes);
    }

    [Theory]
    [InlineData("4", "has no unit")]
    [InlineData("4 parsecs", "is not a size")]
    [InlineData("100B", "from 1KiB to 1GiB")]
    [InlineData("2GiB", "from 1KiB to 1GiB")]
    public void A_bad_maxMessageSize_is_an_error_naming_the_field(string size, string message)
    {
        var error = TestProfiles.SingleError(TestProfiles.Minimal(target: $"target:\n  url: embedded\n  maxMessageSize: {size}\n"));
        Assert.Equal("target.maxMessageSize", error.FieldPath);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void reconnectGrace_is_read_from_the_security_section_and_checked()
    {
        var security = $"target:\n  url: embedded\n  security:\n    profile: 1\n    authorizationKey: \"{Key}\"\n    reconnectGrace: {{0}}\n";
        Assert.Equal(TimeSpan.FromSeconds(2), TestProfiles.LoadValid(BasicProfile(9)).Target.Security.ReconnectGrace);
        Assert.Equal(TimeSpan.FromSeconds(5), TestProfiles.LoadValid(TestProfiles.Minimal(target: string.Format(System.Globalization.CultureInfo.InvariantCulture, security, "5s"))).Target.Security.ReconnectGrace);
        Assert.Equal(TimeSpan.Zero, TestProfiles.LoadValid(TestProfiles.Minimal(target: string.Format(System.Globalization.CultureInfo.InvariantCulture, security, "0s"))).Target.Security.ReconnectGrace);
        var error = TestProfiles.SingleError(TestProfiles.Minimal(target: string.Format(System.Globalization.CultureInfo.InvariantCulture, security, "1h")));
        Assert.Equal("target.security.reconnectGrace", error.FieldPath);
        Assert.Equal("target.security.reconnectGrace", TestProfiles.SingleError(TestProfiles.Minimal(target: string.Format(System.Globalization.CultureInfo.InvariantCulture, security, "soon"))).FieldPath);
    }

    /// <summary>Reads one HTTP upgrade request's head and answers 401.</summary>
    private static async Task<string> ReadUpgradeRequestAsync(TcpListener listener)
    {
        using var socket = await listener.AcceptSocketAsync();
        var buffer = new byte[8192];
        var count = 0;
        string head;
        do
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(count), SocketFlags.None);
            if (read == 0)
            {
                break;
            }
            count += read;
            head = Encoding.ASCII.GetString(buffer, 0, count);
        }
        while (!Encoding.ASCII.GetString(buffer, 0, count).Contains("\r\n\r\n", StringComparison.Ordinal));
        head = Encoding.ASCII.GetString(buffer, 0, count);
        await socket.SendAsync("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), SocketFlags.None);
        socket.Shutdown(SocketShutdown.Both);
        return head;
    }
}
