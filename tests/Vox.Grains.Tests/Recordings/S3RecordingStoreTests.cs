using Vox.Grains.Recordings;
using Vox.Testing;

namespace Vox.Grains.Tests.Recordings;

/// <summary>What only the S3 store does: buckets, key prefixes, references across settings, and never showing its secret.</summary>
public sealed class S3RecordingStoreTests(S3rverFixture s3) : IClassFixture<S3rverFixture>
{
    [Fact]
    public async Task SaveAsync_creates_a_missing_bucket_when_allowed_and_two_stores_share_it()
    {
        var options = s3.Server.NewStoreOptions();
        using var first = new S3RecordingStore(options, new CapturingLogger<S3RecordingStore>());
        using var second = new S3RecordingStore(options, new CapturingLogger<S3RecordingStore>());
        var bytes = new byte[] { 1, 2, 3, 4, 5 };

        var saves = await Task.WhenAll(
            first.SaveAsync("calls/one.wav", new MemoryStream(bytes), "audio/wav", CancellationToken.None),
            second.SaveAsync("calls/two.wav", new MemoryStream(bytes), "audio/wav", CancellationToken.None));

        Assert.Equal($"s3://{options.Bucket}/calls/one.wav", saves[0]);
        await using var read = await second.OpenReadAsync(saves[0], CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(5, read.Length);
    }

    [Fact]
    public async Task SaveAsync_to_a_missing_bucket_without_leave_to_create_it_says_which_bucket_and_which_setting()
    {
        var options = s3.Server.NewStoreOptions();
        options.CreateBucketIfMissing = false;
        using var store = new S3RecordingStore(options, new CapturingLogger<S3RecordingStore>());

        var error = await Assert.ThrowsAsync<IOException>(() => store.SaveAsync("calls/x.wav", new MemoryStream([1]), "audio/wav", CancellationToken.None));

        Assert.Contains(options.Bucket!, error.Message, StringComparison.Ordinal);
        Assert.Contains("Recordings:CreateBucketIfMissing", error.Message, StringComparison.Ordinal);
        Assert.Null(await store.OpenReadAsync("calls/x.wav", CancellationToken.None));
    }

    [Fact]
    public async Task Refused_credentials_fail_with_a_message_naming_the_settings_and_the_secret_is_never_shown()
    {
        // s3rver checks the access key id, not the V4 signature, so an unknown id stands for any refused credentials.
        const string Secret = "secret-0123456789-never-show-this";
        var good = s3.Server.NewStoreOptions();
        using (var owner = new S3RecordingStore(good, new CapturingLogger<S3RecordingStore>()))
        {
            await owner.SaveAsync("calls/existing.wav", new MemoryStream([1]), "audio/wav", CancellationToken.None);
        }

        var errors = new List<IOException>();
        var logger = new CapturingLogger<S3RecordingStore>();
        foreach (var createBucket in new[] { true, false })
        {
            // With leave to create the bucket the first request is a HEAD (an error without a body), without it the PUT.
            var options = s3.Server.NewStoreOptions(good.Bucket);
            options.AccessKey = "UNKNOWNKEYID";
            options.SecretKey = Secret;
            options.CreateBucketIfMissing = createBucket;
            using var store = new S3RecordingStore(options, logger);
            errors.Add(await Assert.ThrowsAsync<IOException>(() => store.SaveAsync("calls/x.wav", new MemoryStream([1]), "audio/wav", CancellationToken.None)));
        }

        Assert.Contains("403", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("InvalidAccessKeyId", errors[1].Message, StringComparison.Ordinal);
        Assert.All(errors, error =>
        {
            Assert.Contains("Recordings:AccessKey and Recordings:SecretKey", error.Message, StringComparison.Ordinal);
            Assert.Contains(good.ServiceUrl!, error.Message, StringComparison.Ordinal);
            Assert.Contains(good.Bucket!, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
        });
        Assert.DoesNotContain(logger.Lines, line => line.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task KeyPrefix_is_part_of_the_reference_so_a_store_with_other_settings_still_opens_it()
    {
        var bucket = S3rverProcess.NewBucketName();
        using var writer = new S3RecordingStore(s3.Server.NewStoreOptions(bucket, keyPrefix: "tenant-a/recordings/"), new CapturingLogger<S3RecordingStore>());
        var otherBucket = s3.Server.NewStoreOptions(keyPrefix: "elsewhere");
        using var reader = new S3RecordingStore(otherBucket, new CapturingLogger<S3RecordingStore>());
        var bytes = new byte[] { 9, 8, 7 };

        var reference = await writer.SaveAsync("calls/call_1.wav", new MemoryStream(bytes), "audio/wav", CancellationToken.None);

        Assert.Equal($"s3://{bucket}/tenant-a/recordings/calls/call_1.wav", reference);
        await using var byReference = await reader.OpenReadAsync(reference, CancellationToken.None);
        Assert.NotNull(byReference);
        var copy = new MemoryStream();
        await byReference.Content.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
        Assert.Null(await reader.OpenReadAsync("calls/call_1.wav", CancellationToken.None));
        await using var byKey = await writer.OpenReadAsync("calls/call_1.wav", CancellationToken.None);
        Assert.NotNull(byKey);
    }

    [Fact]
    public async Task The_read_stream_fetches_only_from_the_position_it_is_read_at()
    {
        var options = s3.Server.NewStoreOptions();
        using var store = new S3RecordingStore(options, new CapturingLogger<S3RecordingStore>());
        var bytes = new byte[2_000_000];
        Random.Shared.NextBytes(bytes);
        var reference = await store.SaveAsync("calls/long.wav", new MemoryStream(bytes), "audio/wav", CancellationToken.None);
        await using var recording = await store.OpenReadAsync(reference, CancellationToken.None);
        Assert.NotNull(recording);

        recording.Content.Seek(1_999_000, SeekOrigin.Begin);
        var tail = new MemoryStream();
        await recording.Content.CopyToAsync(tail);

        Assert.Equal(bytes[1_999_000..], tail.ToArray());
        Assert.Equal(2_000_000, recording.Content.Position);
        Assert.Throws<NotSupportedException>(() => recording.Content.ReadByte());
    }
}
