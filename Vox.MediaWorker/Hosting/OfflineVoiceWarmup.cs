using Vox.MediaWorker.Providers.Stt.Offline;
using Vox.MediaWorker.Providers.Tts.Offline;

namespace Vox.MediaWorker.Hosting;

/// <summary>Loads the offline voice stack at start (espeak-ng, pocketsphinx models) so the first call does not pay for it.</summary>
public sealed partial class OfflineVoiceWarmup(PocketSphinxDecoderPool decoders, EspeakEngine voice, ILogger<OfflineVoiceWarmup> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            GC.KeepAlive(voice);
            await decoders.WarmUpAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogWarmupFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The offline voice stack could not be loaded; calls on this worker will fail until it is installed")]
    private static partial void LogWarmupFailed(ILogger logger, Exception exception);
}
