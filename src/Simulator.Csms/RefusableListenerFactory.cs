using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Simulator.Csms;

/// <summary>
/// The CSMS's own accept loop under Kestrel (Kestrel's socket transport turns the accepted sockets into connections).
/// Two things Kestrel's listener does not do:
/// <list type="bullet">
/// <item>It survives running out of file descriptors. Kestrel's listener retries a failed accept at once, forever: at the
/// open-file limit that spins a core, the thread pool adds threads, and a thread that cannot get its descriptors aborts
/// the process. Here accepting stops short of the limit, leaving the runtime a headroom of descriptors, and an episode
/// of shortage (shared by every listener of the CSMS) is logged once, backs off (10 ms doubling to 1 s) and resumes
/// once descriptors are free again.</item>
/// <item>The listening sockets can be closed for a while and reopened on the same endpoint, so connects meanwhile fail
/// with a real TCP refusal while the connections already accepted live on (the TCP-refusal fault).</item>
/// </list>
/// </summary>
internal sealed class RefusableListenerFactory : IConnectionListenerFactory, IDisposable
{
    /// <summary>
    /// Kestrel's default accept backlog (512) overflows when thousands of charge points connect at once: the kernel drops
    /// their SYNs and they retry after 1 s, 3 s, … Ask for more (the kernel caps it at net.core.somaxconn).
    /// </summary>
    private const int ListenBacklog = 8192;

    // Linux's values (asm-generic/socket.h); other systems number them differently, hence the Linux check below.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    private readonly bool _reusePort;
    private readonly DescriptorGuard _guard;
    private readonly string _name;
    private readonly SocketConnectionContextFactory _contexts;
    private readonly Lock _lock = new();
    private readonly List<Listener> _listeners = [];

    /// <param name="inlineScheduling">Kestrel's UnsafePreferInlineScheduling: see <see cref="CsmsOptions.InlineIo"/>.</param>
    public RefusableListenerFactory(bool reusePort, DescriptorGuard guard, string name, ILoggerFactory loggerFactory, bool inlineScheduling = false)
    {
        _reusePort = reusePort;
        _guard = guard;
        _name = name;
        _contexts = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions { UnsafePreferInlineScheduling = inlineScheduling }, loggerFactory.CreateLogger("Simulator.Csms.Transport"));
    }

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not IPEndPoint ip)
        {
            throw new NotSupportedException($"the CSMS listens on IP endpoints only, not {endpoint}");
        }
        Socket socket;
        try
        {
            socket = Bind(ip, _reusePort);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new AddressInUseException(ex.Message, ex);
        }
        var listener = new Listener(this, socket, _reusePort);
        lock (_lock)
        {
            _listeners.Add(listener);
        }
        return ValueTask.FromResult<IConnectionListener>(listener);
    }

    /// <summary>Closes every listening socket now and reopens it after the duration.</summary>
    public async Task RefuseAsync(TimeSpan duration)
    {
        Listener[] listeners;
        lock (_lock)
        {
            listeners = [.. _listeners];
        }
        foreach (var listener in listeners)
        {
            await listener.PauseAsync(duration).ConfigureAwait(false);
        }
    }

    public void Dispose() => _contexts.Dispose();

    private static Socket Bind(IPEndPoint endpoint, bool reusePort)
    {
        if (reusePort && !OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException($"reuse-port (SO_REUSEPORT load balancing between processes) needs Linux; this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        }
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            if (reusePort)
            {
                // SO_REUSEPORT before bind: several processes listen on the same address and port and the kernel spreads
                // new connections between them. Every rebind after a TCP refusal sets it too.
                socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            }
            socket.Bind(endpoint);
            socket.Listen(ListenBacklog);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class Listener(RefusableListenerFactory factory, Socket first, bool reusePort) : IConnectionListener
    {
        private readonly Lock _lock = new();
        private readonly EndPoint _endpoint = first.LocalEndPoint!;
        private Socket _socket = first;
        private TaskCompletionSource? _paused;
        private volatile bool _unbound;

        public EndPoint EndPoint => _endpoint;

        public Task PauseAsync(TimeSpan duration)
        {
            var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Socket current;
            lock (_lock)
            {
                if (_paused is not null || _unbound)
                {
                    return Task.CompletedTask;
                }
                _paused = resume;
                current = _socket;
            }
            // Closing the listening socket refuses new connects and ends the pending accept.
            current.Dispose();
            _ = Task.Delay(duration).ContinueWith(_ => resume.TrySetResult(), TaskScheduler.Default);
            return Task.CompletedTask;
        }

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            var guard = factory._guard;
            while (!_unbound)
            {
                await guard.WaitUntilAcceptingAsync(cancellationToken).ConfigureAwait(false);
                Socket listening;
                TaskCompletionSource? paused;
                lock (_lock)
                {
                    listening = _socket;
                    paused = _paused;
                }
                if (paused is not null)
                {
                    await paused.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                    if (_unbound)
                    {
                        return null;
                    }
                    Socket rebound;
                    try
                    {
                        rebound = Bind((IPEndPoint)_endpoint, reusePort);
                    }
                    catch (SocketException ex)
                    {
                        // Another process took the port meanwhile (or descriptors ran out): keep trying, never end the accept loop.
                        guard.OnRebindFailed(factory._name, _endpoint, ex.SocketErrorCode);
                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                        continue;
                    }
                    lock (_lock)
                    {
                        _socket = rebound;
                        _paused = null;
                    }
                    continue;
                }
                try
                {
                    var accepted = await listening.AcceptAsync(cancellationToken).ConfigureAwait(false);
                    if (!guard.OnAccepted(factory._name, accepted))
                    {
                        accepted.Dispose();
                        continue;
                    }
                    accepted.NoDelay = true;
                    return factory._contexts.Create(accepted);
                }
                catch (SocketException ex) when (DescriptorGuard.IsExhaustion(ex.SocketErrorCode))
                {
                    guard.OnExhausted(factory._name, ex.SocketErrorCode);
                }
                catch (SocketException ex) when (ex.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted or SocketError.NotSocket)
                {
                    // The listening socket was closed: by unbinding (the loop ends) or by a TCP refusal (it waits, then rebinds).
                }
                catch (ObjectDisposedException)
                {
                    // As above.
                }
                catch (SocketException ex)
                {
                    // A connection reset while it waited in the backlog, or the like: it concerns that connection only.
                    guard.OnAcceptError(factory._name, ex.SocketErrorCode);
                }
            }
            return null;
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            _unbound = true;
            TaskCompletionSource? paused;
            Socket current;
            lock (_lock)
            {
                paused = _paused;
                current = _socket;
            }
            paused?.TrySetResult();
            current.Dispose();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            _unbound = true;
            lock (_lock)
            {
                _socket.Dispose();
            }
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// The open-file episodes of one CSMS process, shared by its OCPP and control listeners.
/// <para>
/// The runtime needs descriptors of its own at any moment (a thread pool thread, a log write); when accepted connections
/// have taken the last one, the .NET runtime aborts with "Out of memory". So the listeners keep a headroom: Linux hands
/// out the lowest free descriptor, so an accepted socket numbered within <see cref="Headroom"/> of the open-file limit
/// means fewer than that many are left. That connection is closed at once and an episode begins (logged once), as it
/// does when an accept fails with EMFILE/ENFILE. While descriptors are short no listener accepts; every back-off step
/// (10 ms doubling to 1 s) probes the lowest free descriptor and accepting resumes when it lies below the headroom.
/// The episode ends, logged once more, at the first accept that succeeds two seconds without another failure.
/// </para>
/// </summary>
internal sealed class DescriptorGuard
{
    /// <summary>Descriptors left to the runtime (threads, files, log output) when the CSMS stops accepting.</summary>
    public const int Headroom = 32;

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan QuietToEnd = TimeSpan.FromSeconds(2);

    private readonly Lock _lock = new();
    private readonly CsmsLog _log;
    private readonly CsmsStats _stats;
    private readonly TimeProvider _time;
    private readonly long _highestUsable;
    private long? _episodeStart;
    private long _lastFailure;
    private long _failedInEpisode;
    private bool _short;
    private TimeSpan _backoff = FirstBackoff;

    public DescriptorGuard(CsmsLog log, CsmsStats stats, TimeProvider time)
    {
        _log = log;
        _stats = stats;
        _time = time;
        _highestUsable = OpenFileLimit.Soft() is { } limit ? limit - Headroom : long.MaxValue;
    }

    public static bool IsExhaustion(SocketError error) => error is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable;

    /// <summary>Returns at once while descriptors are not short; otherwise waits back-off steps until they are free again.</summary>
    public async ValueTask WaitUntilAcceptingAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                if (!_short)
                {
                    return;
                }
                wait = _backoff;
                _backoff = TimeSpan.FromTicks(Math.Min(_backoff.Ticks * 2, MaxBackoff.Ticks));
            }
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            if (LowestFreeDescriptor() is { } lowest && lowest < _highestUsable)
            {
                lock (_lock)
                {
                    _short = false;
                }
                return;
            }
        }
    }

    /// <summary>False when the accepted socket ate into the headroom: the caller closes it and the episode begins.</summary>
    public bool OnAccepted(string listener, Socket accepted)
    {
        if (accepted.Handle.ToInt64() >= _highestUsable)
        {
            OnShort(listener, $"an accepted connection left fewer than {Headroom} free descriptors below the open-file limit (ulimit -n); it was closed at once");
            return false;
        }
        string? ended = null;
        lock (_lock)
        {
            if (_episodeStart is { } start && _time.GetElapsedTime(_lastFailure) >= QuietToEnd)
            {
                ended = $"accepting connections again: descriptors were short for {(_lastFailure - start) / (double)_time.TimestampFrequency:0.0} s, {_failedInEpisode} accepts failed";
                _episodeStart = null;
                _backoff = FirstBackoff;
            }
        }
        if (ended is not null)
        {
            _log.Report(Microsoft.Extensions.Logging.LogLevel.Warning, "accept", ended);
        }
        return true;
    }

    public void OnExhausted(string listener, SocketError error) =>
        OnShort(listener, $"accepting a connection failed with {error} (the process holds as many descriptors as its open-file limit allows, ulimit -n)");

    public void OnRebindFailed(string listener, EndPoint endpoint, SocketError error) =>
        _log.Report(Microsoft.Extensions.Logging.LogLevel.Error, "rebind", $"{listener}: listening on {endpoint} again after a TCP refusal failed ({error}); retrying every second");

    public void OnAcceptError(string listener, SocketError error) =>
        _log.Report(Microsoft.Extensions.Logging.LogLevel.Debug, "accept", $"{listener}: a connection failed while it waited to be accepted ({error})");

    private void OnShort(string listener, string what)
    {
        _stats.AcceptFailed();
        lock (_lock)
        {
            _lastFailure = _time.GetTimestamp();
            _failedInEpisode = _episodeStart is null ? 1 : _failedInEpisode + 1;
            _short = true;
            if (_episodeStart is not null)
            {
                return;
            }
            _episodeStart = _lastFailure;
        }
        _stats.DescriptorEpisode();
        _log.Report(Microsoft.Extensions.Logging.LogLevel.Error, "accept",
            $"{listener}: descriptors are short (EMFILE ahead): {what}; new connections wait in the backlog; accepting resumes with back-off once descriptors are free");
    }

    /// <summary>The number the kernel gives the next descriptor (the lowest free one), or null when none is free.</summary>
    private static long? LowestFreeDescriptor()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }
        try
        {
            using var probe = File.OpenHandle("/dev/null");
            return probe.DangerousGetHandle().ToInt64();
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }
}

