namespace Vox.Grains.Recordings;

/// <summary>An opened recording: its bytes as a seekable stream, its size and content type. Disposing it closes the stream.</summary>
public sealed class RecordingContent(Stream content, long length, string contentType, DateTimeOffset? lastModified) : IAsyncDisposable, IDisposable
{
    /// <summary>The recording's bytes, positioned at the start.</summary>
    public Stream Content { get; } = content;

    /// <summary>Size in bytes.</summary>
    public long Length { get; } = length;

    /// <summary>The content type it was saved with, e.g. <c>audio/wav</c>.</summary>
    public string ContentType { get; } = contentType;

    /// <summary>When it was last written, if the store knows.</summary>
    public DateTimeOffset? LastModified { get; } = lastModified;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => Content.DisposeAsync();

    /// <inheritdoc />
    public void Dispose() => Content.Dispose();
}
