using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Vox.Grains.Recordings;

/// <summary>
/// A read-only, seekable stream over one S3 object of known length: a read opens a ranged GET from the current position to
/// the end, a seek elsewhere drops it. So serving "bytes=N-" reads only from N. The GET is pinned to the ETag seen when the
/// recording was opened, so a replaced object fails the read instead of mixing two recordings. Asynchronous reads only.
/// </summary>
internal sealed class S3ObjectReadStream(IAmazonS3 client, string bucket, string key, long length, string? etag) : Stream
{
    private GetObjectResponse? _response;
    private long _position;
    private bool _disposed;

    /// <inheritdoc />
    public override bool CanRead => !_disposed;

    /// <inheritdoc />
    public override bool CanSeek => !_disposed;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => length;

    /// <inheritdoc />
    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.Length == 0 || _position >= length)
        {
            return 0;
        }

        _response ??= await GetFromPositionAsync(cancellationToken).ConfigureAwait(false);
        var read = await _response.ResponseStream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            throw new IOException($"S3 object '{key}' in bucket '{bucket}' ended at byte {_position} of {length}: the connection closed early.");
        }

        _position += read;
        return read;
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("An S3 recording is read asynchronously only: use ReadAsync or CopyToAsync.");

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, null),
        };
        if (target < 0)
        {
            throw new IOException($"Cannot seek to {target}, before the start of the recording.");
        }

        if (target != _position)
        {
            DropResponse();
            _position = target;
        }

        return _position;
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException("An S3 recording stream is read-only.");

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("An S3 recording stream is read-only.");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DropResponse();
        }

        _disposed = true;
        base.Dispose(disposing);
    }

    private async Task<GetObjectResponse> GetFromPositionAsync(CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest
        {
            BucketName = bucket,
            Key = key,
            ByteRange = new ByteRange(_position, length - 1),
            EtagToMatch = etag,
        };
        try
        {
            return await client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
        {
            throw new IOException($"S3 object '{key}' in bucket '{bucket}' was deleted or replaced while it was being read ({e.ErrorCode}).", e);
        }
    }

    // Closing a body mid-way aborts that connection; that costs less than reading bytes nobody asked for.
    private void DropResponse()
    {
        _response?.Dispose();
        _response = null;
    }
}
