using System.Net;
using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;

namespace Vox.Grains.Recordings;

/// <summary>
/// Recordings as objects in an S3 or S3-compatible bucket, so every host of a cluster can play a call whatever host recorded
/// it. References look like <c>s3://bucket/prefix/calls/call_1.wav</c>. Reads are seekable: each position is served by a
/// ranged GET, so HTTP range requests never fetch the whole object. The secret key is never logged nor put in a message.
/// </summary>
public sealed partial class S3RecordingStore : IRecordingStore, IDisposable
{
    private const int BufferSize = 81_920;

    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly bool _createBucket;
    private readonly string _endpoint;
    private readonly ILogger<S3RecordingStore> _logger;
    private readonly SemaphoreSlim _bucketGate = new(1, 1);
    private volatile bool _bucketChecked;

    /// <summary>A store on the bucket <paramref name="options"/> name; they must be valid for the <c>s3</c> provider.</summary>
    public S3RecordingStore(RecordingStoreOptions options, ILogger<S3RecordingStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (!options.IsS3)
        {
            throw new ArgumentException($"{RecordingStoreOptions.Section}:{nameof(RecordingStoreOptions.Provider)} is '{options.Provider}'; the S3 store needs 's3'.", nameof(options));
        }

        RecordingStoreOptionsValidator.ThrowIfInvalid(options, nameof(options));
        _bucket = options.Bucket!;
        _prefix = RecordingKey.NormalizePrefix(options.KeyPrefix, out _)!;
        _createBucket = options.CreateBucketIfMissing;
        _logger = logger;

        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,

            // Many S3-compatible servers reject or store verbatim the CRC trailers that the SDK adds by default; checksums
            // only where S3 requires them works with AWS and with them alike.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
            _endpoint = $"AWS S3 ({options.Region})";
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = string.IsNullOrWhiteSpace(options.Region) ? "us-east-1" : options.Region;
            _endpoint = options.ServiceUrl;
        }

        _client = new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    /// <inheritdoc />
    public string Provider => RecordingStoreOptions.S3Provider;

    /// <inheritdoc />
    public async Task<string> SaveAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var objectKey = _prefix + RecordingKey.Validate(key, nameof(key));
        ArgumentNullException.ThrowIfNull(content);
        RecordingContentTypes.Validate(contentType, nameof(contentType));
        await EnsureBucketAsync(cancellationToken).ConfigureAwait(false);

        // The PUT needs the length up front (no chunked upload: not every S3-compatible server decodes aws-chunked), and a
        // retry must be able to rewind: a stream that cannot say both is spooled to a temporary file first.
        FileStream? spool = null;
        try
        {
            var body = content;
            if (!content.CanSeek || content.Position != 0)
            {
                spool = await SpoolAsync(content, cancellationToken).ConfigureAwait(false);
                body = spool;
            }

            var request = new PutObjectRequest
            {
                BucketName = _bucket,
                Key = objectKey,
                InputStream = body,
                ContentType = contentType,
                AutoCloseStream = false,
                UseChunkEncoding = false,
            };
            request.Headers.ContentLength = body.Length;
            try
            {
                await _client.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonServiceException e)
            {
                throw Failure("save", objectKey, _bucket, e);
            }

            LogSaved(_logger, objectKey, _bucket, body.Length);
            return $"{RecordingKey.S3Scheme}{_bucket}/{objectKey}";
        }
        finally
        {
            if (spool is not null)
            {
                await spool.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <inheritdoc />
    public async Task<RecordingContent?> OpenReadAsync(string recordingRef, CancellationToken cancellationToken)
    {
        if (Locate(recordingRef) is not var (bucket, objectKey))
        {
            return null;
        }

        GetObjectMetadataResponse head;
        try
        {
            head = await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = objectKey }, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound || e.ErrorCode is "NoSuchKey" or "NoSuchBucket")
        {
            return null;
        }
        catch (AmazonServiceException e)
        {
            throw Failure("read", objectKey, bucket, e);
        }

        var length = head.ContentLength;
        var contentType = string.IsNullOrEmpty(head.Headers.ContentType) ? RecordingContentTypes.FromKey(objectKey) : head.Headers.ContentType;
        DateTimeOffset? lastModified = head.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime(), TimeSpan.Zero) : null;
        return new RecordingContent(new S3ObjectReadStream(_client, bucket, objectKey, length, head.ETag), length, contentType, lastModified);
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string recordingRef, CancellationToken cancellationToken)
    {
        if (Locate(recordingRef) is not var (bucket, objectKey))
        {
            return;
        }

        try
        {
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = objectKey }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // No bucket, so no recording either.
        }
        catch (AmazonServiceException e)
        {
            throw Failure("delete", objectKey, bucket, e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _client.Dispose();
        _bucketGate.Dispose();
    }

    private (string Bucket, string Key)? Locate(string recordingRef)
    {
        ArgumentNullException.ThrowIfNull(recordingRef);
        if (recordingRef.StartsWith(RecordingKey.S3Scheme, StringComparison.Ordinal))
        {
            // The reference names its bucket, so recordings stay playable after the bucket setting changes.
            var rest = recordingRef[RecordingKey.S3Scheme.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            if (slash <= 0)
            {
                throw new ArgumentException($"Recording reference '{recordingRef}' has no bucket and key; expected s3://bucket/key.", nameof(recordingRef));
            }

            return (rest[..slash], RecordingKey.Validate(rest[(slash + 1)..], nameof(recordingRef)));
        }

        if (recordingRef.StartsWith(RecordingKey.LocalScheme, StringComparison.Ordinal))
        {
            LogOtherProvider(_logger, recordingRef);
            return null;
        }

        return (_bucket, _prefix + RecordingKey.Validate(recordingRef, nameof(recordingRef)));
    }

    private async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        if (!_createBucket || _bucketChecked)
        {
            return;
        }

        await _bucketGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_bucketChecked)
            {
                return;
            }

            try
            {
                await _client.HeadBucketAsync(new HeadBucketRequest { BucketName = _bucket }, cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                try
                {
                    await _client.PutBucketAsync(new PutBucketRequest { BucketName = _bucket, UseClientRegion = true }, cancellationToken).ConfigureAwait(false);
                    LogBucketCreated(_logger, _bucket, _endpoint);
                }
                catch (AmazonS3Exception created) when (created.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
                {
                    // Another host created it first.
                }
            }

            _bucketChecked = true;
        }
        catch (AmazonServiceException e)
        {
            throw Failure("create", "", _bucket, e);
        }
        finally
        {
            _bucketGate.Release();
        }
    }

    private static async Task<FileStream> SpoolAsync(Stream content, CancellationToken cancellationToken)
    {
        var spool = new FileStream(Path.Combine(Path.GetTempPath(), $"vox-recording-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, BufferSize, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        try
        {
            await content.CopyToAsync(spool, BufferSize, cancellationToken).ConfigureAwait(false);
            spool.Position = 0;
            return spool;
        }
        catch
        {
            await spool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // A message that says what was tried, where, and what to check; S3's own code and message are kept, never the credentials.
    private IOException Failure(string action, string objectKey, string bucket, AmazonServiceException e)
    {
        var what = action == "create" ? $"check or create S3 bucket '{bucket}'" : $"{action} recording '{objectKey}' in S3 bucket '{bucket}'";
        const string Keys = $"{RecordingStoreOptions.Section}:{nameof(RecordingStoreOptions.AccessKey)} and {RecordingStoreOptions.Section}:{nameof(RecordingStoreOptions.SecretKey)}";
        var hint = e.ErrorCode switch
        {
            "NoSuchBucket" => $" The bucket does not exist: create it, or set {RecordingStoreOptions.Section}:{nameof(RecordingStoreOptions.CreateBucketIfMissing)}=true.",
            "InvalidAccessKeyId" or "SignatureDoesNotMatch" => $" S3 refused the credentials: check {Keys}.",
            _ when e.StatusCode == HttpStatusCode.Forbidden => $" S3 refused the credentials or they may not use this bucket: check {Keys}.",
            _ => "",
        };
        var status = e.StatusCode == 0 ? "no answer" : $"{(int)e.StatusCode} {e.ErrorCode}";
        return new IOException($"Could not {what} at {_endpoint} ({status}): {e.Message}{hint}", e);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Saved recording {RecordingKey} ({Bytes} bytes) to S3 bucket {Bucket}")]
    private static partial void LogSaved(ILogger logger, string recordingKey, string bucket, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created S3 bucket {Bucket} at {Endpoint} for recordings")]
    private static partial void LogBucketCreated(ILogger logger, string bucket, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingRef} is on another host's local disk but this host stores recordings in S3: it cannot be played here")]
    private static partial void LogOtherProvider(ILogger logger, string recordingRef);
}
