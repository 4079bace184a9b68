using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vox.MediaWorker.Providers.Tts.Offline;

namespace Vox.MediaWorker.Tests.Providers;

/// <summary>The one espeak-ng engine of the test run. If libespeak-ng is missing, every test using it fails with the install hint.</summary>
public sealed class EspeakEngineFixture : IDisposable
{
    public EspeakEngineFixture()
    {
        Engine = new EspeakEngine(Options.Create(new EspeakOptions()), NullLogger<EspeakEngine>.Instance);
        TextToSpeech = new EspeakTextToSpeech(Engine);
    }

    public EspeakEngine Engine { get; }

    public EspeakTextToSpeech TextToSpeech { get; }

    public void Dispose() => Engine.Dispose();
}
