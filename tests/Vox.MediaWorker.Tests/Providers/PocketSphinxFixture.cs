using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vox.MediaWorker.Providers.Stt.Offline;

namespace Vox.MediaWorker.Tests.Providers;

/// <summary>A warmed pocketsphinx pool for the test run. If pocketsphinx or its model is missing, every test using it fails with the install hint.</summary>
public sealed class PocketSphinxFixture : IAsyncLifetime, IDisposable
{
    public PocketSphinxFixture()
    {
        Settings = new PocketSphinxOptions { WarmDecoders = 1 };
        Pool = new PocketSphinxDecoderPool(Options.Create(Settings), NullLogger<PocketSphinxDecoderPool>.Instance);
        SpeechToText = new PocketSphinxSpeechToText(Pool, Options.Create(Settings), TimeProvider.System);
    }

    public PocketSphinxOptions Settings { get; }

    public PocketSphinxDecoderPool Pool { get; }

    public PocketSphinxSpeechToText SpeechToText { get; }

    /// <summary>Wall time of the warm-up: loading the first decoder (models, dictionary) from disk.</summary>
    public TimeSpan WarmUpTime { get; private set; }

    public async Task InitializeAsync()
    {
        long started = Stopwatch.GetTimestamp();
        await Pool.WarmUpAsync(CancellationToken.None);
        WarmUpTime = Stopwatch.GetElapsedTime(started);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Pool.Dispose();
}
