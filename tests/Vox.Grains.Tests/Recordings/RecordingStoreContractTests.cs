using Microsoft.Extensions.Logging.Abstractions;
using Vox.Grains.Recordings;

namespace Vox.Grains.Tests.Recordings;

/// <summary>What every <see cref="IRecordingStore"/> must do, run against the local-disk store and the S3 store on s3rver.</summary>
public sealed class RecordingStoreContractTests(S3rverFixture s3) : IClassFixture<S3rverFixture>, IDisposable
{
    private readonly string _localRoot = Directory.CreateTempSubdirectory("vox-recordings-").FullName;

    public static TheoryData<string> Stores => new() { "local", "s3" };

    public static TheoryData<string, string> StoresAndBadKeys
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var store in new[] { "local", "s3" })
            {
                foreach (var key in new[]
                {
                    "../escape.wav", "calls/../../escape.wav", "calls/..", "..", ".", "./calls/x.wav", "/etc/passwd", "/tmp/escape.wav",
                    "calls//x.wav", "calls/x.wav/", "calls\\..\\..\\escape.wav", "C:/escape.wav", "..%2fescape.wav", "calls/.hidden.wav",
                    "calls/x y.wav", "calls/x\u0000.wav", "calls/caf\u00e9.wav", "", new string('a', 1025),
                })
                {
                    data.Add(store, key);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task SaveAsync_then_OpenReadAsync_returns_the_same_bytes_length_and_content_type(string kind)
    {
        using var store = NewStore(kind);
        var bytes = RandomBytes(1_000_003);

        var reference = await store.Instance.SaveAsync("calls/call_a.wav", new MemoryStream(bytes), "audio/wav", CancellationToken.None);

        await using var recording = await store.Instance.OpenReadAsync(reference, CancellationToken.None);
        Assert.NotNull(recording);
        Assert.Equal(bytes.Length, recording.Length);
        Assert.Equal("audio/wav", recording.ContentType);
        Assert.True(recording.Content.CanSeek);
        Assert.NotNull(recording.LastModified);
        Assert.Equal(bytes, await ReadAllAsync(recording.Content));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task SaveAsync_returns_a_reference_naming_the_provider_and_the_bare_key_opens_it_too(string kind)
    {
        using var store = NewStore(kind);
        var bytes = RandomBytes(4096);

        var reference = await store.Instance.SaveAsync("calls/2026/call_b.wav", new MemoryStream(bytes), "audio/wav", CancellationToken.None);

        Assert.StartsWith(kind == "s3" ? "s3://" : "local:", reference, StringComparison.Ordinal);
        Assert.EndsWith("calls/2026/call_b.wav", reference, StringComparison.Ordinal);
        await using var byKey = await store.Instance.OpenReadAsync("calls/2026/call_b.wav", CancellationToken.None);
        Assert.NotNull(byKey);
        Assert.Equal(bytes, await ReadAllAsync(byKey.Content));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Seeking_the_read_stream_reads_from_that_offset(string kind)
    {
        using var store = NewStore(kind);
        var bytes = RandomBytes(300_000);
        var reference = await store.Instance.SaveAsync("calls/call_c.wav", new MemoryStream(bytes), "audio/wav", CancellationToken.None);
        await using var recording = await store.Instance.OpenReadAsync(reference, CancellationToken.None);
        Assert.NotNull(recording);

        var head = new byte[1000];
        await recording.Content.ReadExactlyAsync(head);
        Assert.Equal(bytes[..1000], head);

        recording.Content.Seek(250_000, SeekOrigin.Begin);
        var middle = new byte[20_000];
        await recording.Content.ReadExactlyAsync(middle);
        Assert.Equal(bytes[250_000..270_000], middle);

        recording.Content.Seek(-10, SeekOrigin.End);
        Assert.Equal(bytes[^10..], await ReadAllAsync(recording.Content));

        recording.Content.Position = 5;
        var again = new byte[10];
        await recording.Content.ReadExactlyAsync(again);
        Assert.Equal(bytes[5..15], again);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task SaveAsync_reads_an_unseekable_stream_from_its_current_position_to_the_end(string kind)
    {
        using var store = NewStore(kind);
        var bytes = RandomBytes(200_000);

        var fromStart = await store.Instance.SaveAsync("calls/unseekable.wav", new UnseekableStream(bytes), "audio/wav", CancellationToken.None);
        var partly = new MemoryStream(bytes) { Position = 1234 };
        var fromMiddle = await store.Instance.SaveAsync("calls/positioned.wav", partly, "audio/wav", CancellationToken.None);

        Assert.Equal(bytes, await ReadAsync(store.Instance, fromStart));
        Assert.Equal(bytes[1234..], await ReadAsync(store.Instance, fromMiddle));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task SaveAsync_replaces_a_recording_and_a_failed_save_leaves_the_previous_one_whole(string kind)
    {
        using var store = NewStore(kind);
        var first = RandomBytes(50_000);
        var second = RandomBytes(70_000);
        await store.Instance.SaveAsync("calls/call_d.wav", new MemoryStream(first), "audio/wav", CancellationToken.None);
        var reference = await store.Instance.SaveAsync("calls/call_d.wav", new MemoryStream(second), "audio/wav", CancellationToken.None);
        Assert.Equal(second, await ReadAsync(store.Instance, reference));

        await Assert.ThrowsAnyAsync<IOException>(() =>
            store.Instance.SaveAsync("calls/call_d.wav", new UnseekableStream(RandomBytes(100_000), failAfter: 40_000), "audio/wav", CancellationToken.None));

        Assert.Equal(second, await ReadAsync(store.Instance, reference));
        if (kind == "local")
        {
            Assert.Equal(["call_d.wav"], Directory.GetFiles(Path.Combine(_localRoot, "calls")).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')));
            Assert.DoesNotContain(Directory.GetFiles(Path.Combine(_localRoot, "calls")), f => f.EndsWith(".tmp", StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task SaveAsync_cancelled_throws_and_stores_nothing(string kind)
    {
        using var store = NewStore(kind);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            store.Instance.SaveAsync("calls/cancelled.wav", new UnseekableStream(RandomBytes(10_000)), "audio/wav", cancelled.Token));

        Assert.Null(await store.Instance.OpenReadAsync("calls/cancelled.wav", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task OpenReadAsync_of_a_missing_key_returns_null(string kind)
    {
        using var store = NewStore(kind);

        Assert.Null(await store.Instance.OpenReadAsync("calls/never_saved.wav", CancellationToken.None));
        await store.Instance.SaveAsync("calls/there.wav", new MemoryStream(RandomBytes(10)), "audio/wav", CancellationToken.None);
        Assert.Null(await store.Instance.OpenReadAsync("calls/not_there.wav", CancellationToken.None));
        Assert.Null(await store.Instance.OpenReadAsync("calls", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task OpenReadAsync_of_the_other_providers_reference_returns_null(string kind)
    {
        using var store = NewStore(kind);
        await store.Instance.SaveAsync("calls/call_e.wav", new MemoryStream(RandomBytes(10)), "audio/wav", CancellationToken.None);

        var foreign = kind == "s3" ? "local:calls/call_e.wav" : "s3://some-bucket/calls/call_e.wav";

        Assert.Null(await store.Instance.OpenReadAsync(foreign, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task DeleteAsync_removes_the_recording_and_deleting_a_missing_one_is_harmless(string kind)
    {
        using var store = NewStore(kind);
        var reference = await store.Instance.SaveAsync("calls/call_f.wav", new MemoryStream(RandomBytes(100)), "audio/wav", CancellationToken.None);

        await store.Instance.DeleteAsync(reference, CancellationToken.None);
        await store.Instance.DeleteAsync(reference, CancellationToken.None);
        await store.Instance.DeleteAsync("calls/never/saved.wav", CancellationToken.None);

        Assert.Null(await store.Instance.OpenReadAsync(reference, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task The_content_type_given_on_save_comes_back(string kind)
    {
        using var store = NewStore(kind);

        var json = await store.Instance.SaveAsync("calls/call_g.analysis", new MemoryStream("{}"u8.ToArray()), "application/json", CancellationToken.None);
        await using var recording = await store.Instance.OpenReadAsync(json, CancellationToken.None);

        Assert.Equal("application/json", recording?.ContentType);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            store.Instance.SaveAsync("calls/call_h.wav", new MemoryStream([1]), "audio/wav\r\nX-Injected: 1", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(StoresAndBadKeys))]
    public async Task Keys_that_are_not_plain_relative_paths_are_refused(string kind, string key)
    {
        using var store = NewStore(kind);
        var canary = Path.Combine(Path.GetDirectoryName(_localRoot)!, Path.GetFileName(_localRoot) + "-outside");

        var save = await Assert.ThrowsAsync<ArgumentException>(() => store.Instance.SaveAsync(key, new MemoryStream([1, 2, 3]), "audio/wav", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.Instance.OpenReadAsync(key, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.Instance.DeleteAsync(key, CancellationToken.None));

        Assert.Equal("key", save.ParamName);
        Assert.Contains("Recording key", save.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(canary));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_localRoot, "*", SearchOption.AllDirectories));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_localRoot)!, "escape.wav")));
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_reference_with_a_traversal_key_is_refused(string kind)
    {
        using var store = NewStore(kind);
        var reference = kind == "s3" ? $"s3://{store.Bucket}/../../escape.wav" : "local:../escape.wav";

        await Assert.ThrowsAsync<ArgumentException>(() => store.Instance.OpenReadAsync(reference, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => store.Instance.DeleteAsync(reference, CancellationToken.None));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_localRoot, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    private TestStore NewStore(string kind)
    {
        if (kind == "local")
        {
            return new TestStore(new LocalDiskRecordingStore(new RecordingStoreOptions { RootPath = _localRoot }, NullLogger<LocalDiskRecordingStore>.Instance), null);
        }

        var options = s3.Server.NewStoreOptions();
        return new TestStore(new S3RecordingStore(options, NullLogger<S3RecordingStore>.Instance), options.Bucket);
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static async Task<byte[]> ReadAsync(IRecordingStore store, string reference)
    {
        await using var recording = await store.OpenReadAsync(reference, CancellationToken.None);
        Assert.NotNull(recording);
        return await ReadAllAsync(recording.Content);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private sealed record TestStore(IRecordingStore Instance, string? Bucket) : IDisposable
    {
        public void Dispose() => (Instance as IDisposable)?.Dispose();
    }
}
