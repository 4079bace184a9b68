using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Grains.Store;

namespace Vox.Grains;

/// <summary>The silo's <see cref="IGrainFactory"/>: grains are light objects over the shared store, made per call.</summary>
public sealed class StoreGrainFactory(IGrainStore store, IOptions<CapacityOptions> capacity, ILoggerFactory loggers) : IGrainFactory
{
    // One per process (the factory is a singleton), so concurrent reservations of a pool share its group commit.
    private readonly ReservationBatcher _reservations = new(store, capacity.Value, loggers.CreateLogger<ReservationBatcher>());

    /// <inheritdoc />
    public TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        object grain = typeof(TGrain) switch
        {
            var t when t == typeof(ICapacityGrain) => new CapacityGrain(key, store, capacity.Value, _reservations, loggers.CreateLogger<CapacityGrain>()),
            var t when t == typeof(ICallGrain) => new CallGrain(key, store, loggers.CreateLogger<CallGrain>()),
            var t when t == typeof(IBotGrain) => new BotGrain(key, store),
            _ => throw new ArgumentException($"No grain implements {typeof(TGrain).Name}.", nameof(TGrain)),
        };
        return (TGrain)grain;
    }
}
