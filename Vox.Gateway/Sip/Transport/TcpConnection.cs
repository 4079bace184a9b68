using System.Net;
using System.Net.Sockets;

namespace Vox.Gateway.Sip.Transport;

/// <summary>One TCP connection carrying SIP; writes are serialised so messages never interleave.</summary>
internal sealed class TcpConnection(Socket socket) : IDisposable
{
    private readonly SemaphoreSlim _write = new(1, 1);

    public Socket Socket { get; } = socket;

    public IPEndPoint Remote { get; } = (IPEndPoint)socket.RemoteEndPoint!;

    public bool IsOpen => Socket.Connected;

    public async Task SendAsync(byte[] bytes, CancellationToken cancellationToken)
    {
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var sent = 0;
            while (sent < bytes.Length)
            {
                sent += await Socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _write.Release();
        }
    }

    public void Dispose()
    {
        Socket.Dispose();
        _write.Dispose();
    }
}
