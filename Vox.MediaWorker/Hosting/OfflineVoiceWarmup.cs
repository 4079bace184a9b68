using Microsoft.Extensions.Options;
using Vox.Grains.Workers;
using Vox.MediaWorker.Providers.Stt.Offline;
using Vox.MediaWorker.Providers.Tts.Offline;

namespace Vox.MediaWorker.Hosting;

/// <summary>Loads the offline voice stack (espeak-ng and its data, the pocketsphinx libraries) once a call is on its way, not at start-up.</summary>
/// <remarks>
/// An idle worker then holds none of it (about 5 MB of RSS: espeak-ng's phoneme data, and the audio, BLAS and Fortran
/// libraries both pull in). The load is done once per process: an RTP call starts it when its session opens, while the
/// phone still rings; a WebSocket call does it when its media connection arrives (the providers it resolves need it).
/// With <see cref="PocketSphinxOptions.WarmDecoders"/> above 0 the stack and that many decoders load at start, as asked.
/// A stack that the start-up probe found missing is not loaded at all: the worker registered as not ready and says why.
/// </remarks>
public sealed partial class OfflineVoiceWarmup(IServiceProvider services, IOptions<PocketSphinxOptions> sphinx, OfflineVoiceReadiness readiness, ILogger<OfflineVoiceWarmup> logger)
    : BackgroundService
{
    private readonly Lock _gate = new();
    private Task? _loading;

    /// <summary>Starts loading the stack in the background if nothing has yet; the task ends when it is loaded or failed (and logged).</summary>
    public Task Start()
    {
        lock (_gate)
        {
            return _loading ??= readiness.Ready ? Task.Run(Load) : Task.CompletedTask;
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (sphinx.Value.WarmDecoders == 0 || !readiness.Ready)
        {
            return;
        }

        await Start().ConfigureAwait(false);
        try
        {
            await services.GetRequiredService<PocketSphinxDecoderPool>().WarmUpAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogWarmupFailed(logger, ex);
        }
    }

    private void Load()
    {
        try
        {
            _ = services.GetRequiredService<EspeakEngine>();
            _ = services.GetRequiredService<PocketSphinxDecoderPool>();
        }
        catch (Exception ex)
        {
            LogWarmupFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The offline voice stack could not be loaded; calls on this worker that use it will fail until it is installed")]
    private static partial void LogWarmupFailed(ILogger logger, Exception exception);
}
