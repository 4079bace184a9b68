namespace Vox.MediaWorker.Audio;

/// <summary>How samples are coded on the wire or on disk.</summary>
public enum AudioEncoding
{
    /// <summary>Signed 16-bit linear PCM, little-endian.</summary>
    Pcm16,
    /// <summary>ITU-T G.711 mu-law, one byte per sample (North America, Japan; RTP payload type 0).</summary>
    MuLaw,
    /// <summary>ITU-T G.711 A-law, one byte per sample (rest of the world; RTP payload type 8).</summary>
    ALaw,
}
