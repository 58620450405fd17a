using System.CommandLine;
using Microsoft.Extensions.Logging;
using Simulator.Cli.Embedded;
using Simulator.Csms;
using Simulator.Metrics;

namespace Simulator.Cli.Commands;

/// <summary><c>fleetsim csms</c>: the embedded CSMS on its own, for large fleets (own process) or to try FleetSim's CSMS side.</summary>
internal static class CsmsCommand
{
    private static readonly Option<int> PortOption = new("--port") { Description = "OCPP WebSocket port (0 = any free port, printed)", DefaultValueFactory = _ => 0 };
    private static readonly Option<int> ControlPortOption = new("--control-port") { Description = "Control API port on 127.0.0.1 (0 = any free port, printed)", DefaultValueFactory = _ => 0 };
    private static readonly Option<int> SecurityProfileOption = new("--security-profile") { Description = "OCPP security profile 0-3 the CSMS requires", DefaultValueFactory = _ => 0 };
    private static readonly Option<string?> AuthorizationKeyOption = new("--authorization-key")
    {
        Description = $"Basic-auth key accepted for every charge point (profiles 1-2): 32-40 hex digits; or set {AuthorizationKeyVariable}, which keeps it off the command line (never echoed)",
    };
    private static readonly Option<string> CpoNameOption = new("--cpo-name") { Description = "O= the client certificates must carry (profile 3)", DefaultValueFactory = _ => "FleetSim CPO" };
    private static readonly Option<int> HeartbeatOption = new("--heartbeat-interval") { Description = "Heartbeat interval (s) given in BootNotification", DefaultValueFactory = _ => 300 };
    private static readonly Option<string> ListenAddressOption = new("--listen-address") { Description = "Address the OCPP port binds to (0.0.0.0 for all)", DefaultValueFactory = _ => "127.0.0.1" };
    private static readonly Option<bool> ReusePortOption = new("--reuse-port")
    {
        Description = "Linux only: set SO_REUSEPORT on the OCPP port so several `fleetsim csms` processes listen on the same address and port "
            + "and the kernel spreads new connections between them; for more connections than one process's open-file limit allows. "
            + "Start every process with it. Each keeps its own ledger, stats and control API (no loss check spans them), "
            + "and a TCP-refusal fault closes only that process's listener: the others take the new connections",
    };
    private static readonly Option<FileInfo?> CaCertOption = new("--ca-cert") { Description = "Use this CA certificate (PEM, ECDSA or RSA) instead of a new one; needs --ca-key" };
    private static readonly Option<FileInfo?> CaKeyOption = new("--ca-key") { Description = "Private key (PEM) of --ca-cert" };
    private static readonly Option<string> PathOption = new("--path")
    {
        Description = "URL path charge points connect under; the chargeBoxId is the one path segment after it (1-48 characters: letters, digits, -._~*=:+|@). "
            + "Other paths are refused with 404, other ids with 400",
        DefaultValueFactory = _ => "/ocpp/",
    };
    private static readonly Option<LogLevel> LogLevelOption = new("--log-level")
    {
        Description = "Least level the CSMS logs to stderr (Trace, Debug, Information, Warning, Error, Critical, None): accept failures, refused handshakes, "
            + "protocol violations, handler failures; rate-limited per kind (the first 5, then a count every 10 s)",
        DefaultValueFactory = _ => LogLevel.Information,
    };
    private static readonly Option<double> PingIntervalOption = new("--ping-interval")
    {
        Description = "Seconds between WebSocket pings to each charge point (OCPP's WebSocketPingInterval); one not answered with a pong within "
            + "as long again closes the connection (dead or half-open peers). 0 = no pings",
        DefaultValueFactory = _ => 0,
    };
    private static readonly Option<PreBootCallPolicy> CallsBeforeBootOption = new("--calls-before-boot")
    {
        Description = "What to do with a CALL from a charge point whose BootNotification this CSMS has not Accepted (triggered messages excepted): "
            + "Refuse (CALLERROR SecurityError, not recorded) or Accept; counted as a violation either way. With --reuse-port, charge points "
            + "that reconnect to another process without booting again need Accept (or bootOnReconnect in their profile)",
        DefaultValueFactory = _ => PreBootCallPolicy.Refuse,
    };
    private static readonly Option<string> SubprotocolsOption = new("--subprotocols")
    {
        Description = "The OCPP versions served on the one port, as WebSocket subprotocols (comma-separated: ocpp2.0.1, ocpp1.6). "
            + "A charge point offering several gets the first of its own list that is served",
        DefaultValueFactory = _ => "ocpp2.0.1,ocpp1.6",
    };
    private static readonly Option<double> HoldOption = new("--hold-ms")
    {
        Description = "Hold every answer to a charge-point CALL this many milliseconds after the CALL arrived (0-60000, fractions allowed; 0 = answer at once): "
            + "a CSMS of known latency for load tests. One thread sleeps until each answer's time (on Linux to within tens of microseconds)",
        DefaultValueFactory = _ => 0,
    };
    private static readonly Option<string?> HoldActionsOption = new("--hold-actions")
    {
        Description = "With --hold-ms: hold only the answers to these actions (comma-separated, e.g. MeterValues,TransactionEvent); default: every action",
    };
    private static readonly Option<FileInfo?> StampsOption = new("--stamps")
    {
        Description = "Write one CSV line per charge-point CALL received and per answer sent to this file (created or emptied): "
            + "in|out,<chargeBoxId>,<unique id>,<CLOCK_MONOTONIC ns>, for tests/benchmarks/lib/attribution.py",
    };
    private static readonly Option<bool> InlineIoOption = new("--inline-io")
    {
        Description = "Run the CSMS's code on the OCPP port's socket threads instead of the thread pool (Kestrel's UnsafePreferInlineScheduling): "
            + "frames are processed as they are read and answers written by the thread that made them, so --hold-ms and --stamps times are the socket's "
            + "under load; the handlers' work then holds up other connections' reads on that thread",
    };
    private static readonly Option<DirectoryInfo?> CaDirectoryOption = new("--ca-dir") { Description = "Where to write the CA certificate (profiles 2-3)" };
    private static readonly Option<string?> ControlTokenOption = new("--control-token")
    {
        Description = $"Bearer token the control API requires (16-512 of A-Z a-z 0-9 - . _ ~ + /); or set {ControlTokens.EnvironmentVariable}. "
            + "Without either, a random one is printed at start and written to an owner-only file",
    };

    /// <summary>A parent that owns this CSMS (fleetsim run) holds its standard input: when the parent ends, so does the CSMS, cleanly.</summary>
    private static readonly Option<bool> StopWhenStdinClosesOption = new("--stop-when-stdin-closes") { Hidden = true };

    /// <summary>The environment variable that gives the AuthorizationKey (a child's environment is its owner's only; its command line is everyone's).</summary>
    internal const string AuthorizationKeyVariable = "FLEETSIM_AUTHORIZATION_KEY";

    public static Command Create()
    {
        var command = new Command("csms", """
            Run the embedded CSMS alone until Ctrl+C. It answers every charge-point action, keeps a transaction ledger,
            signs CSRs as a CA, and takes commands and faults through its control API (see src/Simulator.Csms/CONTROL-API.md).

            Examples:
              fleetsim csms --port 8080
              fleetsim csms --security-profile 3 --ca-dir ./certs
              fleetsim csms --port 8080 --reuse-port & fleetsim csms --port 8080 --reuse-port   # two processes, one port
              fleetsim csms --port 8080 --hold-ms 50 --stamps csms-stamps.csv   # every answer 50 ms after its CALL, stamped
            """);
        foreach (var option in new Option[] { PortOption, ControlPortOption, SecurityProfileOption, AuthorizationKeyOption, CpoNameOption, HeartbeatOption, CaDirectoryOption, ListenAddressOption, ReusePortOption, CaCertOption, CaKeyOption, PathOption, LogLevelOption, PingIntervalOption, CallsBeforeBootOption, SubprotocolsOption, HoldOption, HoldActionsOption, StampsOption, InlineIoOption })
        {
            command.Options.Add(option);
        }
        command.Options.Add(ControlTokenOption);
        command.Options.Add(StopWhenStdinClosesOption);
        command.SetAction((parse, cancellationToken) => ExecuteAsync(parse, cancellationToken));
        return command;
    }

    /// <summary>The CSMS's log: one line per event on stderr (stdout carries the URLs a parent process reads).</summary>
    internal static ILoggerFactory CreateLoggerFactory(LogLevel level) => LoggerFactory.Create(logging => logging
        .SetMinimumLevel(level)
        .AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
            console.UseUtcTimestamp = true;
        })
        .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));

    /// <summary>The path as the CSMS will use it; ArgumentException (with the reason) when the CSMS would refuse it.</summary>
    private static string ChargePointPathCheck(string path) => CsmsServer.NormalizeChargePointPath(path);

    private static async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var profile = parse.GetValue(SecurityProfileOption);
        if (profile is < 0 or > 3)
        {
            await Console.Error.WriteLineAsync($"--security-profile: {profile} is not 0, 1, 2 or 3").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
        var key = parse.GetValue(AuthorizationKeyOption) ?? NonEmpty(Environment.GetEnvironmentVariable(AuthorizationKeyVariable));
        if (profile is 1 or 2 && key is null)
        {
            await Console.Error.WriteLineAsync($"--security-profile {profile} needs --authorization-key or {AuthorizationKeyVariable} (16-20 bytes as 32-40 hex digits)").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
        if (key is not null && Profiles.PlanRules.CheckAuthorizationKey(key) is { } keyProblem)
        {
            var source = parse.GetValue(AuthorizationKeyOption) is null ? AuthorizationKeyVariable : "--authorization-key";
            await Console.Error.WriteLineAsync($"{source}: {keyProblem}").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
        var givenToken = parse.GetValue(ControlTokenOption) ?? NonEmpty(Environment.GetEnvironmentVariable(ControlTokens.EnvironmentVariable));
        if (givenToken is not null && ControlTokens.Check(givenToken) is { } tokenProblem)
        {
            var source = parse.GetValue(ControlTokenOption) is null ? ControlTokens.EnvironmentVariable : "--control-token";
            await Console.Error.WriteLineAsync($"{source}: {tokenProblem}").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
        if (!System.Net.IPAddress.TryParse(parse.GetValue(ListenAddressOption), out var listenAddress))
        {
            await Console.Error.WriteLineAsync($"--listen-address: '{parse.GetValue(ListenAddressOption)}' is not an IP address").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
        var reusePort = parse.GetValue(ReusePortOption);
        if (reusePort && !OperatingSystem.IsLinux())
        {
            await Console.Error.WriteLineAsync($"--reuse-port: SO_REUSEPORT load balancing between processes needs Linux; this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
        var subprotocols = parse.GetValue(SubprotocolsOption)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var known = CsmsServer.KnownVersions.Select(v => v.Subprotocol).ToList();
        var unknownProtocol = subprotocols.FirstOrDefault(p => !known.Contains(p, StringComparer.OrdinalIgnoreCase));
        if (subprotocols.Length == 0 || unknownProtocol is not null)
        {
            await Console.Error.WriteLineAsync($"--subprotocols: give one or more of {string.Join(", ", known)}, comma-separated{(unknownProtocol is null ? "" : $"; '{unknownProtocol}' is none of them")}").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
        var path = parse.GetValue(PathOption) ?? "/ocpp/";
        try
        {
            path = ChargePointPathCheck(path);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"--path: {ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal)}").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
        var pingInterval = parse.GetValue(PingIntervalOption);
        if (pingInterval < 0 || double.IsNaN(pingInterval))
        {
            await Console.Error.WriteLineAsync($"--ping-interval: {pingInterval} is not a number of seconds >= 0").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
        var holdMs = parse.GetValue(HoldOption);
        if (holdMs is < 0 or > 60_000 || double.IsNaN(holdMs))
        {
            await Console.Error.WriteLineAsync($"--hold-ms: {holdMs} is not a number of milliseconds from 0 to 60000").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
        var holdActions = (parse.GetValue(HoldActionsOption) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var servedVersions = CsmsServer.KnownVersions.Where(v => subprotocols.Contains(v.Subprotocol, StringComparer.OrdinalIgnoreCase)).ToList();
        if (holdActions.Length > 0 && holdMs == 0)
        {
            await Console.Error.WriteLineAsync("--hold-actions: needs --hold-ms (how long to hold their answers)").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
        if (CsmsServer.UnknownAction(holdActions, servedVersions) is { } unknownAction)
        {
            await Console.Error.WriteLineAsync($"--hold-actions: '{unknownAction}' is not an action a charge point sends in {string.Join(" or ", servedVersions)} (names are case-sensitive, e.g. MeterValues)").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
        var stamps = parse.GetValue(StampsOption);
        var caCert = parse.GetValue(CaCertOption);
        var caKey = parse.GetValue(CaKeyOption);
        if ((caCert is null) != (caKey is null))
        {
            await Console.Error.WriteLineAsync("--ca-cert and --ca-key go together").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
        CertificateAuthority? authority = null;
        if (caCert is not null)
        {
            try
            {
                authority = CertificateAuthority.LoadFiles(caCert.FullName, caKey!.FullName);
            }
            catch (CaRejectedException ex)
            {
                // The message names the file and the reason; a key never appears.
                await Console.Error.WriteLineAsync($"--ca-cert/--ca-key: {ex.Message}").ConfigureAwait(false);
                return ExitCodes.InvalidArguments;
            }
        }
        using var ownedAuthority = authority;
        // Secrets at rest (the token) and the generated CA's certificate go into this process's owner-only directory, which
        // goes when the CSMS stops; one left by a killed CSMS is removed here, at the next start.
        PrivateTempDirectory.RemoveStale();
        using var privateDirectory = givenToken is null || (profile >= 2 && parse.GetValue(CaDirectoryOption) is null) ? PrivateTempDirectory.Create("csms") : null;
        var caDirectory = parse.GetValue(CaDirectoryOption)?.FullName ?? (profile >= 2 ? privateDirectory!.Path : null);
        using var loggerFactory = CreateLoggerFactory(parse.GetValue(LogLevelOption));
        CsmsServer created;
        try
        {
            created = new CsmsServer(new CsmsOptions
            {
                ChargePointPath = path,
                LoggerFactory = loggerFactory,
                WebSocketPingInterval = TimeSpan.FromSeconds(pingInterval),
                CallsBeforeBoot = parse.GetValue(CallsBeforeBootOption),
                Subprotocols = subprotocols,
                Port = parse.GetValue(PortOption),
                ControlPort = parse.GetValue(ControlPortOption),
                ControlToken = givenToken,
                SecurityProfile = profile,
                SharedAuthorizationKey = key,
                CpoName = parse.GetValue(CpoNameOption) ?? "FleetSim CPO",
                HeartbeatInterval = parse.GetValue(HeartbeatOption),
                CaCertificateDirectory = caDirectory,
                ListenAddress = listenAddress,
                ReusePort = reusePort,
                CertificateAuthority = authority,
                AnswerHold = TimeSpan.FromMilliseconds(holdMs),
                AnswerHoldActions = holdActions,
                StampsPath = stamps?.FullName,
                InlineIo = parse.GetValue(InlineIoOption),
            });
        }
        catch (Exception ex) when (stamps is not null && ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"--stamps: cannot write {stamps.FullName}: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
        await using var server = created;
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            await Console.Error.WriteLineAsync($"--port {parse.GetValue(PortOption)}: address {listenAddress} port {parse.GetValue(PortOption)} is already in use" +
                (reusePort ? " by a process that did not set --reuse-port" : "; to share it between CSMS processes, start each with --reuse-port")).ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
        Console.WriteLine($"CSMS listening on {server.Url}<chargeBoxId> (security profile {profile}, {string.Join(" and ", server.Versions.Select(v => v.Subprotocol))}{(reusePort ? ", port shared with SO_REUSEPORT" : "")})");
        Console.WriteLine($"Control API on {server.ControlUrl}");
        if (holdMs > 0)
        {
            Console.WriteLine($"Answers held {holdMs:0.###} ms after their CALL arrived ({(holdActions.Length == 0 ? "every action" : string.Join(", ", holdActions))}; hold thread: {server.HoldPriority})");
        }
        if (stamps is not null)
        {
            Console.WriteLine($"Stamps of every CALL received and answer sent: {stamps.FullName}");
        }
        if (givenToken is null)
        {
            // Printed once, here; every control request needs it as "Authorization: Bearer <token>".
            Console.WriteLine($"Control API token: {server.ControlToken}");
            Console.WriteLine($"Control API token file: {privateDirectory!.WriteSecret("control-token", server.ControlToken!)} (readable by you only; removed when this CSMS stops)");
        }
        else
        {
            Console.WriteLine($"Control API token: the one given by {(parse.GetValue(ControlTokenOption) is null ? ControlTokens.EnvironmentVariable : "--control-token")}");
        }
        if (server.CaCertificatePath is { } ca)
        {
            Console.WriteLine($"CA certificate (trust it on the charge points; it signs their CSRs): {ca}"
                + (parse.GetValue(CaDirectoryOption) is null ? " (removed when this CSMS stops; --ca-dir keeps it)" : ""));
        }
        if (profile >= 2)
        {
            Console.WriteLine($"Server certificate: issued by that CA at start for localhost/127.0.0.1/::1, kept in memory (the CA's key too{(caCert is null ? "" : $", loaded from {caKey!.FullName}")})");
        }
        if (profile == 3)
        {
            Console.WriteLine($"Client certificates must chain to that CA with CN = <chargeBoxId> and O = {parse.GetValue(CpoNameOption) ?? "FleetSim CPO"}; " +
                "SignCertificate CSRs are signed by it. To issue them with files, start with --ca-cert/--ca-key of a CA you hold.");
        }
        Console.Out.Flush();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (parse.GetValue(StopWhenStdinClosesOption))
        {
            _ = StopWhenStdinClosesAsync(stop);
        }
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("CSMS stopping");
        }
        return ExitCodes.Ok;
    }

    private static string? NonEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

    private static async Task StopWhenStdinClosesAsync(CancellationTokenSource stop)
    {
        var input = Console.OpenStandardInput();
        var buffer = new byte[256];
        try
        {
            while (await input.ReadAsync(buffer, stop.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (IOException)
        {
            // A broken pipe is a closed one.
        }
        try
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            // The CSMS stopped for another reason first.
        }
    }
}
