namespace Vox.MediaWorker.Providers.Stt;

/// <summary>A speech-to-text provider (offline pocketsphinx, Deepgram...): opens one streaming session per call.</summary>
public interface ISpeechToText
{
    /// <summary>Provider name as bots select it, e.g. <c>offline</c>.</summary>
    string Name { get; }

    /// <summary>Opens a streaming recognition session for one call.</summary>
    Task<ISpeechToTextSession> StartAsync(SpeechToTextRequest request, CancellationToken cancellationToken);
}
