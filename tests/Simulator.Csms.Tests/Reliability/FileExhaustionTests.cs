using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using Simulator.Ocpp.V16.Core;
using Simulator.Ocpp.V16.Types;
using Xunit.Abstractions;

namespace Simulator.Csms.Tests.Reliability;

/// <summary>
/// `fleetsim csms` under `ulimit -n 256`: connections are opened until it runs out of descriptors, released, and both
/// ports must take connections again — twice in a row (the bug: the second time the process went deaf for good).
/// </summary>
public sealed class FileExhaustionTests(ITestOutputHelper output)
{
    private const int Limit = 256;
    private const int Offered = 320;

    [Fact]
    public async Task Both_ports_accept_again_after_the_process_ran_out_of_descriptors_twice()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // ulimit and /proc
        }
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var token = ControlTokens.Generate();
        start.Environment[ControlTokens.EnvironmentVariable] = token;
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"ulimit -n {Limit} && exec dotnet \"{FleetSimDll}\" csms --port 0 --control-port 0 --log-level Information");
        using var process = Process.Start(start)!;
        var errors = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                errors.Enqueue(e.Data);
            }
        };
        process.BeginErrorReadLine();
        try
        {
            var (ocpp, control) = await ReadUrlsAsync(process);
            using var http = new HttpClient { BaseAddress = control, Timeout = TimeSpan.FromSeconds(5) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            long failedBefore = 0;
            for (var round = 1; round <= 2; round++)
            {
                var held = new List<TcpClient>();
                try
                {
                    for (var i = 0; i < Offered; i++)
                    {
                        var client = new TcpClient();
                        held.Add(client);
                        await client.ConnectAsync("127.0.0.1", i % 2 == 0 ? ocpp.Port : control.Port);
                    }
                    // The process holds all it may (less the 32 descriptors of headroom it leaves the runtime, and some slack).
                    Assert.True(await Support.EventuallyAsync(() => Descriptors(process.Id) >= Limit - 48, TimeSpan.FromSeconds(20)),
                        $"round {round}: the CSMS holds only {Descriptors(process.Id)} descriptors");
                    await Task.Delay(500);
                    output.WriteLine($"round {round}: {Offered} connections offered, CSMS holds {Descriptors(process.Id)} of {Limit} descriptors");
                }
                finally
                {
                    foreach (var client in held)
                    {
                        client.Dispose();
                    }
                }
                var watch = Stopwatch.StartNew();
                var stats = await RetryAsync(async () => JsonDocument.Parse(await http.GetStringAsync(new Uri("stats", UriKind.Relative))).RootElement.Clone(), TimeSpan.FromSeconds(30));
                await using var cp = await RetryAsync(() => TestChargePoint.ConnectAsync(ocpp, $"CP-ROUND-{round}"), TimeSpan.FromSeconds(30));
                Assert.Equal(RegistrationStatus.Accepted, (await cp.AskAsync(new BootNotificationRequest { ChargePointVendor = "A", ChargePointModel = "B" })).Status);
                await cp.AskAsync(new HeartbeatRequest());
                var failed = stats.GetProperty("acceptFailures").GetProperty("failedAccepts").GetInt64();
                output.WriteLine($"round {round}: both ports answer {watch.ElapsedMilliseconds} ms after the release; accepts failed with EMFILE so far: {failed}, episodes: {stats.GetProperty("acceptFailures").GetProperty("episodes").GetInt64()}");
                Assert.True(failed > failedBefore, $"round {round}: no accept failed, so the limit was never reached");
                failedBefore = failed;
            }
            Assert.False(process.HasExited, "the CSMS process died");
            var log = errors.ToArray();
            foreach (var line in log.Take(20))
            {
                output.WriteLine(line);
            }
            Assert.Contains(log, l => l.Contains("EMFILE", StringComparison.Ordinal) && l.Contains("back-off", StringComparison.Ordinal));
            // Once per episode, not once per failed accept.
            Assert.True(log.Count(l => l.Contains("EMFILE", StringComparison.Ordinal)) <= 4, string.Join("\n", log));
        }
        catch
        {
            // What the CSMS said about it, so that a failure here shows its own cause.
            output.WriteLine(process.HasExited ? $"the CSMS exited with {process.ExitCode}" : $"the CSMS runs, holding {Descriptors(process.Id)} descriptors");
            foreach (var line in errors.TakeLast(40))
            {
                output.WriteLine(line);
            }
            throw;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static int Descriptors(int pid)
    {
        try
        {
            return Directory.GetFiles($"/proc/{pid}/fd").Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static async Task<T> RetryAsync<T>(Func<Task<T>> attempt, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (Exception ex) when (DateTime.UtcNow < deadline && ex is HttpRequestException or TaskCanceledException or System.Net.WebSockets.WebSocketException or IOException)
            {
                await Task.Delay(200);
            }
        }
    }

    private static async Task<(Uri Ocpp, Uri Control)> ReadUrlsAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        Uri? ocpp = null, control = null;
        while ((ocpp is null || control is null) && await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("CSMS listening on ", StringComparison.Ordinal))
            {
                ocpp = new Uri(line["CSMS listening on ".Length..].Split("<chargeBoxId>")[0]);
            }
            else if (line.StartsWith("Control API on ", StringComparison.Ordinal))
            {
                control = new Uri(line["Control API on ".Length..].Trim());
            }
        }
        return (ocpp ?? throw new InvalidOperationException("the CSMS printed no OCPP URL"), control ?? throw new InvalidOperationException("the CSMS printed no control URL"));
    }

    /// <summary>The fleetsim.dll built beside this test assembly's configuration (the project reference builds it first).</summary>
    private static string FleetSimDll
    {
        get
        {
            var here = new DirectoryInfo(AppContext.BaseDirectory); // tests/Simulator.Csms.Tests/bin/<Configuration>/<tfm>/
            var root = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
            var dll = Path.Combine(root, "src", "Simulator.Cli", "bin", here.Parent!.Name, here.Name, "fleetsim.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("build src/Simulator.Cli first", dll);
        }
    }
}
