using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Simulator.Csms;

/// <summary>
/// Kestrel's socket transport with one extra: the listening sockets can be closed for a while and reopened on the same
/// endpoint, so connects meanwhile fail with a real TCP refusal while the connections already accepted live on and all
/// CSMS state stays where it is. Kestrel just sees an accept that takes a long time.
/// </summary>
internal sealed class RefusableListenerFactory(bool reusePort) : IConnectionListenerFactory
{
    /// <summary>
    /// Kestrel's default accept backlog (512) overflows when thousands of charge points connect at once: the kernel drops
    /// their SYNs and they retry after 1 s, 3 s, … Ask for more (the kernel caps it at net.core.somaxconn).
    /// </summary>
    private const int ListenBacklog = 8192;

    // Linux's values (asm-generic/socket.h); other systems number them differently, hence the Linux check below.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    private readonly SocketTransportFactory _inner = new(Options.Create(new SocketTransportOptions
    {
        Backlog = ListenBacklog,
        CreateBoundListenSocket = reusePort ? CreateReusePortListenSocket : SocketTransportOptions.CreateDefaultBoundListenSocket,
    }), NullLoggerFactory.Instance);
    private readonly Lock _lock = new();
    private readonly List<RefusableListener> _listeners = [];

    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var listener = new RefusableListener(_inner, await _inner.BindAsync(endpoint, cancellationToken).ConfigureAwait(false));
        lock (_lock)
        {
            _listeners.Add(listener);
        }
        return listener;
    }

    /// <summary>Closes every listening socket now and reopens it after the duration.</summary>
    public async Task RefuseAsync(TimeSpan duration)
    {
        RefusableListener[] listeners;
        lock (_lock)
        {
            listeners = [.. _listeners];
        }
        foreach (var listener in listeners)
        {
            await listener.PauseAsync(duration).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A listening socket with SO_REUSEPORT set before bind, so several processes can listen on the same address and port
    /// and the kernel spreads new connections between them. Every rebind after a TCP refusal goes through here too.
    /// </summary>
    private static Socket CreateReusePortListenSocket(EndPoint endpoint)
    {
        if (endpoint is not IPEndPoint ip)
        {
            throw new NotSupportedException($"reuse-port needs an IP endpoint to listen on, not {endpoint}");
        }
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException($"reuse-port (SO_REUSEPORT load balancing between processes) needs Linux; this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        }
        var socket = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (ip.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }
            socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            socket.Bind(ip);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private sealed class RefusableListener(SocketTransportFactory factory, IConnectionListener first) : IConnectionListener
    {
        private readonly List<IConnectionListener> _retired = [];
        private readonly EndPoint _endpoint = first.EndPoint;
        private IConnectionListener _current = first;
        private TaskCompletionSource? _paused;
        private volatile bool _unbound;

        public EndPoint EndPoint => _endpoint;

        public async Task PauseAsync(TimeSpan duration)
        {
            var resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            IConnectionListener current;
            lock (_retired)
            {
                if (_paused is not null || _unbound)
                {
                    return;
                }
                _paused = resume;
                current = _current;
            }
            // Unbinding closes the listening socket (new connects are refused) and ends the pending accept with null.
            await current.UnbindAsync().ConfigureAwait(false);
            _ = Task.Delay(duration).ContinueWith(_ => resume.TrySetResult(), TaskScheduler.Default);
        }

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (true)
            {
                IConnectionListener current;
                lock (_retired)
                {
                    current = _current;
                }
                var connection = await current.AcceptAsync(cancellationToken).ConfigureAwait(false);
                if (connection is not null)
                {
                    return connection;
                }
                TaskCompletionSource? paused;
                lock (_retired)
                {
                    paused = _paused;
                }
                if (_unbound || paused is null)
                {
                    return null;
                }
                await paused.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (_unbound)
                {
                    return null;
                }
                // The old listener keeps its memory pool alive for the connections it accepted; it is disposed at the end.
                var rebound = await factory.BindAsync(_endpoint, cancellationToken).ConfigureAwait(false);
                lock (_retired)
                {
                    _retired.Add(_current);
                    _current = rebound;
                    _paused = null;
                }
            }
        }

        public async ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            _unbound = true;
            TaskCompletionSource? paused;
            IConnectionListener current;
            lock (_retired)
            {
                paused = _paused;
                current = _current;
            }
            paused?.TrySetResult();
            await current.UnbindAsync(cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            IConnectionListener[] all;
            lock (_retired)
            {
                all = [.. _retired, _current];
            }
            foreach (var listener in all)
            {
                await listener.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
