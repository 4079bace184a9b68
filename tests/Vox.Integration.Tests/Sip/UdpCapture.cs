using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Vox.Integration.Tests.Sip;

/// <summary>
/// Captures UDP datagrams on loopback through a raw IPv4 socket (needs root, as sipp's pcap playback does), so a test
/// can read the RTP a worker sends to sipp without taking sipp's port.
/// </summary>
public sealed class UdpCapture : IDisposable
{
    private readonly Socket _socket;
    private readonly List<(int SourcePort, int DestinationPort, byte[] Payload)> _packets = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Starts capturing.</summary>
    public UdpCapture()
    {
        try
        {
            _socket = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Udp);
        }
        catch (SocketException ex)
        {
            throw new InvalidOperationException("Capturing RTP needs a raw socket (run the tests as root, as sipp's pcap playback needs too): " + ex.Message, ex);
        }

        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Captured datagrams to <paramref name="destinationPort"/>.</summary>
    public IReadOnlyList<(int SourcePort, byte[] Payload)> To(int destinationPort)
    {
        lock (_packets)
        {
            return _packets.Where(p => p.DestinationPort == destinationPort).Select(p => (p.SourcePort, p.Payload)).ToList();
        }
    }

    private async Task LoopAsync()
    {
        var buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            int read;
            try
            {
                read = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var ipHeader = (buffer[0] & 0x0F) * 4;
            if (read < ipHeader + 8)
            {
                continue;
            }

            var source = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(ipHeader));
            var destination = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(ipHeader + 2));
            lock (_packets)
            {
                _packets.Add((source, destination, buffer.AsSpan(ipHeader + 8, read - ipHeader - 8).ToArray()));
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        try
        {
            _loop.Wait(2000);
        }
        catch (AggregateException)
        {
        }
    }
}
