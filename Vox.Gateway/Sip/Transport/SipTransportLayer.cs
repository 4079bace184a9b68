using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Vox.Gateway.Sip.Messages;

namespace Vox.Gateway.Sip.Transport;

/// <summary>
/// The SIP transport layer (RFC 3261 section 18) over one UDP socket and one TCP listener on the same port: reads
/// datagrams and stream-framed messages, answers or drops bad ones through <see cref="SipIntake"/>, hands good ones to
/// <see cref="Received"/>, and sends on UDP or on the TCP connection to the peer (opening one when needed).
/// </summary>
public sealed partial class SipTransportLayer : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<IPEndPoint, TcpConnection> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private Socket? _udp;
    private TcpListener? _tcp;
    private readonly List<Task> _loops = [];

    /// <summary>Creates the layer; nothing is bound until <see cref="Start"/>.</summary>
    public SipTransportLayer(ILogger<SipTransportLayer> logger) => _logger = logger;

    /// <summary>Called for every valid message received (on the receive loop; keep it short or hand off).</summary>
    public Func<SipMessage, SipRemote, ValueTask>? Received { get; set; }

    /// <summary>The bound UDP endpoint.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_udp?.LocalEndPoint ?? throw new InvalidOperationException("SIP transport not started"));

    /// <summary>Messages dropped or answered by the intake since start.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    private long _rejected;
    private int _disposed;

    /// <summary>Binds UDP and TCP on <paramref name="address"/>:<paramref name="port"/> (0: a free port shared by both) and starts reading.</summary>
    public void Start(IPAddress address, int port)
    {
        for (var attempt = 0; ; attempt++)
        {
            var udp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(address, port));
                var bound = ((IPEndPoint)udp.LocalEndPoint!).Port;
                var tcp = new TcpListener(address, bound);
                tcp.Start();
                _udp = udp;
                _tcp = tcp;
                break;
            }
            catch (SocketException) when (port == 0 && attempt < 20)
            {
                // The TCP side of a random UDP port was taken: try another.
                udp.Dispose();
            }
            catch
            {
                udp.Dispose();
                throw;
            }
        }

        _udp.ReceiveBufferSize = 4 * 1024 * 1024;
        _loops.Add(Task.Run(() => ReceiveUdpAsync(_stopping.Token)));
        _loops.Add(Task.Run(() => AcceptTcpAsync(_stopping.Token)));
    }

    /// <summary>Sends <paramref name="message"/> to <paramref name="remote"/>.</summary>
    public async ValueTask SendAsync(SipMessage message, SipRemote remote, CancellationToken cancellationToken)
    {
        var bytes = message.ToBytes();
        try
        {
            if (remote.IsUnreliable)
            {
                await _udp!.SendToAsync(bytes, SocketFlags.None, remote.EndPoint, cancellationToken).ConfigureAwait(false);
                return;
            }

            var connection = _connections.TryGetValue(remote.EndPoint, out var existing) && existing.IsOpen
                ? existing
                : await ConnectAsync(remote.EndPoint, cancellationToken).ConfigureAwait(false);
            await connection.SendAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
        {
            LogSendFailed(_logger, remote.ToString(), ex.Message);
            throw new SipTransportException($"could not send to {remote}: {ex.Message}", ex);
        }
    }

    private async Task ReceiveUdpAsync(CancellationToken token)
    {
        var buffer = new byte[SipParser.MaxMessageBytes];
        EndPoint any = new IPEndPoint(_udp!.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!token.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, any, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // ICMP port unreachable from an earlier send, or an oversize datagram: keep reading.
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            await DeliverAsync(buffer.AsMemory(0, result.ReceivedBytes), new SipRemote("UDP", (IPEndPoint)result.RemoteEndPoint), datagram: true).ConfigureAwait(false);
        }
    }

    private async Task AcceptTcpAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _tcp!.AcceptSocketAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var connection = new TcpConnection(socket);
            _connections[connection.Remote] = connection;
            _ = Task.Run(() => ReadTcpAsync(connection, token), token);
        }
    }

    private async Task<TcpConnection> ConnectAsync(IPEndPoint remote, CancellationToken cancellationToken)
    {
        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
        var connection = new TcpConnection(socket);
        _connections[remote] = connection;
        _ = Task.Run(() => ReadTcpAsync(connection, _stopping.Token));
        return connection;
    }

    private async Task ReadTcpAsync(TcpConnection connection, CancellationToken token)
    {
        var buffer = new byte[SipParser.MaxMessageBytes * 2];
        var filled = 0;
        var remote = new SipRemote("TCP", connection.Remote);
        try
        {
            while (!token.IsCancellationRequested)
            {
                var read = await connection.Socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, token).ConfigureAwait(false);
                if (read == 0)
                {
                    return;
                }

                filled += read;
                while (filled > 0)
                {
                    var length = SipParser.FrameLength(buffer.AsSpan(0, filled));
                    if (length < 0)
                    {
                        // No way to find the next message boundary (RFC 3261 section 18.3): close the connection.
                        LogStreamBroken(_logger, remote.ToString());
                        Interlocked.Increment(ref _rejected);
                        return;
                    }

                    if (length == 0)
                    {
                        break;
                    }

                    await DeliverAsync(buffer.AsMemory(0, length), remote, datagram: false).ConfigureAwait(false);
                    Buffer.BlockCopy(buffer, length, buffer, 0, filled - length);
                    filled -= length;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            _connections.TryRemove(new KeyValuePair<IPEndPoint, TcpConnection>(connection.Remote, connection));
            connection.Dispose();
        }
    }

    private async ValueTask DeliverAsync(ReadOnlyMemory<byte> data, SipRemote remote, bool datagram)
    {
        var intake = SipIntake.Accept(data.Span, datagram);
        if (intake.Message is null)
        {
            Interlocked.Increment(ref _rejected);
            LogRejected(_logger, remote.ToString(), intake.Error ?? "", intake.Reply?.StatusCode ?? 0);
            if (intake.Reply is not null)
            {
                await TrySendAsync(intake.Reply, remote).ConfigureAwait(false);
            }

            return;
        }

        if (Received is { } received)
        {
            try
            {
                await received(intake.Message, remote).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // A bug in handling one message must not stop the receive loop.
                LogHandlerFailed(_logger, ex, remote.ToString());
            }
        }
    }

    private async ValueTask TrySendAsync(SipMessage message, SipRemote remote)
    {
        try
        {
            await SendAsync(message, remote, _stopping.Token).ConfigureAwait(false);
        }
        catch (SipTransportException)
        {
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _udp?.Dispose();
        _tcp?.Stop();
        foreach (var connection in _connections.Values)
        {
            connection.Dispose();
        }

        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "SIP message from {Remote} rejected ({Error}), answered {Status}")]
    private static partial void LogRejected(ILogger logger, string remote, string error, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIP stream from {Remote} lost its framing; connection closed")]
    private static partial void LogStreamBroken(ILogger logger, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIP send to {Remote} failed: {Error}")]
    private static partial void LogSendFailed(ILogger logger, string remote, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling a SIP message from {Remote} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string remote);
}
