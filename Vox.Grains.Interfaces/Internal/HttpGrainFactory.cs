using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;

namespace Vox.Grains.Internal;

/// <summary>The worker's <see cref="IGrainFactory"/>: every grain is reached through the silo's internal API.</summary>
public sealed class HttpGrainFactory(ClusterHttpClient client) : IGrainFactory
{
    /// <inheritdoc />
    public TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        object grain = typeof(TGrain) switch
        {
            var t when t == typeof(ICapacityGrain) => new HttpCapacityGrain(client, key),
            var t when t == typeof(ICallGrain) => new HttpCallGrain(client, key),
            var t when t == typeof(IBotGrain) => new HttpBotGrain(client, key),
            _ => throw new ArgumentException($"{typeof(TGrain).Name} is not served by the internal API.", nameof(TGrain)),
        };
        return (TGrain)grain;
    }
}
