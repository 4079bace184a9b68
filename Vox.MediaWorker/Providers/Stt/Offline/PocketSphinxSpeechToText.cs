using Microsoft.Extensions.Options;

namespace Vox.MediaWorker.Providers.Stt.Offline;

/// <summary>The offline recogniser: pocketsphinx with the US English model, a decoder of its own per call.</summary>
/// <remarks>
/// Only US English is available; <see cref="SpeechToTextRequest.Language"/> and <see cref="SpeechToTextRequest.Model"/>
/// are not used. <see cref="SpeechToTextRequest.Keywords"/> become a small language model interpolated with the
/// general one (<see cref="PocketSphinxOptions.HintWeight"/>).
/// </remarks>
public sealed class PocketSphinxSpeechToText(PocketSphinxDecoderPool pool, IOptions<PocketSphinxOptions> options, TimeProvider timeProvider) : ISpeechToText
{
    /// <inheritdoc />
    public string Name => "offline";

    /// <inheritdoc />
    public async Task<ISpeechToTextSession> StartAsync(SpeechToTextRequest request, CancellationToken cancellationToken) =>
        await PocketSphinxSession.StartAsync(pool, options.Value, timeProvider, request, cancellationToken).ConfigureAwait(false);
}
