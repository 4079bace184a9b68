using Vox.Grains.Secrets;
using Vox.MediaWorker.Providers.Llm;
using Vox.MediaWorker.Providers.Stt;
using Vox.MediaWorker.Providers.Tts;

namespace Vox.MediaWorker.Calls;

/// <summary>The three providers one call runs with, and the tenant secrets its tools may use.</summary>
public sealed record ProviderSet(ISpeechToText Stt, ILanguageModel Llm, ITextToSpeech Tts) : IAsyncDisposable
{
    /// <summary>The tenant's secrets (tool headers); never logged (its ToString names keys only).</summary>
    public TenantSecretSet Secrets { get; init; } = TenantSecretSet.Empty;

    /// <summary>Releases per-call connections (TTS sockets opened ahead).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var provider in new object[] { Stt, Llm, Tts }.Distinct())
        {
            if (provider is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
