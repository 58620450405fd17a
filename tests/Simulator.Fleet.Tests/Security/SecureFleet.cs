using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Simulator.Csms;
using Simulator.Fleet.ChargePoints;
using Simulator.Fleet.Plan;
using Simulator.Metrics;

namespace Simulator.Fleet.Tests.Security;

/// <summary>Captures every Akka log line of the test actor systems (DEBUG and up).</summary>
public sealed class CapturingLogger : ReceiveActor
{
    public static ConcurrentQueue<string> Lines { get; } = new();

    public CapturingLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e => Lines.Enqueue(e.ToString()));
    }
}

/// <summary>
/// The embedded CSMS at a security profile plus charge-point actors (the production actor, environment and transport) against it.
/// Certificates are made by the test; nothing is read from disk unless a test writes it.
/// </summary>
internal sealed class SecureFleet : IAsyncDisposable
{
    public const string Key = "00112233445566778899aabbccddeeff";
    public const string Cpo = "ACME CPO";

    private static readonly Config AkkaConfig = ConfigurationFactory.ParseString("""
        akka {
          loglevel = DEBUG
          loggers = ["Simulator.Fleet.Tests.Security.CapturingLogger, Simulator.Fleet.Tests"]
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          coordinated-shutdown.run-by-clr-shutdown-hook = off
        }
        """).WithFallback(ChargePointMailbox.Hocon);

    private readonly ActorSystem _system;
    private readonly Dictionary<string, IActorRef> _actors = new(StringComparer.Ordinal);

    private SecureFleet(CsmsServer server, FleetEnvironment environment, ActorSystem system)
    {
        Server = server;
        Environment = environment;
        _system = system;
    }

    public CsmsServer Server { get; }
    public FleetEnvironment Environment { get; }
    public FleetTelemetry Telemetry => Environment.Telemetry;

    public static async Task<SecureFleet> StartAsync(
        int csmsProfile, SecurityPlan fleetSecurity, int count = 1, Func<CertificateAuthority, FleetSecurityMaterials>? materials = null,
        CertificateAuthority? authority = null, Dictionary<string, string>? configuration = null, string? sharedKey = Key, string ocppVersion = "1.6")
    {
        var server = new CsmsServer(new CsmsOptions
        {
            Port = 0,
            ControlPort = null,
            SecurityProfile = csmsProfile,
            SharedAuthorizationKey = sharedKey,
            CpoName = Cpo,
            HeartbeatInterval = 300,
            CertificateAuthority = authority,
        });
        await server.StartAsync();
        var plan = new FleetPlan
        {
            Name = "security",
            Duration = TimeSpan.FromMinutes(5),
            Target = new TargetPlan { Url = server.Url, Security = fleetSecurity },
            Types = [new ChargePointTypePlan
            {
                Name = "secure",
                Count = count,
                IdPattern = "SEC-{000}",
                OcppVersion = ocppVersion,
                Configuration = configuration ?? new Dictionary<string, string>(),
                Reconnect = new ReconnectPlan { Kind = ReconnectKind.Fixed, Interval = TimeSpan.FromMilliseconds(300) },
            }],
            Arrival = ArrivalPlan.AllAtOnce,
        };
        var telemetry = new FleetTelemetry("test");
        var environment = new FleetEnvironment(plan, server.Url, telemetry, new ConnectionJournal(DateTimeOffset.UtcNow), TimeProvider.System)
        {
            Security = materials?.Invoke(server.Authority) ?? FleetSecurityMaterials.None,
        };
        var system = ActorSystem.Create("secure-" + Guid.NewGuid().ToString("N")[..8], AkkaConfig);
        return new SecureFleet(server, environment, system);
    }

    public IReadOnlyList<string> Ids => Environment.Catalog.Members.Select(m => m.ChargeBoxId).ToList();

    public void StartAll()
    {
        foreach (var member in Environment.Catalog.Members)
        {
            var actor = _system.ActorOf(ChargePointActor.Props(Environment, member), member.ChargeBoxId);
            _actors[member.ChargeBoxId] = actor;
            actor.Tell(new StartChargePoint(member.ChargeBoxId));
        }
    }

    public ChargePointState State(string id) => Server.Registry.GetOrAdd(id);

    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}{(describe is null ? "" : ": " + describe())}");
            }
            await Task.Delay(50);
        }
    }

    public Task WaitBootedAsync(string id) => WaitUntilAsync(() => State(id).Snapshot().Booted && Server.ConnectedIds.Contains(id), $"{id} to boot", describe: Describe);

    /// <summary>Connection attempts, security events and the log lines of this fleet's charge points, for a failure message.</summary>
    public string Describe()
    {
        var stats = Telemetry.Snapshot();
        var ids = Ids;
        var lines = CapturingLogger.Lines.Where(l => ids.Any(id => l.Contains(id, StringComparison.Ordinal))).TakeLast(15);
        return $"attempts [{string.Join(", ", stats.ConnectionAttempts.Select(a => $"{a.Key}={a.Value}"))}], events [{string.Join(", ", stats.SecurityEvents.Select(a => $"{a.Key}={a.Value}"))}]\n{string.Join("\n", lines)}";
    }

    public long Attempts(string result) => Telemetry.Snapshot().ConnectionAttempts.GetValueOrDefault(result);

    public long SecurityEvents(string type) => Telemetry.Snapshot().SecurityEvents.GetValueOrDefault(type);

    public bool CsmsGotEvent(string id, string type) => State(id).Snapshot().RecentSecurityEvents.Any(e => e.Type == type);

    public async ValueTask DisposeAsync()
    {
        foreach (var actor in _actors.Values)
        {
            actor.Tell(new StopChargePoint(actor.Path.Name, TimeSpan.Zero));
        }
        await Task.Delay(100);
        await _system.Terminate();
        await Server.DisposeAsync();
        Telemetry.Dispose();
    }
}

/// <summary>An issuer that hands out what the test wants (expired certificates, a foreign CA's).</summary>
internal sealed class TestIssuer(X509Certificate2 ca, Func<string, string, X509Certificate2> issue) : IClientCertificateIssuer
{
    public X509Certificate2 CaCertificate => ca;

    public X509Certificate2 Issue(string chargeBoxId, string organization) => issue(chargeBoxId, organization);
}

/// <summary>A tiny HTTP server on 127.0.0.1: PUT stores the body (log uploads), GET serves a given file (firmware).</summary>
internal sealed class FileServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stop = new();

    public FileServer()
    {
        // A listener whose Start failed (port taken) is disposed by it, so every attempt takes a new one.
        for (var attempt = 0; ; attempt++)
        {
            Port = Random.Shared.Next(20000, 60000);
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                listener.Start();
                _listener = listener;
                break;
            }
            catch (HttpListenerException) when (attempt < 20)
            {
            }
        }
        _ = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}/";
    public ConcurrentDictionary<string, byte[]> Uploads { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, byte[]> Files { get; } = new(StringComparer.Ordinal);

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            var path = context.Request.Url!.AbsolutePath;
            if (context.Request.HttpMethod == "PUT")
            {
                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                Uploads[path] = body.ToArray();
                context.Response.StatusCode = 201;
            }
            else if (Files.TryGetValue(path, out var file))
            {
                context.Response.StatusCode = 200;
                await context.Response.OutputStream.WriteAsync(file);
            }
            else
            {
                context.Response.StatusCode = 404;
            }
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }
}
