using System.Text;
using Microsoft.Extensions.Logging;

namespace Vox.Grains.Recordings;

/// <summary>
/// Recordings as files under <see cref="RecordingStoreOptions.RootPath"/> on this host (the embedded default). A save writes
/// a temporary file beside the target and renames it over, so a reader sees the old recording or the new one, never half of
/// one. The content type is kept in a hidden side file. References look like <c>local:calls/call_1.wav</c>.
/// </summary>
public sealed partial class LocalDiskRecordingStore : IRecordingStore
{
    // Keys never start a segment with '.', so these names cannot collide with a recording.
    private const string ContentTypeSuffix = ".content-type";
    private const int BufferSize = 81_920;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly string _root;
    private readonly ILogger<LocalDiskRecordingStore> _logger;

    /// <summary>A store under <paramref name="options"/>' <see cref="RecordingStoreOptions.RootPath"/> (relative paths from the working folder).</summary>
    public LocalDiskRecordingStore(RecordingStoreOptions options, ILogger<LocalDiskRecordingStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (string.IsNullOrWhiteSpace(options.RootPath))
        {
            throw new ArgumentException($"{RecordingStoreOptions.Section}:{nameof(RecordingStoreOptions.RootPath)} must name a folder.", nameof(options));
        }

        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.RootPath)) + Path.DirectorySeparatorChar;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Provider => RecordingStoreOptions.LocalProvider;

    /// <summary>The folder recordings are written under, absolute, ending with a separator.</summary>
    public string RootPath => _root;

    /// <inheritdoc />
    public async Task<string> SaveAsync(string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        RecordingKey.Validate(key, nameof(key));
        ArgumentNullException.ThrowIfNull(content);
        RecordingContentTypes.Validate(contentType, nameof(contentType));

        var path = PathFor(key);
        var folder = Path.GetDirectoryName(path)!;
        var name = Path.GetFileName(path);
        var temp = Path.Combine(folder, $".{name}.{Guid.NewGuid():N}.tmp");
        var typeTemp = temp + ContentTypeSuffix;
        var moved = false;
        long bytes;
        try
        {
            Directory.CreateDirectory(folder);
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                await content.CopyToAsync(file, BufferSize, cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);

                // On disk before the rename makes it visible, so a crash cannot leave a named but empty recording.
                file.Flush(flushToDisk: true);
                bytes = file.Length;
            }

            // Both files are complete before either is renamed, so a failure leaves the previous recording as it was.
            await File.WriteAllTextAsync(typeTemp, contentType, Utf8, cancellationToken).ConfigureAwait(false);
            File.Move(typeTemp, ContentTypePath(path), overwrite: true);
            File.Move(temp, path, overwrite: true);
            moved = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException(
                $"Could not save recording '{key}' under '{_root}': {e.Message} Check {RecordingStoreOptions.Section}:{nameof(RecordingStoreOptions.RootPath)} " +
                "and that this process may write there.", e);
        }
        finally
        {
            if (!moved)
            {
                TryDelete(temp);
                TryDelete(typeTemp);
            }
        }

        LogSaved(_logger, key, bytes);
        return RecordingKey.LocalScheme + key;
    }

    /// <inheritdoc />
    public async Task<RecordingContent?> OpenReadAsync(string recordingRef, CancellationToken cancellationToken)
    {
        var key = KeyOf(recordingRef);
        if (key is null)
        {
            return null;
        }

        var path = PathFor(key);
        if (Directory.Exists(path))
        {
            return null;
        }

        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        try
        {
            var contentType = await ReadContentTypeAsync(path, cancellationToken).ConfigureAwait(false) ?? RecordingContentTypes.FromKey(key);
            var lastModified = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
            return new RecordingContent(stream, stream.Length, contentType, lastModified);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(string recordingRef, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var key = KeyOf(recordingRef);
        if (key is not null)
        {
            var path = PathFor(key);
            DeleteIfExists(path);
            DeleteIfExists(ContentTypePath(path));
        }

        return Task.CompletedTask;
    }

    private string? KeyOf(string recordingRef)
    {
        ArgumentNullException.ThrowIfNull(recordingRef);
        if (recordingRef.StartsWith(RecordingKey.LocalScheme, StringComparison.Ordinal))
        {
            return RecordingKey.Validate(recordingRef[RecordingKey.LocalScheme.Length..], nameof(recordingRef));
        }

        if (recordingRef.StartsWith(RecordingKey.S3Scheme, StringComparison.Ordinal))
        {
            LogOtherProvider(_logger, recordingRef);
            return null;
        }

        return RecordingKey.Validate(recordingRef, nameof(recordingRef));
    }

    private string PathFor(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, key.Replace('/', Path.DirectorySeparatorChar)));

        // The key rule already excludes every way out; this keeps it so if the rule is ever loosened.
        if (!path.StartsWith(_root, StringComparison.Ordinal) || path.Length == _root.Length)
        {
            throw new ArgumentException($"Recording key '{key}' resolves outside '{_root}' and is refused.", nameof(key));
        }

        return path;
    }

    private static string ContentTypePath(string path) =>
        Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ContentTypeSuffix);

    private static async Task<string?> ReadContentTypeAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var text = (await File.ReadAllTextAsync(ContentTypePath(path), Utf8, cancellationToken).ConfigureAwait(false)).Trim();
            return text.Length > 0 ? text : null;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static void DeleteIfExists(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (DirectoryNotFoundException)
        {
            // Its folder is gone, so is it.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover hidden temp file is harmless and never read.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Saved recording {RecordingKey} ({Bytes} bytes) to local disk")]
    private static partial void LogSaved(ILogger logger, string recordingKey, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingRef} is in S3 storage but this host stores recordings on local disk: set Recordings:Provider to s3 to play it here")]
    private static partial void LogOtherProvider(ILogger logger, string recordingRef);
}
