using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Simulator.Cli.Tests.EndToEnd;

/// <summary>
/// Debian's headless Chromium driven over the DevTools protocol: loads a page, collects console errors and exceptions,
/// evaluates an expression. Bounded: every wait has a deadline, and the browser is killed on dispose.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly DirectoryInfo _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly List<string> _errors = [];
    private readonly CancellationTokenSource _timeout = new(Deadline);
    private int _nextId;

    private HeadlessChromium(Process process, DirectoryInfo profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>Console errors, uncaught exceptions and error log entries seen so far.</summary>
    public IReadOnlyList<string> Errors => _errors;

    public static async Task<HeadlessChromium> StartAsync()
    {
        var executable = FindOnPath("chromium") ?? throw new Xunit.Sdk.XunitException(
            "chromium is not installed: the HTML report is tested in a real browser. Install it with 'apt-get install -y chromium' (tests/run-all.sh does).");
        var profile = Directory.CreateTempSubdirectory("fleetsim-chromium-");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", $"--user-data-dir={profile.FullName}", "about:blank"])
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new HeadlessChromium(process, profile);
        try
        {
            await browser.ConnectAsync();
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
        return browser;
    }

    private async Task ConnectAsync()
    {
        // With port 0 Chromium picks one and writes it to DevToolsActivePort in the profile directory.
        var portFile = Path.Combine(_profile.FullName, "DevToolsActivePort");
        while (!File.Exists(portFile) || (await File.ReadAllLinesAsync(portFile, _timeout.Token)).Length < 2)
        {
            if (_process.HasExited)
            {
                throw new Xunit.Sdk.XunitException($"chromium exited with {_process.ExitCode} before it listened");
            }
            await Task.Delay(100, _timeout.Token);
        }
        var port = (await File.ReadAllLinesAsync(portFile, _timeout.Token))[0].Trim();
        using var http = new HttpClient();
        var targets = await http.GetFromJsonAsync<JsonArray>($"http://127.0.0.1:{port}/json/list", _timeout.Token) ?? [];
        var page = targets.First(t => (string?)t!["type"] == "page")!;
        await _socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), _timeout.Token);
        await SendAsync("Runtime.enable");
        await SendAsync("Log.enable");
        await SendAsync("Page.enable");
    }

    /// <summary>Navigates to <paramref name="url"/> and waits for its load event.</summary>
    public async Task LoadAsync(Uri url)
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url.AbsoluteUri });
        await ReceiveUntilAsync(message => (string?)message["method"] == "Page.loadEventFired");
    }

    /// <summary>The value of a JavaScript expression that returns a string.</summary>
    public async Task<string> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true });
        if (result["exceptionDetails"] is { } exception)
        {
            throw new Xunit.Sdk.XunitException("the expression threw: " + exception.ToJsonString());
        }
        return (string?)result["result"]?["value"] ?? throw new Xunit.Sdk.XunitException("the expression returned no string: " + result.ToJsonString());
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = ++_nextId;
        var command = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(command.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, _timeout.Token);
        var reply = await ReceiveUntilAsync(message => (int?)message["id"] == id);
        if (reply["error"] is { } error)
        {
            throw new Xunit.Sdk.XunitException($"{method}: {error.ToJsonString()}");
        }
        return reply["result"]?.AsObject() ?? [];
    }

    private async Task<JsonObject> ReceiveUntilAsync(Func<JsonObject, bool> wanted)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult received;
            do
            {
                received = await _socket.ReceiveAsync(buffer, _timeout.Token);
                message.Write(buffer, 0, received.Count);
            }
            while (!received.EndOfMessage);
            var json = JsonNode.Parse(message.ToArray())!.AsObject();
            var method = (string?)json["method"];
            var consoleType = (string?)json["params"]?["type"];
            var logLevel = (string?)json["params"]?["entry"]?["level"];
            if ((method == "Runtime.consoleAPICalled" && consoleType is "error" or "assert")
                || method == "Runtime.exceptionThrown"
                || (method == "Log.entryAdded" && logLevel == "error"))
            {
                _errors.Add(json["params"]!.ToJsonString());
            }
            if (wanted(json))
            {
                return json;
            }
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    public async ValueTask DisposeAsync()
    {
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
        _timeout.Dispose();
        try
        {
            _profile.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A child that lingers a moment may still hold a file; the temp directory is left behind then.
        }
    }
}
