using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Simulator.Fleet.Tests.StrictCsms;

/// <summary>One line the strict CSMS printed: an event (<c>call</c>, <c>answered</c>, <c>connect</c>, <c>invalid</c>…), with its arrival time.</summary>
public sealed record StrictEvent(DateTimeOffset At, JsonElement Json)
{
    public string Kind => Json.GetProperty("event").GetString()!;
    public string? ChargeBoxId => Json.TryGetProperty("chargeBoxId", out var id) ? id.GetString() : null;
    public string? Action => Json.TryGetProperty("action", out var a) ? a.GetString() : null;
    public string? MessageId => Json.TryGetProperty("messageId", out var m) ? m.GetString() : null;
    /// <summary>The CALL's payload (<c>call</c>) or the strict CSMS's answer to it (<c>answered</c>).</summary>
    public JsonElement Payload => Json.GetProperty(Kind == "answered" ? "response" : "payload");
    public int? ConnectorId => Payload.TryGetProperty("connectorId", out var c) ? c.GetInt32() : null;
    public override string ToString() => Json.GetRawText();
}

/// <summary>What a CALL the test made through the strict CSMS came to: the charge point's answer, or an error (CALLERROR, timeout, schema).</summary>
/// <param name="EventsBefore">How many events the strict CSMS had printed before this outcome: what happened before the answer.</param>
public sealed record StrictCallResult(string Action, JsonElement? Response, string? ErrorCode, string? ErrorMessage, int EventsBefore)
{
    public bool IsAnswered => Response is not null;
    public JsonElement Answer => Response ?? throw new InvalidOperationException($"{Action} was not answered: {ErrorCode} {ErrorMessage}");
    /// <summary>The answer's status; null when there is none (not answered, or no status field).</summary>
    public string? Status => Response is { } r && r.TryGetProperty("status", out var s) ? s.GetString() : null;
    public override string ToString() => IsAnswered ? $"{Action} → {Answer.GetRawText()}" : $"{Action} → {ErrorCode}: {ErrorMessage}";
}

/// <summary>
/// The strict third-party CSMS (tests/peers/strict-csms, on the npm package ocpp-rpc in strict mode; OCPP 1.6 and 2.0.1,
/// each connection the version its subprotocol negotiated) as a child process on 127.0.0.1: the test sends it commands on stdin and reads its events from stdout (JSON lines). Disposing ends it.
/// Node.js and <c>npm ci --prefix tests</c> are required: without them the test fails and says what to install.
/// </summary>
public sealed class StrictCsmsProcess : IAsyncDisposable
{
    public const string ScriptPath = "tests/peers/strict-csms/strict-csms.js";
    private const string OcppRpcPackage = "tests/node_modules/ocpp-rpc/package.json";

    private static readonly JsonSerializerOptions CommandJson = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    private readonly Process _process;
    private readonly ConcurrentQueue<StrictEvent> _events = new();
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<(JsonElement Reply, int EventsBefore)>> _pending = new();
    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _stdin = new(1, 1);
    private int _nextId;

    private StrictCsmsProcess(Process process) => _process = process;

    public int Port { get; private set; }

    /// <summary>Where charge points connect: the strict CSMS takes the last path segment as the chargeBoxId.</summary>
    public Uri Url => new($"ws://127.0.0.1:{Port}/");

    public IReadOnlyList<StrictEvent> Events => [.. _events];

    /// <param name="subprotocols">The subprotocols served, comma-separated ("ocpp2.0.1"); null: both, ocpp1.6 and ocpp2.0.1.</param>
    public static async Task<StrictCsmsProcess> StartAsync(string? subprotocols = null)
    {
        var root = RepositoryRoot();
        if (!File.Exists(Path.Combine(root, OcppRpcPackage)))
        {
            throw new InvalidOperationException(
                $"ocpp-rpc is not installed ({OcppRpcPackage} is missing). Run `npm ci --prefix tests` from {root}: the strict CSMS peer runs on it.");
        }
        var node = FindOnPath("node") ?? throw new InvalidOperationException(
            "node (Node.js 17.3 or newer) is not on PATH: the strict CSMS peer is a Node program. Install it (Debian: apt-get install nodejs npm).");
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(root, ScriptPath));
        start.ArgumentList.Add("0");
        if (subprotocols is not null)
        {
            start.ArgumentList.Add(subprotocols);
        }
        var process = new Process { StartInfo = start };
        var peer = new StrictCsmsProcess(process);
        process.OutputDataReceived += (_, e) => peer.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                peer._stderr.Enqueue(e.Data);
            }
        };
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => peer.OnExited();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            peer.Port = await peer._listening.Task.WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException)
        {
            await peer.DisposeAsync();
            throw new InvalidOperationException($"the strict CSMS did not report its port within 15 s; stderr: {peer.StandardError}");
        }
        return peer;
    }

    public string StandardError => string.Join("\n", _stderr);

    // ───────────────────────── commands ─────────────────────────

    /// <summary>Sends a CALL to the charge point and waits for its answer (or the error: CALLERROR, timeout, schema failure).</summary>
    public async Task<StrictCallResult> CallAsync(string chargeBoxId, string action, object payload, TimeSpan? timeout = null)
    {
        var wait = timeout ?? TimeSpan.FromSeconds(15);
        var (reply, eventsBefore) = await SendAsync(new { cmd = "call", chargeBoxId, action, payload, timeoutMs = (int)wait.TotalMilliseconds }, wait + TimeSpan.FromSeconds(5));
        return reply.GetProperty("event").GetString() == "result"
            ? new StrictCallResult(action, reply.GetProperty("response").Clone(), null, null, eventsBefore)
            : new StrictCallResult(action, null, reply.GetProperty("code").GetString(), reply.GetProperty("message").GetString(), eventsBefore);
    }

    /// <summary>The BootNotification answer, for one charge point or (no id) for all: Accepted, Pending or Rejected, with its interval.</summary>
    public Task SetBootAsync(string status, string? chargeBoxId = null, int? interval = null)
        => SendAsync(new { cmd = "setBoot", status, chargeBoxId, interval });

    /// <summary>From now on the charge point must connect with HTTP Basic auth and this password (null: no auth needed).</summary>
    public Task SetPasswordAsync(string chargeBoxId, string? password)
        => SendAsync(new { cmd = "setPassword", chargeBoxId, password });

    public Task SendBinaryFrameAsync(string chargeBoxId, byte[] bytes)
        => SendAsync(new { cmd = "raw", chargeBoxId, base64 = Convert.ToBase64String(bytes) });

    public Task SendTextFrameAsync(string chargeBoxId, string text)
        => SendAsync(new { cmd = "raw", chargeBoxId, text });

    private async Task<(JsonElement Reply, int EventsBefore)> SendAsync(object command, TimeSpan? timeout = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<(JsonElement, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var json = JsonSerializer.SerializeToNode(command, CommandJson)!.AsObject();
        json["id"] = id;
        await _stdin.WaitAsync();
        try
        {
            await _process.StandardInput.WriteLineAsync(json.ToJsonString());
            await _process.StandardInput.FlushAsync();
        }
        finally
        {
            _stdin.Release();
        }
        try
        {
            var answer = await reply.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
            if (answer.Item1.GetProperty("event").GetString() == "commandError")
            {
                throw new InvalidOperationException($"the strict CSMS refused {json["cmd"]}: {answer.Item1.GetProperty("message").GetString()}");
            }
            return answer;
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the strict CSMS did not answer {json.ToJsonString()[..Math.Min(200, json.ToJsonString().Length)]}; stderr: {StandardError}");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    // ───────────────────────── events ─────────────────────────

    /// <summary>CALLs the charge point sent with this action, in order of arrival.</summary>
    public IReadOnlyList<StrictEvent> Calls(string chargeBoxId, string action)
        => [.. _events.Where(e => e.Kind == "call" && e.ChargeBoxId == chargeBoxId && e.Action == action)];

    /// <summary>The strict CSMS's answer to a CALL of the charge point (by its message id).</summary>
    public JsonElement? AnswerTo(StrictEvent call)
        => _events.FirstOrDefault(e => e.Kind == "answered" && e.ChargeBoxId == call.ChargeBoxId && e.MessageId == call.MessageId)?.Payload;

    public IReadOnlyList<StrictEvent> Of(string chargeBoxId, string kind)
        => [.. _events.Where(e => e.Kind == kind && e.ChargeBoxId == chargeBoxId)];

    /// <summary>Schema failures of messages FleetSim sent (CALLs and CALLRESULTs) and frames that were no OCPP-J message at all.</summary>
    public IReadOnlyList<StrictEvent> Violations
        => [.. _events.Where(e => e.Kind == "badMessage" || (e.Kind == "invalid" && e.Json.GetProperty("from").GetString() == "charge point"))];

    /// <summary>The strict CSMS saw no schema-invalid or malformed message from FleetSim.</summary>
    public void AssertNoViolations()
    {
        var violations = Violations;
        Assert.True(violations.Count == 0, $"the strict CSMS saw {violations.Count} invalid message(s) from FleetSim:\n{string.Join("\n", violations)}");
    }

    private void OnLine(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }
        JsonElement json;
        try
        {
            using var document = JsonDocument.Parse(line);
            json = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            _stderr.Enqueue("stdout, not JSON: " + line);
            return;
        }
        var kind = json.GetProperty("event").GetString();
        if (kind == "listening")
        {
            _listening.TrySetResult(json.GetProperty("port").GetInt32());
            return;
        }
        if (kind is "result" or "error" or "ok" or "commandError" && json.TryGetProperty("id", out var id)
            && id.ValueKind == JsonValueKind.Number && _pending.TryGetValue(id.GetInt32(), out var waiting))
        {
            waiting.TrySetResult((json, _events.Count));
            return;
        }
        _events.Enqueue(new StrictEvent(DateTimeOffset.UtcNow, json));
    }

    private void OnExited()
    {
        var error = new InvalidOperationException($"the strict CSMS exited; stderr: {StandardError}");
        _listening.TrySetException(error);
        foreach (var waiting in _pending.Values)
        {
            waiting.TrySetException(error);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();   // the peer closes its server and exits when stdin ends
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                try
                {
                    await _process.WaitForExitAsync(grace.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process.Dispose();
            _stdin.Dispose();
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Simulator.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"No Simulator.sln above {AppContext.BaseDirectory}: cannot find the repository root to locate {ScriptPath}.");
    }

    private static string? FindOnPath(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
