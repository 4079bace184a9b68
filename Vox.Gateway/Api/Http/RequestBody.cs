using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Vox.Gateway.Api.Http;

/// <summary>
/// Reads a request body once, never more than <see cref="MaxBytes"/>: a larger <c>Content-Length</c> is refused unread,
/// and a body without one (chunked) stops being read at the limit. The bytes are kept on the request so the
/// idempotency filter (which hashes them) and the JSON reader share one read.
/// </summary>
internal static class RequestBody
{
    /// <summary>The largest body the API accepts: 256 KiB.</summary>
    public const int MaxBytes = 256 * 1024;

    private static readonly object ItemKey = new();

    /// <summary>The body, read now or earlier in this request.</summary>
    public static async ValueTask<BufferedBody> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HttpContext.Items.TryGetValue(ItemKey, out var cached) && cached is BufferedBody body)
        {
            return body;
        }

        body = request.ContentLength > MaxBytes ? new BufferedBody(ReadOnlyMemory<byte>.Empty, TooLarge: true) : await ReadCappedAsync(request.Body, cancellationToken).ConfigureAwait(false);
        request.HttpContext.Items[ItemKey] = body;
        return body;
    }

    private static async Task<BufferedBody> ReadCappedAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    return new BufferedBody(ReadOnlyMemory<byte>.Empty, TooLarge: true);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return new BufferedBody(buffer.ToArray(), TooLarge: false);
    }
}
