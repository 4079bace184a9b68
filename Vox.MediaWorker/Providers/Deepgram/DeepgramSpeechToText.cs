using Microsoft.Extensions.Logging;
using Vox.MediaWorker.Providers.Stt;

namespace Vox.MediaWorker.Providers.Deepgram;

/// <summary>Deepgram live streaming recognition for one call, with the tenant's (or the configured) key.</summary>
public sealed class DeepgramSpeechToText(DeepgramOptions options, string apiKey, TimeProvider time, ILogger logger) : ISpeechToText
{
    /// <inheritdoc />
    public string Name => "deepgram";

    /// <inheritdoc />
    public async Task<ISpeechToTextSession> StartAsync(SpeechToTextRequest request, CancellationToken cancellationToken)
    {
        var session = new DeepgramSession(options, apiKey, request, time, logger);
        await session.ConnectAsync(cancellationToken).ConfigureAwait(false);
        return session;
    }
}
