using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Simulator.Csms;
using Simulator.Metrics;

namespace Simulator.Cli.Tests.EndToEnd;

/// <summary>
/// <c>fleetsim csms</c> and <c>fleetsim run</c> with a separate CSMS process, as real child processes: the control API token,
/// the owner-only private temp directory (and its removal), secrets kept off command lines, and the CA it is given.
/// Each test gives its children a temp directory of its own (TMPDIR), so the stale-directory cleanup of another test's
/// FleetSim cannot touch what this one looks at.
/// </summary>
[Collection(CliEndToEndGroup.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CsmsSecretsTests : IDisposable
{
    private const string Key = "00112233445566778899AABBCCDDEEFF0A0B0C0D";
    private static readonly UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private static readonly UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("fleetsim-secrets-test.");
    private readonly List<FleetSimChild> _children = [];

    public CsmsSecretsTests() => Temp = Directory.CreateDirectory(Path.Combine(_dir.FullName, "tmp")).FullName;

    /// <summary>The children's TMPDIR.</summary>
    private string Temp { get; }

    public void Dispose()
    {
        foreach (var child in _children)
        {
            child.Dispose();
        }
        _dir.Delete(recursive: true);
    }

    /// <summary>A child with this test's TMPDIR and none of the secrets the test process may have in its environment.</summary>
    private FleetSimChild Start(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var variables = new Dictionary<string, string?>
        {
            ["TMPDIR"] = Temp,
            [ControlTokens.EnvironmentVariable] = null,
            [Commands.CsmsCommand.AuthorizationKeyVariable] = null,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }
        var child = new FleetSimChild(variables, arguments);
        _children.Add(child);
        return child;
    }

    private static Task<string> LineAsync(FleetSimChild child, string prefix) => child.WaitForLineAsync(l => l.StartsWith(prefix, StringComparison.Ordinal), Patience);

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private string[] PrivateDirectories(int pid, string role = "csms")
        => Directory.GetDirectories(Temp, string.Create(CultureInfo.InvariantCulture, $"fleetsim-{role}-{pid}-*"));

    private static string After(string line, string prefix) => line[prefix.Length..].Trim();

    [Fact]
    public async Task The_token_is_printed_once_kept_in_an_owner_only_file_required_by_the_control_API_and_gone_after_a_graceful_exit()
    {
        var csms = Start(null, "csms", "--port", "0", "--control-port", "0");
        var controlUrl = new Uri(After(await LineAsync(csms, "Control API on "), "Control API on "));
        var token = After(await LineAsync(csms, "Control API token: "), "Control API token: ");
        var fileLine = After(await LineAsync(csms, "Control API token file: "), "Control API token file: ");
        var tokenFile = fileLine[..fileLine.IndexOf(" (", StringComparison.Ordinal)];

        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        Assert.Single(csms.Lines, l => l.Contains(token, StringComparison.Ordinal));
        var directory = Assert.Single(PrivateDirectories(csms.Id));
        Assert.Equal(directory, Path.GetDirectoryName(tokenFile));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(directory));
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(tokenFile));
        Assert.Equal(token, await File.ReadAllTextAsync(tokenFile));

        using var http = new HttpClient { BaseAddress = controlUrl };
        using (var without = await http.GetAsync(new Uri("stats", UriKind.Relative)))
        {
            Assert.Equal(401, (int)without.StatusCode);
        }
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (var with = await http.GetAsync(new Uri("stats", UriKind.Relative)))
        {
            Assert.Equal(200, (int)with.StatusCode);
        }

        Assert.Equal(0, await csms.SignalAndWaitAsync("TERM", Patience));
        Assert.Contains("CSMS stopping", csms.Lines);
        Assert.False(Directory.Exists(directory), $"{directory} is still there after the CSMS stopped");
    }

    [Fact]
    public async Task A_directory_left_by_a_killed_CSMS_is_removed_at_the_next_start_and_a_live_ones_is_not()
    {
        var killed = Start(null, "csms", "--port", "0", "--control-port", "0", "--security-profile", "2", "--authorization-key", Key);
        var caLine = await LineAsync(killed, "CA certificate ");
        await LineAsync(killed, "Control API token file: ");
        var stale = Assert.Single(PrivateDirectories(killed.Id));
        Assert.Contains(stale, caLine, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(stale, "ca.pem")));
        var live = Start(null, "csms", "--port", "0", "--control-port", "0");
        await LineAsync(live, "Control API token file: ");
        var liveDirectory = Assert.Single(PrivateDirectories(live.Id));

        killed.KillHard();
        await killed.WaitForExitAsync(Patience);
        Assert.True(Directory.Exists(stale), "kill -9 leaves the directory behind (nothing in the process can run)");

        var next = Start(null, "csms", "--port", "0", "--control-port", "0");
        await LineAsync(next, "Control API token file: ");
        Assert.False(Directory.Exists(stale), $"{stale} of the killed CSMS survived the next start");
        Assert.True(Directory.Exists(liveDirectory), "the directory of a CSMS still running was removed");
        Assert.Single(PrivateDirectories(next.Id));
        Assert.Equal(0, await live.SignalAndWaitAsync("TERM", Patience));
        Assert.Equal(0, await next.SignalAndWaitAsync("INT", Patience));
        Assert.Empty(Directory.GetDirectories(Temp, "fleetsim-*"));
    }

    [Theory]
    [InlineData("--authorization-key", "zz", "--authorization-key: must be written in hex digits only")]
    [InlineData("--authorization-key", "0011", "--authorization-key: must be 16 to 20 bytes")]
    [InlineData("env", "zz", "FLEETSIM_AUTHORIZATION_KEY: must be written in hex digits only")]
    [InlineData("--control-token", "short", "--control-token: must be 16 to 512 characters")]
    public async Task A_bad_key_or_token_exits_104_with_one_line_that_does_not_repeat_it(string how, string value, string expected)
    {
        var environment = how == "env" ? new Dictionary<string, string> { ["FLEETSIM_AUTHORIZATION_KEY"] = value } : null;
        string[] arguments = how switch
        {
            "env" => ["csms", "--security-profile", "1"],
            "--authorization-key" => ["csms", "--security-profile", "1", how, value],
            _ => ["csms", "--security-profile", "1", "--authorization-key", Key, how, value],
        };
        var csms = Start(environment, arguments);
        Assert.Equal(104, await csms.WaitForExitAsync(Patience));
        var line = Assert.Single(csms.Stderr);
        Assert.StartsWith(expected, line, StringComparison.Ordinal);
        Assert.DoesNotContain($" {value}", line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetDirectories(Temp, "fleetsim-*"));
    }

    [Fact]
    public async Task A_certificate_that_cannot_be_a_CA_exits_104_with_one_line_naming_the_file_and_the_reason()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Just a leaf", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        using var leaf = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var certificateFile = Path.Combine(_dir.FullName, "leaf.pem");
        var keyFile = Path.Combine(_dir.FullName, "leaf.key");
        await File.WriteAllTextAsync(certificateFile, leaf.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());

        var csms = Start(null, "csms", "--security-profile", "3", "--ca-cert", certificateFile, "--ca-key", keyFile);

        Assert.Equal(104, await csms.WaitForExitAsync(Patience));
        var line = Assert.Single(csms.Stderr);
        Assert.Equal($"--ca-cert/--ca-key: {certificateFile}: not a CA certificate (no basicConstraints CA:TRUE); subject CN=Just a leaf", line);
        Assert.DoesNotContain(csms.Lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_CA_without_a_Subject_Key_Identifier_is_taken_and_TLS_with_certificates_it_issued_works()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=No SKI CA, O=Somebody", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var caCertificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        Assert.Empty(caCertificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>());
        var certificateFile = Path.Combine(_dir.FullName, "ca.pem");
        var keyFile = Path.Combine(_dir.FullName, "ca.key");
        await File.WriteAllTextAsync(certificateFile, caCertificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());

        var csms = Start(null, "csms", "--port", "0", "--control-port", "0", "--security-profile", "3", "--cpo-name", "Test CPO", "--ca-cert", certificateFile, "--ca-key", keyFile);
        var listening = After(await LineAsync(csms, "CSMS listening on "), "CSMS listening on ");
        var url = new Uri(listening[..listening.IndexOf("<chargeBoxId>", StringComparison.Ordinal)] + "CP-1");

        // The test issues the client certificate from the same files, as a charge point's installer would.
        using var ca = CertificateAuthority.LoadFiles(certificateFile, keyFile);
        using var client = ca.IssueClientCertificate("CP-1", "Test CPO");
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("ocpp1.6");
        socket.Options.ClientCertificates = [client];
        socket.Options.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            certificate is not null
            && (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) == SslPolicyErrors.None
            && CertificateAuthority.ChainsTo(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()), caCertificate);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(url, timeout.Token);
        Assert.Equal(WebSocketState.Open, socket.State);
        Assert.Equal("ocpp1.6", socket.SubProtocol);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        Assert.Equal(0, await csms.SignalAndWaitAsync("TERM", Patience));
    }

    [Fact]
    public async Task A_run_with_a_separate_CSMS_process_keeps_secrets_off_its_command_line_drives_a_storm_with_the_token_and_leaves_nothing_behind()
    {
        var profile = Path.Combine(_dir.FullName, "separate.yaml");
        await File.WriteAllTextAsync(profile, $"""
            name: separate
            duration: 12s
            target:
              url: embedded
              security:
                profile: 2
                authorizationKey: {Key}
            csms: {"{heartbeatInterval: 5s, separateProcess: true}"}
            fleet:
              - name: ac
                count: 5
                idPattern: SEP-{"{000}"}
                connectors: 1
                reconnect: {"{policy: exponential, base: 500ms, cap: 2s, jitter: full}"}
            arrival: allAtOnce
            behaviour:
              sessions:
                meanTimeBetweenSessions: 1s
                plugInDuration: {"{uniform: [2s, 4s]}"}
                energyNeed: {"{uniform: [1kWh, 2kWh]}"}
                idTags:
                  blocked: [BLOCKED-1]
            timeline:
              - {"{at: 4s, event: csms-restart, for: 2s, refusal: tcp}"}

            """);
        var reportFile = Path.Combine(_dir.FullName, "separate.json");
        var run = Start(null, "run", profile, "--report", reportFile, "--quiet");

        // The CSMS child: found by its parent pid once it is up.
        int? csmsPid = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (csmsPid is null && DateTime.UtcNow < deadline && !run.HasExited)
        {
            csmsPid = ChildrenOf(run.Id).Cast<int?>().FirstOrDefault(pid => CommandLine(pid!.Value).Contains("csms", StringComparison.Ordinal) && PrivateDirectories(pid.Value).Length > 0);
            await Task.Delay(100);
        }
        Assert.True(csmsPid is not null, "the CSMS child process did not appear:\n" + string.Join('\n', run.Lines));
        var commandLine = CommandLine(csmsPid!.Value);
        Assert.Contains("--security-profile 2", commandLine, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, commandLine, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("token", commandLine, StringComparison.OrdinalIgnoreCase);
        // It got them through its environment, which only its owner reads.
        var environment = await File.ReadAllTextAsync($"/proc/{csmsPid}/environ");
        Assert.Contains($"FLEETSIM_AUTHORIZATION_KEY={Key}", environment, StringComparison.Ordinal);
        Assert.Contains("FLEETSIM_CONTROL_TOKEN=", environment, StringComparison.Ordinal);

        var runDirectory = Assert.Single(PrivateDirectories(run.Id, "run"));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(runDirectory));
        Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(Path.Combine(runDirectory, "ca.key")));
        var csmsDirectory = Assert.Single(PrivateDirectories(csmsPid.Value));
        Assert.Equal(OwnerOnlyDirectory, File.GetUnixFileMode(csmsDirectory));

        Assert.Equal(0, await run.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        var report = RunReport.FromJson(await File.ReadAllTextAsync(reportFile));
        // The restart went through the control API with the token: every charge point was dropped and came back.
        var restart = Assert.Single(report.Storms, s => s.Name == "csms-restart");
        Assert.Equal(5, restart.Figures["affected"]);
        Assert.Equal(0, restart.Figures["neverReconnected"]);
        // So did the loss check (ledger/reconcile).
        Assert.NotNull(report.LossCheck);
        Assert.True(report.LossCheck!.Produced > 0, "sessions ran");
        Assert.Equal(0, report.LossCheck.Lost);
        Assert.DoesNotContain(run.Lines, l => l.Contains(Key, StringComparison.OrdinalIgnoreCase));

        // The CSMS child stopped by itself when the run closed its standard input, and both directories went.
        Assert.False(Directory.Exists(csmsDirectory), "the CSMS process's directory is still there");
        Assert.False(Directory.Exists(runDirectory), "the run's CA directory is still there");
        Assert.Empty(Directory.GetDirectories(Temp, "fleetsim-*"));
        Assert.False(ChildrenOf(run.Id).Contains(csmsPid.Value), "the CSMS process outlived the run");
    }

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }
            // pid (comm) state ppid ...: comm may hold spaces and parentheses, so parse after the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (int.Parse(fields[1], CultureInfo.InvariantCulture) == parent)
            {
                yield return pid;
            }
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }
}
