namespace Vox.Grains.Recordings;

/// <summary>
/// Where call recordings live: a local folder (embedded, one host) or an S3 bucket (a cluster, so any host can play a call
/// that another host's worker recorded). Keys are '/'-separated segments of letters, digits, '.', '_' and '-', each
/// starting with a letter or digit (e.g. <c>calls/call_123.wav</c>); any other key, path traversal included, is refused
/// with an <see cref="ArgumentException"/>.
/// </summary>
public interface IRecordingStore
{
    /// <summary>The provider this store writes to: <c>local</c> or <c>s3</c>.</summary>
    string Provider { get; }

    /// <summary>
    /// Stores <paramref name="content"/> (read from its current position to its end) under <paramref name="key"/>, replacing
    /// what was there, and returns the recording reference to keep on the call (<see cref="Calls.CallResult.RecordingRef"/>).
    /// A reader never sees a partly written recording.
    /// </summary>
    Task<string> SaveAsync(string key, Stream content, string contentType, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a recording by the reference <see cref="SaveAsync"/> returned (or by its bare key) for streaming; the stream is
    /// seekable, so HTTP range requests can be served from it. Null when it does not exist, or when the reference names
    /// another provider than this store's. The caller disposes the result.
    /// </summary>
    Task<RecordingContent?> OpenReadAsync(string recordingRef, CancellationToken cancellationToken);

    /// <summary>Deletes a recording by reference or key; deleting one that does not exist is not an error.</summary>
    Task DeleteAsync(string recordingRef, CancellationToken cancellationToken);
}
