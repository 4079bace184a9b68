using System.Net;

namespace Vox.Gateway.Tests.Support;

/// <summary>A body sent without Content-Length (chunked), so the server only finds its size by reading it.</summary>
public sealed class ChunkedContent : HttpContent
{
    private readonly byte[] _bytes;

    /// <summary>Sends <paramref name="bytes"/> as application/json without a length.</summary>
    public ChunkedContent(byte[] bytes)
    {
        _bytes = bytes;
        Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
    }

    /// <inheritdoc />
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        for (var offset = 0; offset < _bytes.Length; offset += 8192)
        {
            await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(8192, _bytes.Length - offset)));
        }
    }

    /// <inheritdoc />
    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
