namespace Vox.Grains;

/// <summary>Resolves a grain reference by interface and key: in the silo backed by the store, in a worker by the internal HTTP API.</summary>
public interface IGrainFactory
{
    /// <summary>Returns the grain of type <typeparamref name="TGrain"/> with <paramref name="key"/>.</summary>
    TGrain GetGrain<TGrain>(string key) where TGrain : class;
}
