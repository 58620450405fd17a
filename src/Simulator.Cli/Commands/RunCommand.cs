using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Simulator.Cli.Cluster;
using Simulator.Cli.Embedded;
using Simulator.Cli.Live;
using Simulator.Cli.Profiles;
using Simulator.Cli.Reports;
using Simulator.Fleet.Cluster;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Plan;
using Simulator.Fleet.Running;
using Simulator.Fleet.State;
using Simulator.Fleet.Tracing;
using Simulator.Metrics;
using Simulator.Metrics.TimeSeries;

namespace Simulator.Cli.Commands;

/// <summary><c>fleetsim run PROFILE</c>: the main job — a fleet against a CSMS, a live view, a report, an exit code.</summary>
internal static class RunCommand
{
    private static readonly Argument<string?> ProfileArgument = new("profile") { Description = "The load profile (YAML), e.g. profiles/smoke.yaml, or a built-in's name, e.g. smoke (none with --resume)", Arity = ArgumentArity.ZeroOrOne };
    private static readonly Option<string?> TargetOption = new("--target") { Description = "CSMS WebSocket base URL (ws:// or wss://), or 'embedded'" };
    private static readonly Option<int?> CountOption = new("--count") { Description = "Scale the fleet to N charge points (types keep their proportions)" };
    private static readonly Option<string?> IdPatternOption = new("--id-pattern") { Description = "Id pattern for a one-type fleet, e.g. CP-{0000}" };
    private static readonly Option<string?> DurationOption = new("--duration") { Description = "Run length, e.g. 90s, 10m, 1h" };
    private static readonly Option<FileInfo?> ReportOption = new("--report") { Description = "Write the JSON report to this file" };
    private static readonly Option<int?> MetricsPortOption = new("--metrics-port") { Description = "Serve Prometheus /metrics on this port" };
    private static readonly Option<string> MetricsAddressOption = new("--metrics-address") { Description = "Address /metrics binds to", DefaultValueFactory = _ => "127.0.0.1" };
    private static readonly Option<Uri?> OtlpOption = new("--otlp") { Description = "Also export metrics over OTLP to this collector URL" };
    private static readonly Option<bool> QuietOption = new("--quiet") { Description = "No live view; only the summary" };
    private static readonly Option<int> SeedOption = new("--seed") { Description = "Random seed: the same seed and profile give the same load", DefaultValueFactory = _ => 1 };
    private static readonly Option<int?> SecurityProfileOption = new("--security-profile") { Description = "OCPP security profile 0-3 (wins over the profile's target.security.profile)" };
    private static readonly Option<string?> AuthorizationKeyOption = new("--authorization-key") { Description = "AuthorizationKey for profiles 1/2: 32-40 hex digits (never echoed)" };
    private static readonly Option<string?> PasswordEncodingOption = new("--password-encoding") { Description = "How the Basic-auth password is made from the AuthorizationKey: hex (its hex text) or bytes (the bytes it decodes to); wins over the profile's passwordEncoding" };
    private static readonly Option<string?> CaCertOption = new("--ca-cert") { Description = "PEM file of the CentralSystemRootCertificate(s) the server chain must end in (profiles 2/3)" };
    private static readonly Option<string?> ClientCertOption = new("--client-cert") { Description = "Client certificate PEM pattern for profile 3, e.g. certs/{id}.pem (default: issued for the run by a throwaway CA)" };
    private static readonly Option<string?> ClientKeyOption = new("--client-key") { Description = "Private key PEM pattern for profile 3, e.g. certs/{id}.key" };
    private static readonly Option<string?> CpoNameOption = new("--cpo-name") { Description = "CPO name: the O of charge point certificates and CSRs" };
    private static readonly Option<string?> NodeOption = new("--node") { Description = "Value of the 'node' label on every metric (default: host name)" };
    private static readonly Option<bool> ClusterOption = new("--cluster") { Description = "Be the coordinator of a cluster: run the profile across every node that joins (fleetsim node --seed HOST:PORT)" };
    private static readonly Option<int> PortOption = new("--port") { Description = "With --cluster: this node's cluster port, the seed the workers join", DefaultValueFactory = _ => 4053 };
    private static readonly Option<string> HostnameOption = new("--hostname") { Description = "With --cluster: address the cluster port binds to", DefaultValueFactory = _ => "127.0.0.1" };
    private static readonly Option<string?> PublicHostnameOption = new("--public-hostname") { Description = "With --cluster: address the workers reach this node at, if not --hostname" };
    private static readonly Option<int> MinNodesOption = new("--min-nodes") { Description = "With --cluster: nodes (this one included) to wait for before the run starts", DefaultValueFactory = _ => 1 };
    private static readonly Option<string?> StateOption = new("--state") { Description = "Keep each charge point's offline queue, open transactions and meter registers in this (new or empty) directory, so a crashed run can be resumed" };
    private static readonly Option<string?> ResumeOption = new("--resume") { Description = "Bring back the fleet of a crashed run from its --state directory: queued messages first, interrupted transactions end with PowerLoss" };
    private static readonly Option<string?> CsmsControlOption = new("--csms-control") { Description = "Control API base URL of an external `fleetsim csms` (e.g. http://127.0.0.1:9000/control/; its token in FLEETSIM_CONTROL_TOKEN): the loss check uses its ledger" };
    private static readonly Option<string> NodesTimeoutOption = new("--nodes-timeout") { Description = "With --cluster: how long to wait for --min-nodes; then exit 104", DefaultValueFactory = _ => "60s" };
    // Report & metrics hygiene: /metrics stays up after the run for a final scrape.
    private static readonly Option<string> LingerOption = MetricsStartup.CreateLingerOption();

    public static Command Create()
    {
        var command = new Command("run", """
            Run a fleet of virtual charge points as a profile describes, show live progress, print a summary and exit with
            0 (all thresholds hold), 99 (a threshold failed or a transaction message was lost), 104 (invalid profile or
            arguments), 105 (aborted) or 107 (internal error).

            Examples:
              fleetsim run smoke                  # a built-in profile (fleetsim profiles lists them)
              fleetsim run profiles/steady-load.yaml --target ws://127.0.0.1:8080/ocpp --count 200 --duration 5m --report out.json
              fleetsim run profiles/reconnect-storm.yaml --metrics-port 9464
              fleetsim run profiles/steady-load.yaml --cluster --port 4053 --min-nodes 3   # then 2 x: fleetsim node --seed 127.0.0.1:4053

            With --cluster the run waits for --min-nodes members; if they are not all there within --nodes-timeout it
            does not start and exits 104 (a fleet split over fewer nodes than planned is not the load that was asked for).
            """);
        AddArgumentAndOptions(command);
        command.SetAction((parse, cancellationToken) => ExecuteAsync(parse, Console.Out, Console.Error, validateOnly: false, cancellationToken));
        return command;
    }

    /// <summary>The profile argument and every option of run: validate takes the same command line.</summary>
    internal static void AddArgumentAndOptions(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Arguments.Add(ProfileArgument);
        foreach (var option in new Option[] { TargetOption, CountOption, IdPatternOption, DurationOption, ReportOption, MetricsPortOption, MetricsAddressOption, OtlpOption, QuietOption, SeedOption, NodeOption,
            SecurityProfileOption, AuthorizationKeyOption, PasswordEncodingOption, CaCertOption, ClientCertOption, ClientKeyOption, CpoNameOption,
            ClusterOption, PortOption, HostnameOption, PublicHostnameOption, MinNodesOption, NodesTimeoutOption,
            StateOption, ResumeOption, CsmsControlOption, LingerOption })
        {
            command.Options.Add(option);
        }
        foreach (var option in RunOutputs.All)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Checks the command line as a run needs it; then runs, or with <paramref name="validateOnly"/> prints the resolved plan.</summary>
    internal static async Task<int> ExecuteAsync(ParseResult parse, TextWriter output, TextWriter errors, bool validateOnly, CancellationToken cancellationToken)
    {
        var resumeFrom = parse.GetValue(ResumeOption);
        RunStateManifest? resumed = null;
        if (resumeFrom is not null)
        {
            if (ResumeConflict(parse) is { } conflict)
            {
                errors.WriteLine(conflict);
                return ExitCodes.InvalidArguments;
            }
            (resumed, var problem) = RunStateDirectory.Open(resumeFrom);
            if (resumed is null)
            {
                errors.WriteLine(problem);
                return ExitCodes.InvalidArguments;
            }
            if (resumed.AuthorizationKeyGiven && parse.GetValue(AuthorizationKeyOption) is null)
            {
                errors.WriteLine($"--resume {resumeFrom}: the run was started with --authorization-key, which is not stored; give it again");
                return ExitCodes.InvalidArguments;
            }
        }
        else if (parse.GetValue(ProfileArgument) is null)
        {
            errors.WriteLine("Give a PROFILE to run, or --resume DIR to bring back a crashed run");
            return ExitCodes.InvalidArguments;
        }
        var profile = resumed is null ? ProfileSource.Resolve(parse.GetValue(ProfileArgument)!) : ProfileSource.FromFile(resumed.ProfilePath);
        var loaded = profile.Load();
        var overrides = resumed is not null
            ? resumed.Overrides with { AuthorizationKey = parse.GetValue(AuthorizationKeyOption), Duration = parse.GetValue(DurationOption) ?? resumed.Overrides.Duration }
            : new ProfileOverrides
        {
            Target = parse.GetValue(TargetOption),
            Count = parse.GetValue(CountOption),
            IdPattern = parse.GetValue(IdPatternOption),
            Duration = parse.GetValue(DurationOption),
            SecurityProfile = parse.GetValue(SecurityProfileOption),
            AuthorizationKey = parse.GetValue(AuthorizationKeyOption),
            PasswordEncoding = parse.GetValue(PasswordEncodingOption),
            CaCertificate = parse.GetValue(CaCertOption),
            ClientCertificate = parse.GetValue(ClientCertOption),
            ClientKey = parse.GetValue(ClientKeyOption),
            CpoName = parse.GetValue(CpoNameOption),
        };
        if (loaded.Plan is { } parsed)
        {
            loaded = ProfileLoader.ApplyOverrides(parsed, overrides);
        }
        if (loaded.Plan is not { } plan)
        {
            foreach (var error in loaded.Errors)
            {
                errors.WriteLine(error);
            }
            if (validateOnly)
            {
                errors.WriteLine($"{profile.Argument}: {loaded.Errors.Count} problem(s); the profile was not loaded");
            }
            return ExitCodes.InvalidArguments;
        }
        IReadOnlyList<Threshold> thresholds;
        try
        {
            thresholds = plan.Thresholds.Select(t => Threshold.Parse(t.Expression, t.AbortOnFail, t.DelayAbortEval)).ToList();
        }
        catch (ThresholdParseException ex)
        {
            errors.WriteLine($"{profile.Name}: thresholds: {ex.Message}");
            return ExitCodes.InvalidArguments;
        }
        if (!IPAddress.TryParse(parse.GetValue(MetricsAddressOption), out var metricsAddress))
        {
            errors.WriteLine($"--metrics-address: '{parse.GetValue(MetricsAddressOption)}' is not an IP address");
            return ExitCodes.InvalidArguments;
        }
        ClusterSettings? cluster = null;
        if (parse.GetValue(ClusterOption))
        {
            var minNodes = parse.GetValue(MinNodesOption);
            if (minNodes < 1)
            {
                errors.WriteLine("--min-nodes: must be at least 1");
                return ExitCodes.InvalidArguments;
            }
            if (!Units.TryParseDuration(parse.GetValue(NodesTimeoutOption)!, out var nodesTimeout, out var timeoutProblem))
            {
                errors.WriteLine($"--nodes-timeout: {timeoutProblem}");
                return ExitCodes.InvalidArguments;
            }
            cluster = new ClusterSettings(parse.GetValue(PortOption), parse.GetValue(HostnameOption)!, parse.GetValue(PublicHostnameOption), minNodes, nodesTimeout,
                profile.ReadText(), profile.Name, overrides);
        }
        else if (parse.GetResult(PortOption) is { Implicit: false } || parse.GetResult(MinNodesOption) is { Implicit: false })
        {
            errors.WriteLine("--port and --min-nodes need --cluster");
            return ExitCodes.InvalidArguments;
        }
        // In a cluster the charge points are spread over the nodes; this process holds its share (and the CSMS's ends).
        var chargePointsHere = cluster is null ? plan.TotalCount : OpenFileBudget.ShareOfNode(plan.TotalCount, cluster.MinNodes);
        var csmsHere = plan.Target.IsEmbedded && !plan.EmbeddedCsms.SeparateProcess;
        if (OpenFileBudget.Check(chargePointsHere + (csmsHere ? plan.TotalCount : 0), OpenFileBudget.ProcessLimit(),
            csmsHere ? $"{chargePointsHere} charge points and the embedded CSMS's {plan.TotalCount} connections in one process" : $"{chargePointsHere} charge points in this process") is { } tooMany)
        {
            errors.WriteLine(tooMany + (csmsHere
                ? ". Give the profile 'csms: {separateProcess: true}', or run fewer charge points."
                : cluster is null ? ". Run fewer charge points, raise the limit, or spread the fleet over several nodes (--cluster)." : ". Add nodes (--min-nodes) or raise the limit."));
            return ExitCodes.InvalidArguments;
        }

        if (RunOutputs.Parse(parse, parse.GetValue(ReportOption), out var outputsProblem) is not { } outputs)
        {
            errors.WriteLine(outputsProblem);
            return ExitCodes.InvalidArguments;
        }

        if (MetricsStartup.ParseLinger(parse.GetValue(LingerOption)!, out var lingerProblem) is not { } linger)
        {
            errors.WriteLine(lingerProblem);
            return ExitCodes.InvalidArguments;
        }

        Uri? csmsControl = null;
        if (parse.GetValue(CsmsControlOption) is { } control && (!Uri.TryCreate(control, UriKind.Absolute, out csmsControl) || csmsControl.Scheme is not ("http" or "https")))
        {
            errors.WriteLine($"--csms-control: '{control}' is not an http:// URL of a control API");
            return ExitCodes.InvalidArguments;
        }
        var seed = resumed?.Seed ?? parse.GetValue(SeedOption);
        var stateDirectory = resumeFrom ?? parse.GetValue(StateOption) ?? plan.StateDirectory;
        if (stateDirectory is not null && cluster is not null)
        {
            errors.WriteLine("--state/--resume: not supported with --cluster (each node would need a state of its own)");
            return ExitCodes.InvalidArguments;
        }
        if (stateDirectory is not null && profile.BuiltIn is { } builtIn)
        {
            errors.WriteLine($"--state: the state directory records the profile's file, and the built-in {builtIn.Name} has none; write it with 'fleetsim init {builtIn.Name}' and run that file");
            return ExitCodes.InvalidArguments;
        }
        if (validateOnly)
        {
            var limit = OpenFileBudget.ProcessLimit();
            var needed = chargePointsHere + (csmsHere ? plan.TotalCount : 0) + OpenFileBudget.Reserve;
            output.WriteLine(ValidateCommand.Describe(plan, profile.Label, string.Create(CultureInfo.InvariantCulture,
                $"about {needed:N0} in this process ({chargePointsHere:N0} charge points{(csmsHere ? $", the embedded CSMS's {plan.TotalCount:N0}" : "")}, {OpenFileBudget.Reserve} for the runtime); limit {(limit is { } l ? l.ToString("N0", CultureInfo.InvariantCulture) : "unknown")} (ulimit -n)")));
            return ExitCodes.Ok;
        }
        if (stateDirectory is not null && resumeFrom is null && RunStateDirectory.Create(stateDirectory, profile.FilePath!, seed, overrides) is { } stateProblem)
        {
            errors.WriteLine(stateProblem);
            return ExitCodes.InvalidArguments;
        }
        ChargePointStateStore? state = null;
        if (stateDirectory is not null)
        {
            (state, var storeProblem) = RunStateDirectory.OpenStore(stateDirectory, resume: resumeFrom is not null, resumeFrom is null ? "--state" : "--resume");
            if (state is null)
            {
                errors.WriteLine(storeProblem);
                return ExitCodes.InvalidArguments;
            }
            output.WriteLine(resumeFrom is null
                ? $"Charge-point state kept in {Path.GetFullPath(stateDirectory)} (saved every {state.CommitInterval.TotalMilliseconds:0} ms; after a crash: fleetsim run --resume {stateDirectory})"
                : $"Resuming from {Path.GetFullPath(stateDirectory)}: {state.RestoredSummary}");
        }
        using var ownedState = state;

        var options = new RunOptions(plan, thresholds, parse.GetValue(ReportOption), parse.GetValue(MetricsPortOption), metricsAddress,
            parse.GetValue(OtlpOption), parse.GetValue(QuietOption), seed,
            parse.GetValue(NodeOption) ?? (cluster is null ? Environment.MachineName : string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}-{cluster.Port}")),
            cluster) { Outputs = outputs, CommandLine = ReportMetadata.CommandLine(parse), Linger = linger };
        try
        {
            return await RunAsync(options, output, errors, state, csmsControl, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            errors.WriteLine($"internal error: {ex}");
            return ExitCodes.InternalError;
        }
    }

    /// <summary>Connection failures by cause and security events by type, or null when there were neither.</summary>
    internal static string? SecurityLine(RunReport report)
    {
        var failures = report.Connections.AttemptsByResult.Where(a => a.Key != ConnectResults.Ok && a.Value > 0).ToList();
        if (failures.Count == 0 && report.SecurityEvents.Count == 0)
        {
            return null;
        }
        static string List(IEnumerable<KeyValuePair<string, long>> counts) =>
            string.Join(", ", counts.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key} {c.Value}")));
        return $"Security: connection failures by cause: {(failures.Count == 0 ? "none" : List(failures))}; security events: {(report.SecurityEvents.Count == 0 ? "none" : List(report.SecurityEvents))}";
    }

    /// <summary>
    /// After 401s at security profile 1/2: the two ways CSMSs read the Basic-auth password, which one this run used, and how to
    /// switch. Null when there was no 401 or no charge point used Basic auth.
    /// </summary>
    internal static string? AuthenticationHint(RunReport report, FleetPlan plan)
    {
        var unauthorized = report.Connections.AttemptsByResult.GetValueOrDefault(ConnectResults.Http(401));
        var used = plan.Types.Select(t => t.Security ?? plan.Target.Security).Where(s => s.Profile is 1 or 2).Select(s => s.PasswordEncoding).Distinct().ToList();
        if (unauthorized == 0 || used.Count == 0)
        {
            return null;
        }
        static string Word(BasicAuthPasswordEncoding e) => e == BasicAuthPasswordEncoding.DecodedBytes ? "bytes" : "hex";
        var other = used.Count == 1 ? (used[0] == BasicAuthPasswordEncoding.DecodedBytes ? "hex" : "bytes") : null;
        var switchTo = other ?? "hex|bytes";
        return string.Create(CultureInfo.InvariantCulture,
            $"Hint: the CSMS refused Basic authentication {unauthorized} time(s) (HTTP 401). CSMSs take the password one of two ways: " +
            $"hex (the AuthorizationKey's hex text) or bytes (the bytes the hex decodes to).{Environment.NewLine}" +
            $"      This run used {string.Join(" and ", used.Select(Word))}; {(other is null ? "pick one" : $"try {other}")} with --password-encoding {switchTo} " +
            $"(or security.passwordEncoding: {switchTo} in the profile), or check the key.");
    }

    private sealed record RunOptions(
        FleetPlan Plan, IReadOnlyList<Threshold> Thresholds, FileInfo? Report, int? MetricsPort, IPAddress MetricsAddress,
        Uri? Otlp, bool Quiet, int Seed, string Node, ClusterSettings? Cluster)
    {
        public RunOutputs Outputs { get; init; } = RunOutputs.None;
        public IReadOnlyList<string> CommandLine { get; init; } = [];
        public TimeSpan Linger { get; init; }
    }

    /// <summary>The terminal's width; for a pipe or a CI log COLUMNS if set, else 80.</summary>
    private static int SummaryWidth()
    {
        try
        {
            if (!Console.IsOutputRedirected && Console.WindowWidth > 0)
            {
                return Console.WindowWidth;
            }
        }
        catch (IOException)
        {
            // No terminal after all.
        }
        return int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), CultureInfo.InvariantCulture, out var columns) && columns > 0 ? columns : SummaryRenderer.DefaultWidth;
    }

    private sealed record ClusterSettings(int Port, string Hostname, string? PublicHostname, int MinNodes, TimeSpan NodesTimeout, string ProfileYaml, string ProfileName, ProfileOverrides Overrides);

    /// <summary>With --resume the fleet is the recorded one: options that would change it are refused.</summary>
    private static string? ResumeConflict(ParseResult parse)
    {
        if (parse.GetValue(ProfileArgument) is not null)
        {
            return "--resume: give no PROFILE; the state directory names the run's profile";
        }
        Option[] fixedByState = [TargetOption, CountOption, IdPatternOption, SeedOption, SecurityProfileOption, CaCertOption, ClientCertOption, ClientKeyOption, CpoNameOption, StateOption, ClusterOption];
        return fixedByState.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } given
            ? $"--resume: {given.Name} cannot be given; the resumed fleet is the one the state directory recorded"
            : null;
    }

    private static async Task<int> RunAsync(RunOptions options, TextWriter output, TextWriter errors, ChargePointStateStore? state, Uri? csmsControl, CancellationToken cancellationToken)
    {
        var plan = options.Plan;
        await using var csms = !plan.Target.IsEmbedded ? null
            : plan.EmbeddedCsms.SeparateProcess ? await CsmsProcess.StartAsync(plan, cancellationToken).ConfigureAwait(false)
            : (IEmbeddedCsms)await InProcessCsms.StartAsync(plan).ConfigureAwait(false);
        var targetUrl = csms?.Url ?? plan.Target.Url!;
        var security = csms?.Security ?? FleetSecurityMaterials.None;
        using var throwawayCa = csms is null && ClusterAssignments.NeedsIssuedClientCertificates(plan)
            ? new ThrowawayCertificateAuthority()
            : null;
        string? throwawayCaPath = null;
        if (throwawayCa is not null)
        {
            // Profile 3 against an external CSMS without certificate files: one CA for the run; the CSMS must trust it.
            security = security with { ClientCertificateIssuer = throwawayCa };
            throwawayCaPath = Path.Combine(Directory.CreateTempSubdirectory("fleetsim-run-ca-").FullName, "throwaway-ca.pem");
            await File.WriteAllTextAsync(throwawayCaPath, throwawayCa.CaCertificatePem, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"Client certificates are issued for this run by a throwaway CA (certificate only: {throwawayCaPath}); the CSMS must trust it, or give --client-cert/--client-key files.");
        }
        using var telemetry = new FleetTelemetry(options.Node);
        Simulator.Fleet.Running.VersionSeries.Declare(telemetry, plan);
        var (exporter, metricsProblem) = await MetricsStartup.StartAsync(
            telemetry, options.MetricsPort, options.MetricsAddress, options.Otlp, cancellationToken).ConfigureAwait(false);
        await using var ownedExporter = exporter;
        if (metricsProblem is not null)
        {
            errors.WriteLine(metricsProblem);
            return ExitCodes.InvalidArguments;
        }

        output.WriteLine($"FleetSim: {plan.Name} — {plan.TotalCount} charge points against {(csms is not null ? $"the embedded CSMS at {targetUrl}" : plan.Target.Urls.Count > 1 ? $"{string.Join(", ", plan.Target.Urls)} ({plan.Target.Distribution})" : targetUrl.ToString())} for {plan.Duration}");
        if (exporter?.PrometheusUri is { } metricsUri)
        {
            output.WriteLine($"Prometheus metrics at {metricsUri}");
        }

        var runId = Guid.NewGuid().ToString("N")[..12];
        var interactive = !options.Quiet && !Console.IsOutputRedirected && LiveFrame.TerminalIsInteractive();
        var live = new LiveView(plan.TotalCount, output, interactive, PlannedOutage.Of(plan));
        Action<string>? abort = null;
        string? abortedByThreshold = null;
        var started = DateTimeOffset.UtcNow;
        var abortThresholds = options.Thresholds.Any(t => t.AbortOnFail);
        var phases = new RunPhaseTracker(plan);
        var timeSeries = options.Outputs.RecordsTimeSeries ? new TimeSeriesRecorder(started) : null;
        await using var trace = options.Outputs.Trace is { } tracePath ? FrameTrace.Open(tracePath, options.Outputs.TraceIds, options.Outputs.TraceMaxBytes) : null;
        void OnProgress(Func<StatisticsSnapshot> statistics, Func<WindowStatistics> window, TimeSpan elapsed, LiveFrame? frame)
        {
            var show = !options.Quiet && live.IsDue(elapsed);
            if (!show && timeSeries is null && (!abortThresholds || abortedByThreshold is not null))
            {
                return;   // nobody reads the statistics now: do not copy every histogram each second
            }
            var stats = statistics();
            // The time series and the live view share one sample: the same statistics and the same last-second window.
            var lastWindow = show || timeSeries is not null ? window() : null;
            timeSeries?.Record(stats, lastWindow!, DateTimeOffset.UtcNow);
            if (show)
            {
                live.Update(stats, lastWindow!, elapsed, frame);
            }
            if (abortedByThreshold is null && abortThresholds)
            {
                var now = DateTimeOffset.UtcNow;
                var failed = ThresholdEvaluator.FailedAbortThresholds(stats, new RunInfo(runId, plan.Name, started, now, plan.TotalCount), options.Thresholds, phases.CurrentSoFar(now, stats), elapsed);
                if (failed.Count > 0)
                {
                    abortedByThreshold = $"threshold '{failed[0].Expression}' failed (actual {failed[0].Actual}) and says abortOnFail";
                    abort?.Invoke(abortedByThreshold);
                }
            }
        }

        // The loss check's fold, in one process: settled transaction messages leave the charge points as the run goes.
        using var externalLedger = csmsControl is null ? null : new ExternalCsmsLedger(csmsControl);
        await using var fold = options.Cluster is null ? LossFold.Start(csms, externalLedger) : null;
        FleetRunResult result;
        ClusterRunResult? clusterResult = null;
        // The cluster and the terminal's live table are methods of their own: the JIT loads the assemblies a method names when it
        // compiles it, and a single-node run with --quiet or into a pipe uses neither Akka.Cluster nor Spectre.Console.
        async Task<(ClusterRunResult? Result, int? ExitCode)> RunAsClusterCoordinatorAsync(ClusterSettings cluster)
        {
            await using var node = await FleetClusterNode.StartAsync(
                new ClusterNodeOptions
                {
                    NodeName = options.Node,
                    Hostname = cluster.Hostname,
                    Port = cluster.Port,
                    PublicHostname = cluster.PublicHostname,
                    Seeds = [SeedAddress(cluster)],
                    IsCoordinator = true,
                },
                (assignment, nodeFold) => ClusterAssignments.Accept(assignment, telemetry, security, trace, nodeFold),
                cancellationToken).ConfigureAwait(false);
            output.WriteLine($"Cluster coordinator at {node.Cluster.SelfAddress}; workers join with: fleetsim node --seed {SeedAddress(cluster)}");
            if (!await node.WaitForMembersAsync(cluster.MinNodes, cluster.NodesTimeout, up => output.WriteLine($"Nodes up: {up} of {cluster.MinNodes}"), cancellationToken).ConfigureAwait(false))
            {
                errors.WriteLine($"Only {node.UpMembers} of the {cluster.MinNodes} nodes asked for (--min-nodes) joined within {Units.FormatDuration(cluster.NodesTimeout)}; the run did not start.");
                return (null, ExitCodes.InvalidArguments);
            }
            var assignment = ClusterAssignments.Create(runId, cluster.ProfileName, cluster.ProfileYaml, cluster.Overrides, targetUrl, options.Seed, SeedAddress(cluster), security, node.UpMembers);
            Task<ClusterRunResult> RunClusterAsync(LiveFrame? frame)
            {
                var clusterRunner = new ClusterFleetRunner(node, plan, assignment, csms)
                {
                    Phases = phases,
                    OnProgress = (view, elapsed) => OnProgress(() => view.Merged, () => view.Window, elapsed, frame),
                    BeforeStart = (nodes, token) => TrustNodeIssuersAsync(nodes, csms, throwawayCaPath, output, token),
                    // Every node folds its own charge points' settled messages; the coordinator looks them up for it.
                    LookupInLedger = LossFold.LookupFor(csms, externalLedger),
                };
                abort = clusterRunner.Abort;
                return clusterRunner.RunAsync(cancellationToken);
            }
            try
            {
                return (interactive ? await LiveFrame.ShowAsync(RunClusterAsync).ConfigureAwait(false) : await RunClusterAsync(null).ConfigureAwait(false), null);
            }
            catch (AssignmentRefusedException refused)
            {
                foreach (var error in refused.Errors)
                {
                    errors.WriteLine(error);
                }
                return (null, ExitCodes.InvalidArguments);
            }
        }

        if (options.Cluster is { } cluster)
        {
            (clusterResult, var notStarted) = await RunAsClusterCoordinatorAsync(cluster).ConfigureAwait(false);
            if (clusterResult is null)
            {
                return notStarted!.Value;
            }
            result = clusterResult.Run;
        }
        else if (interactive)
        {
            result = await LiveFrame.ShowAsync(async frame =>
            {
                var runner = new FleetRunner(plan, targetUrl, telemetry, csms) { Seed = options.Seed, Security = security, Trace = trace, State = state, Phases = phases, CompactAfterRampUp = true, SettledMessages = fold?.Fold, OnProgress = e => OnProgress(telemetry.Snapshot, telemetry.RollWindow, e, frame) };
                abort = runner.Abort;
                return await runner.RunAsync(cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        else
        {
            var runner = new FleetRunner(plan, targetUrl, telemetry, csms) { Seed = options.Seed, Security = security, Trace = trace, State = state, Phases = phases, CompactAfterRampUp = true, SettledMessages = fold?.Fold, OnProgress = e => OnProgress(telemetry.Snapshot, telemetry.RollWindow, e, null) };
            abort = runner.Abort;
            result = await runner.RunAsync(cancellationToken).ConfigureAwait(false);
        }

        var finished = result.Finished;
        if (fold is not null)
        {
            await fold.StopAsync().ConfigureAwait(false);
        }
        var report = RunReportBuilder.Build(
            new RunInfo(runId, plan.Name, finished.StartedAt, finished.EndedAt, plan.TotalCount),
            result.Statistics,
            StormAnalyzer.Analyze(result.Timeline, result.Connections, finished.EndedAt)) with
            {
                AbortReason = finished.AbortReason,
                Phases = RunReportBuilder.Phases(result.Phases),
                Periodic = plan.PeriodicLockstep ? "lockstep" : "spread",
            };
        if (clusterResult is not null)
        {
            report = report with { NodeCount = clusterResult.View.Nodes.Count, Cluster = ClusterReportOf(clusterResult.View) };
            if (clusterResult.NodesWithoutFinalReport.Count > 0)
            {
                output.WriteLine($"No final report from {string.Join(", ", clusterResult.NodesWithoutFinalReport)}: their last periodic statistics are in the report, their connection journal is not"
                    + (csms is not null || csmsControl is not null ? ", nor the transaction messages their loss-check fold held (folded or kept for the check): lossCheck.incomplete names them." : "."));
            }
        }
        LossOutcome? loss = null;
        // The embedded CSMS's ledger, or an external one's through its control API; the same checks either way.
        Func<IReadOnlyList<ChargePointStopped>, FoldedMessages, CancellationToken, Task<LossOutcome>>? checkLoss = csms is not null ? csms.CheckLossAsync
            : csmsControl is not null ? externalLedger!.ReconcileAsync
            : null;
        if (checkLoss is not null)
        {
            // What the charge points held at the stop, with what the fold(s) kept whole, and what they folded during the run.
            loss = clusterResult is not null
                ? await ClusterLossCheck.CheckAsync(clusterResult, finished.Stopped, checkLoss, CancellationToken.None).ConfigureAwait(false)
                : await checkLoss(LossFold.WithUnfolded(finished.Stopped, fold), fold?.Fold.Folded ?? default, CancellationToken.None).ConfigureAwait(false);
            report = report with { LossCheck = loss.Check };
            telemetry.SetLedger(new LedgerCounts(loss.Check.Produced, loss.Check.Delivered, loss.Check.Lost, loss.Check.DuplicatesRecognised));
        }
        if (state is not null)
        {
            state.Flush();
            output.WriteLine(state.Failure is { } failure
                ? $"The charge points' state could not be saved to the end: {failure}"
                : $"Charge-point state saved ({state.Commits} commits); what is left in it (undelivered messages) goes out with --resume");
        }
        report = report with { Thresholds = ThresholdEvaluator.Evaluate(report, options.Thresholds) };
        var exitCode = ThresholdEvaluator.ExitCode(report, options.Thresholds);
        report = ReportMetadata.Describe(report, options.CommandLine, plan, options.Seed, csms is null && plan.Target.Urls.Count > 1 ? plan.Target.Urls : [targetUrl]).WithExitCode(exitCode);

        var width = SummaryWidth();
        output.WriteLine();
        output.WriteLine(SummaryRenderer.Render(report, width, verdict: false));
        if (SecurityLine(report) is { } securityLine)
        {
            output.WriteLine(SummaryRenderer.Wrap(securityLine, width));
        }
        if (AuthenticationHint(report, plan) is { } hint)
        {
            output.WriteLine(SummaryRenderer.Wrap(hint, width));
        }
        if (loss is { Check: { StillQueued: > 0 } or { GivenUp: > 0 } })
        {
            output.WriteLine($"Not lost: {loss.Check.StillQueued} transaction message(s) were still queued on the charge points when the drain ({Units.FormatDuration(plan.Drain)}) ended, {loss.Check.GivenUp} given up by them after TransactionMessageAttempts (thresholds: stillQueued, givenUp).");
        }
        if (loss is { Check.Lost: > 0 })
        {
            output.WriteLine($"LOST: {loss.Check.Lost} transaction message(s) the charge points produced never reached the CSMS, e.g.:");
            foreach (var example in loss.LostExamples)
            {
                output.WriteLine($"  {example}");
            }
        }
        if (finished.DidNotStop.Count > 0)
        {
            output.WriteLine($"{finished.DidNotStop.Count} charge point(s) did not report back when stopping, e.g. {string.Join(", ", finished.DidNotStop.Take(5))}");
        }
        if (options.Report is { } reportFile)
        {
            await File.WriteAllTextAsync(reportFile.FullName, report.ToJson(), CancellationToken.None).ConfigureAwait(false);
            output.WriteLine($"Report written to {reportFile.FullName}");
        }

        // The last row: from the run's end to the final statistics the report was built from, so the rows add up to its totals.
        timeSeries?.Complete(result.Statistics, clusterResult is null ? telemetry.RollWindow() : WindowStatistics.Empty, result.Statistics.CapturedAt);
        await RunOutputWriter.WriteAsync(options.Outputs, report, timeSeries, trace, new HtmlReportContext(targetUrl, options.Seed, options.Node, exitCode), output).ConfigureAwait(false);

        var linger = exporter?.PrometheusUri is not null && !cancellationToken.IsCancellationRequested ? options.Linger : TimeSpan.Zero;
        if (linger > TimeSpan.Zero)
        {
            output.WriteLine(SummaryRenderer.Wrap($"/metrics stays up {Units.FormatDuration(linger)} after the run for a final scrape (--linger 0: none)", width));
        }
        output.WriteLine(SummaryRenderer.VerdictLine(report, width));
        if (linger > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(linger, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C ends the wait; the run's result stands.
            }
        }

        return exitCode;
    }

    /// <summary>
    /// Profile 3 with certificates issued for the run: each worker issues its charge points' certificates with a CA of its
    /// own (no private key crosses nodes). The embedded CSMS is told to trust them; for an external CSMS they are added to
    /// the throwaway CA file it must trust.
    /// </summary>
    private static async Task TrustNodeIssuersAsync(IReadOnlyList<NodeAssigned> nodes, IEmbeddedCsms? csms, string? bundlePath, TextWriter output, CancellationToken cancellationToken)
    {
        var issuers = nodes.Where(n => n.ClientCertificateIssuerPem is not null).ToList();
        if (issuers.Count == 0)
        {
            return;
        }
        if (csms is not null)
        {
            foreach (var node in issuers)
            {
                // Not disposed here: the CSMS keeps the certificate to verify client chains with for the rest of the run.
                var issuer = X509Certificate2.CreateFromPem(node.ClientCertificateIssuerPem);
                await csms.TrustClientIssuerAsync(issuer, cancellationToken).ConfigureAwait(false);
            }
            output.WriteLine($"The embedded CSMS trusts the client certificate CAs of {issuers.Count} worker node(s).");
        }
        else if (bundlePath is not null)
        {
            await File.AppendAllTextAsync(bundlePath, string.Concat(issuers.Select(n => n.ClientCertificateIssuerPem)), cancellationToken).ConfigureAwait(false);
            output.WriteLine($"The {issuers.Count} worker node(s) issue client certificates with CAs of their own, added to {bundlePath}; the CSMS must trust them all.");
        }
    }

    private static string SeedAddress(ClusterSettings cluster) => string.Create(CultureInfo.InvariantCulture, $"{cluster.PublicHostname ?? cluster.Hostname}:{cluster.Port}");

    private static ClusterReport ClusterReportOf(FleetViewSnapshot view) => new(
        [.. view.Nodes.Select(n => new NodeReport(
            n.Node, n.Address, n.Failed, n.Statistics.ConnectedPeak, n.Statistics.BootedPeak,
            n.Statistics.Calls.Where(c => c.Key.Action == "BootNotification").Sum(c => c.Value.Count),
            n.Statistics.MessagesSent.Values.Sum(), n.Statistics.SessionsStarted))],
        [.. view.Failures.Select(f => new NodeFailureReport(f.Node, f.Address, f.UnreachableAt, f.RemovedAt, f.ChargePointsInterrupted, f.SessionsInterrupted))]);
}
