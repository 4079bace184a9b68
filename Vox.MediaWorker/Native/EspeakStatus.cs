namespace Vox.MediaWorker.Native;

/// <summary>The <c>espeak_ng_STATUS</c> codes the engine tells apart; values 1..255 are errno codes.</summary>
internal enum EspeakStatus
{
    /// <summary><c>ENS_OK</c>.</summary>
    Ok = 0,

    /// <summary><c>ENS_VOICE_NOT_FOUND</c>.</summary>
    VoiceNotFound = 0x100006FF,

    /// <summary><c>ENS_SPEECH_STOPPED</c>: the synth callback asked to stop.</summary>
    SpeechStopped = 0x10000EFF,
}
