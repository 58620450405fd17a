using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Plan;
using Simulator.Metrics;

namespace Simulator.Cli.Embedded;

/// <summary>
/// The embedded CSMS in a process of its own (<c>fleetsim csms</c>), driven through its control API: large fleets need it,
/// since a process may hold only 20,000 open files and both ends of every connection count.
/// </summary>
internal sealed class CsmsProcess : IEmbeddedCsms
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long the CSMS process gets to stop by itself once its standard input is closed.</summary>
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private readonly Process _process;
    private readonly HttpClient _control;

    private readonly Simulator.Csms.CertificateAuthority? _authority;
    private readonly PrivateTempDirectory? _caDirectory;

    private CsmsProcess(Process process, Uri url, Uri controlUrl, string controlToken, Simulator.Csms.CertificateAuthority? authority, PrivateTempDirectory? caDirectory, int profile)
    {
        _process = process;
        Url = url;
        _authority = authority;
        _caDirectory = caDirectory;
        Security = authority is null ? FleetSecurityMaterials.None : CsmsCertificateIssuer.MaterialsFor(authority, profile);
        _control = new HttpClient { BaseAddress = controlUrl, Timeout = TimeSpan.FromMinutes(2) };
        _control.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", controlToken);
    }

    public Uri Url { get; }

    public FleetSecurityMaterials Security { get; }

    public static async Task<CsmsProcess> StartAsync(FleetPlan plan, CancellationToken cancellationToken)
    {
        var security = plan.Target.Security;
        var arguments = new List<string>(SelfInvocation())
        {
            "csms", "--port", "0", "--control-port", "0", "--stop-when-stdin-closes",
            "--heartbeat-interval", ((int)plan.EmbeddedCsms.HeartbeatInterval.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            "--security-profile", security.Profile.ToString(CultureInfo.InvariantCulture),
            "--cpo-name", security.CpoName,
        };
        // Secrets go through the child's environment, which only its owner can read (/proc/PID/environ); its command line
        // is anybody's (/proc/PID/cmdline, ps).
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [Simulator.Csms.ControlTokens.EnvironmentVariable] = Simulator.Csms.ControlTokens.Generate(),
        };
        if (security.AuthorizationKey is { } key)
        {
            environment[Commands.CsmsCommand.AuthorizationKeyVariable] = key;
        }
        // TLS: this process makes the CA and hands it to the CSMS process through files in its owner-only directory, so the
        // fleet trusts the server and (profile 3) issues client certificates the CSMS accepts. The directory goes when the
        // run ends; after a kill, the next FleetSim to start removes it.
        Simulator.Csms.CertificateAuthority? authority = null;
        PrivateTempDirectory? caDirectory = null;
        Process? process = null;
        try
        {
            PrivateTempDirectory.RemoveStale();
            if (security.Profile >= 2)
            {
                authority = Simulator.Csms.CertificateAuthority.Create();
                caDirectory = PrivateTempDirectory.Create("run");
                var caCertificate = caDirectory.WriteSecret("ca.pem", authority.CertificatePem);
                var caKey = Path.Combine(caDirectory.Path, "ca.key");
                authority.WritePrivateKeyPem(caKey);
                arguments.AddRange(["--ca-cert", caCertificate, "--ca-key", caKey]);
            }
            var start = new ProcessStartInfo(arguments[0]) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false, UseShellExecute = false };
            foreach (var argument in arguments.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }
            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }
            process = Process.Start(start) ?? throw new InvalidOperationException("could not start the CSMS process");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(StartTimeout);
            Uri? url = null, controlUrl = null;
            while ((url is null || controlUrl is null) && await process.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false) is { } line)
            {
                if (line.StartsWith("CSMS listening on ", StringComparison.Ordinal))
                {
                    url = new Uri(line["CSMS listening on ".Length..].Split("<chargeBoxId>")[0]);
                }
                else if (line.StartsWith("Control API on ", StringComparison.Ordinal))
                {
                    controlUrl = new Uri(line["Control API on ".Length..].Trim());
                }
            }
            if (url is null || controlUrl is null)
            {
                throw new InvalidOperationException($"the CSMS process ended before it printed its URLs (exit code {(process.HasExited ? process.ExitCode : -1)})");
            }
            _ = DrainAsync(process.StandardOutput);
            var csms = new CsmsProcess(process, url, controlUrl, environment[Simulator.Csms.ControlTokens.EnvironmentVariable], authority, caDirectory, security.Profile);
            foreach (var blocked in plan.Behaviour.IdTags.Blocked)
            {
                await csms.PostAsync($"idtags/{Uri.EscapeDataString(blocked)}", new JsonObject { ["status"] = "Blocked" }, HttpMethod.Put, cancellationToken).ConfigureAwait(false);
            }
            return csms;
        }
        catch
        {
            if (process is not null)
            {
                process.Kill(entireProcessTree: true);
                process.Dispose();
            }
            authority?.Dispose();
            caDirectory?.Dispose();
            throw;
        }
    }

    public async Task RestartAsync(TimeSpan refuseFor, RefusalMode mode, CancellationToken cancellationToken)
    {
        var refusal = PostAsync("faults/refuse", new JsonObject { ["mode"] = mode == RefusalMode.Http503 ? "http503" : "tcp", ["seconds"] = refuseFor.TotalSeconds }, HttpMethod.Post, cancellationToken);
        await PostAsync("faults/drop", new JsonObject { ["mode"] = "abort" }, HttpMethod.Post, cancellationToken).ConfigureAwait(false);
        await refusal.ConfigureAwait(false);
    }

    public Task BlackholeAsync(TimeSpan duration, CancellationToken cancellationToken)
        => PostAsync("faults/blackhole", new JsonObject { ["seconds"] = duration.TotalSeconds }, HttpMethod.Post, cancellationToken);

    public Task SlowAsync(TimeSpan delay, TimeSpan duration, CancellationToken cancellationToken)
        => PostAsync("faults/delay", new JsonObject { ["minMs"] = delay.TotalMilliseconds, ["maxMs"] = delay.TotalMilliseconds, ["seconds"] = duration.TotalSeconds }, HttpMethod.Post, cancellationToken);

    public Task<LossOutcome> CheckLossAsync(IReadOnlyList<ChargePointStopped> stopped, FoldedMessages folded, CancellationToken cancellationToken)
        => CsmsLedgerCheck.ReconcileAsync(_control, stopped, folded, cancellationToken);

    public Task<IReadOnlyList<LedgerLookup>> LookupAsync(IReadOnlyList<ChargePointStopped> settled, CancellationToken cancellationToken)
        => CsmsLedgerCheck.LookupAsync(_control, settled, cancellationToken);

    public Task TrustClientIssuerAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 issuer, CancellationToken cancellationToken)
        => PostAsync("security/client-issuers", new JsonObject { ["certificatePem"] = issuer.ExportCertificatePem() }, HttpMethod.Post, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _control.Dispose();
        _authority?.Dispose();
        _caDirectory?.Dispose();
        if (!_process.HasExited)
        {
            // Closing its standard input stops the CSMS cleanly (it removes its own private directory); a kill is the fallback.
            _process.StandardInput.Close();
            using var stopping = new CancellationTokenSource(StopTimeout);
            try
            {
                await _process.WaitForExitAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        _process.Dispose();
    }

    private async Task<JsonNode> PostAsync(string route, JsonNode body, HttpMethod method, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(route, UriKind.Relative))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        using var response = await _control.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"CSMS control API {method} {route} answered {(int)response.StatusCode}: {text}");
        }
        return JsonNode.Parse(text.Length == 0 ? "{}" : text)!;
    }

    private static async Task DrainAsync(StreamReader output)
    {
        while (await output.ReadLineAsync().ConfigureAwait(false) is not null)
        {
        }
    }

    /// <summary>The command that starts this same fleetsim: the apphost or native executable, or <c>dotnet fleetsim.dll</c>.</summary>
    private static IEnumerable<string> SelfInvocation()
    {
        var processPath = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(processPath) == "dotnet"
            ? [processPath, Path.Combine(AppContext.BaseDirectory, typeof(CsmsProcess).Assembly.GetName().Name + ".dll")]
            : [processPath];
    }
}
