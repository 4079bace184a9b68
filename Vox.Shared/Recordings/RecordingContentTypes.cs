using System.Net.Http.Headers;

namespace Vox.Grains.Recordings;

/// <summary>Content types as the stores accept and report them.</summary>
internal static class RecordingContentTypes
{
    /// <summary>What a store reports when it knows nothing better.</summary>
    public const string Default = "application/octet-stream";

    /// <summary>Returns <paramref name="contentType"/> if it is one media type (e.g. <c>audio/wav</c>), else throws an <see cref="ArgumentException"/>.</summary>
    public static string Validate(string contentType, string paramName)
    {
        ArgumentNullException.ThrowIfNull(contentType, paramName);
        return MediaTypeHeaderValue.TryParse(contentType, out var parsed) && parsed.MediaType is not null && parsed.MediaType.Contains('/', StringComparison.Ordinal)
            ? contentType
            : throw new ArgumentException($"Content type '{contentType}' is not a media type such as 'audio/wav'.", paramName);
    }

    /// <summary>The content type a key's extension implies, for recordings stored without one.</summary>
    public static string FromKey(string key) => Path.GetExtension(key).ToLowerInvariant() switch
    {
        ".wav" => "audio/wav",
        ".mp3" => "audio/mpeg",
        ".ogg" or ".opus" => "audio/ogg",
        ".json" => "application/json",
        _ => Default,
    };
}
