using System.CommandLine;
using Simulator.Csms;
using Simulator.Metrics;

namespace Simulator.Cli.Commands;

/// <summary><c>fleetsim csms</c>: the embedded CSMS on its own, for large fleets (own process) or to try FleetSim's CSMS side.</summary>
internal static class CsmsCommand
{
    private static readonly Option<int> PortOption = new("--port") { Description = "OCPP WebSocket port (0 = any free port, printed)", DefaultValueFactory = _ => 0 };
    private static readonly Option<int> ControlPortOption = new("--control-port") { Description = "Control API port on 127.0.0.1 (0 = any free port, printed)", DefaultValueFactory = _ => 0 };
    private static readonly Option<int> SecurityProfileOption = new("--security-profile") { Description = "OCPP security profile 0-3 the CSMS requires", DefaultValueFactory = _ => 0 };
    private static readonly Option<string?> AuthorizationKeyOption = new("--authorization-key") { Description = "Basic-auth key (hex) accepted for every charge point (profiles 1-2)" };
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
    private static readonly Option<FileInfo?> CaCertOption = new("--ca-cert") { Description = "Use this CA certificate (PEM, ECDSA) instead of a new one; needs --ca-key" };
    private static readonly Option<FileInfo?> CaKeyOption = new("--ca-key") { Description = "Private key (PEM) of --ca-cert" };
    private static readonly Option<bool> ExitWithParentOption = new("--exit-on-stdin-eof")
    {
        Description = "Stop when standard input reaches its end: a parent that starts this process with a pipe on stdin ends it by ending itself, even when killed",
    };
    private static readonly Option<DirectoryInfo?> CaDirectoryOption = new("--ca-dir") { Description = "Where to write the CA certificate (profiles 2-3)" };

    public static Command Create()
    {
        var command = new Command("csms", """
            Run the embedded CSMS alone until Ctrl+C. It answers every charge-point action, keeps a transaction ledger,
            signs CSRs as a CA, and takes commands and faults through its control API (see src/Simulator.Csms/CONTROL-API.md).

            Examples:
              fleetsim csms --port 8080
              fleetsim csms --security-profile 3 --ca-dir ./certs
              fleetsim csms --port 8080 --reuse-port & fleetsim csms --port 8080 --reuse-port   # two processes, one port
            """);
        foreach (var option in new Option[] { PortOption, ControlPortOption, SecurityProfileOption, AuthorizationKeyOption, CpoNameOption, HeartbeatOption, CaDirectoryOption, ListenAddressOption, ReusePortOption, CaCertOption, CaKeyOption, ExitWithParentOption })
        {
            command.Options.Add(option);
        }
        command.SetAction((parse, cancellationToken) => ExecuteAsync(parse, cancellationToken));
        return command;
    }

    private static async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var profile = parse.GetValue(SecurityProfileOption);
        if (profile is < 0 or > 3)
        {
            await Console.Error.WriteLineAsync($"--security-profile: {profile} is not 0, 1, 2 or 3").ConfigureAwait(false);
            return ExitCodes.InvalidArguments;
        }
        var key = parse.GetValue(AuthorizationKeyOption);
        if (profile is 1 or 2 && key is null)
        {
            await Console.Error.WriteLineAsync($"--security-profile {profile} needs --authorization-key (16-20 bytes as 32-40 hex digits)").ConfigureAwait(false);
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
            catch (Exception ex) when (ex is IOException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                // The message names the files only; a key never appears.
                await Console.Error.WriteLineAsync($"--ca-cert/--ca-key: '{caCert.FullName}' and '{caKey!.FullName}' are not an ECDSA CA certificate and its key").ConfigureAwait(false);
                return ExitCodes.InvalidArguments;
            }
        }
        using var ownedAuthority = authority;
        var caDirectory = parse.GetValue(CaDirectoryOption)?.FullName ?? (profile >= 2 ? Path.Combine(Path.GetTempPath(), $"fleetsim-csms-{Environment.ProcessId}") : null);
        await using var server = new CsmsServer(new CsmsOptions
        {
            Port = parse.GetValue(PortOption),
            ControlPort = parse.GetValue(ControlPortOption),
            SecurityProfile = profile,
            SharedAuthorizationKey = key,
            CpoName = parse.GetValue(CpoNameOption) ?? "FleetSim CPO",
            HeartbeatInterval = parse.GetValue(HeartbeatOption),
            CaCertificateDirectory = caDirectory,
            ListenAddress = listenAddress,
            ReusePort = reusePort,
            CertificateAuthority = authority,
        });
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
        Console.WriteLine($"CSMS listening on {server.Url}<chargeBoxId> (security profile {profile}{(reusePort ? ", port shared with SO_REUSEPORT" : "")})");
        Console.WriteLine($"Control API on {server.ControlUrl}");
        if (server.CaCertificatePath is { } ca)
        {
            Console.WriteLine($"CA certificate (trust it on the charge points; it signs their CSRs): {ca}");
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
        using var parentGone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (parse.GetValue(ExitWithParentOption))
        {
            _ = WatchParentAsync(parentGone);
        }
        try
        {
            await Task.Delay(Timeout.Infinite, parentGone.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("CSMS stopping");
        }
        return ExitCodes.Ok;
    }

    /// <summary>Reads stdin until its end: the parent holds the pipe's only write end, so the end comes when the parent dies (kill -9 too).</summary>
    private static async Task WatchParentAsync(CancellationTokenSource parentGone)
    {
        var buffer = new byte[256];
        try
        {
            await using var input = Console.OpenStandardInput();
            while (await input.ReadAsync(buffer, parentGone.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
        if (!parentGone.IsCancellationRequested)
        {
            Console.WriteLine("Standard input ended (the parent process is gone)");
            await parentGone.CancelAsync().ConfigureAwait(false);
        }
    }
}
