using Vox.MediaWorker.Audio;

namespace Vox.MediaWorker.Providers;

/// <summary>How each carrier codes its audio, so providers are asked for that format (mu-law for Twilio, PCM otherwise).</summary>
public static class TransportEncodings
{
    /// <summary>The wire encoding of serializer <paramref name="serializerName"/>.</summary>
    public static AudioEncoding For(string serializerName) => serializerName.ToLowerInvariant() switch
    {
        "twilio" => AudioEncoding.MuLaw,
        _ => AudioEncoding.Pcm16,
    };
}
