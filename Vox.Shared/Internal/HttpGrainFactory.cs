using System.Collections.Concurrent;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;

namespace Vox.Grains.Internal;

/// <summary>The worker's <see cref="IGrainFactory"/>: every grain is reached through the silo's internal API.</summary>
/// <remarks>Reservations of one pool made through this factory share one queue, so concurrent ones travel as a batch.</remarks>
public sealed class HttpGrainFactory(ClusterHttpClient client) : IGrainFactory
{
    private readonly ConcurrentDictionary<string, GroupCommitQueue<ReservationRequest, ReservationResult>> _reservations = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public TGrain GetGrain<TGrain>(string key) where TGrain : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        object grain = typeof(TGrain) switch
        {
            var t when t == typeof(ICapacityGrain) => new HttpCapacityGrain(client, key, _reservations.GetOrAdd(key, pool => HttpCapacityGrain.ReservationQueue(client, pool))),
            var t when t == typeof(ICallGrain) => new HttpCallGrain(client, key),
            var t when t == typeof(IBotGrain) => new HttpBotGrain(client, key),
            _ => throw new ArgumentException($"{typeof(TGrain).Name} is not served by the internal API.", nameof(TGrain)),
        };
        return (TGrain)grain;
    }
}
