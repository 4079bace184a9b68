namespace Vox.MediaWorker.Tests.Providers;

/// <summary>
/// Tests on the native offline speech stack share one espeak-ng engine (the library is process-global) and one
/// pocketsphinx pool, and run one at a time: the two CPU cores are better spent on one recogniser than split.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OfflineSpeechCollection : ICollectionFixture<EspeakEngineFixture>, ICollectionFixture<PocketSphinxFixture>
{
    public const string Name = "Offline speech";
}
