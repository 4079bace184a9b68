using System.Net;
using System.Net.Sockets;

namespace Vox.Testing;

/// <summary>Free loopback ports for servers the tests start.</summary>
public static class FreePort
{
    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The first of <paramref name="count"/> consecutive TCP ports on 127.0.0.1 that were all free a moment ago.</summary>
    public static int NextRange(int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var first = Next();
            if (first + count >= 65535)
            {
                continue;
            }

            var listeners = new List<TcpListener>();
            try
            {
                for (var i = 0; i < count; i++)
                {
                    var listener = new TcpListener(IPAddress.Loopback, first + i);
                    listener.Start();
                    listeners.Add(listener);
                }

                return first;
            }
            catch (SocketException)
            {
                // One of them is taken: try another range.
            }
            finally
            {
                listeners.ForEach(l => l.Stop());
            }
        }

        throw new InvalidOperationException($"No {count} consecutive free ports found on 127.0.0.1.");
    }
}
