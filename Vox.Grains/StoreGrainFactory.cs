using Microsoft.Extensions.Logging;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Grains.Store;

namespace Vox.Grains;

/// <summary>
/// The silo's <see cref="IGrainFactory"/>: Orleans grains (a pool's <see cref="ICapacityGrain"/>) are Orleans references;
/// the grains not moved onto Orleans yet (calls, bots) are light objects over the shared store, made per call.
/// </summary>
/// <remarks><paramref name="orleans"/> may be null in a host without an Orleans silo (store tests); it then serves only the store's grains.</remarks>
public sealed partial class StoreGrainFactory(IGrainStore store, Orleans.IGrainFactory? orleans, ILoggerFactory loggers, string defaultPool = "default") : IGrainFactory
{
    private readonly ILogger<StoreGrainFactory> _logger = loggers.CreateLogger<StoreGrainFactory>();

    /// <inheritdoc />
    public TGrain GetGrain<TGrain>(string key) where TGrain : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        object grain = typeof(TGrain) switch
        {
            var t when t == typeof(ICapacityGrain) => (orleans ?? throw new InvalidOperationException(
                "A pool's capacity grain lives on Orleans; this host runs no Orleans silo.")).GetGrain<ICapacityGrain>(key),
            var t when t == typeof(ICallGrain) => new CallGrain(key, store, ReleaseWorkerAsync, loggers.CreateLogger<CallGrain>()),
            var t when t == typeof(IBotGrain) => new BotGrain(key, store),
            _ => throw new ArgumentException($"No grain implements {typeof(TGrain).Name}.", nameof(TGrain)),
        };
        return (TGrain)grain;
    }

    // Frees the slot an ended call held, in the pool of the worker it ran on (or the default pool, where a call whose
    // media never attached was reserved). Releasing a call a pool does not hold does nothing, so this is safe to repeat.
    // A release that fails is logged, not thrown: the call has ended, and the worker's heartbeats free a slot it no
    // longer carries.
    private async Task ReleaseWorkerAsync(string callId, CancellationToken cancellationToken)
    {
        if (orleans is null)
        {
            return;
        }

        try
        {
            var pools = (await store.ReadAsync((connection, ct) => Dapper.SqlMapper.QueryAsync<string>(connection, new Dapper.CommandDefinition(
                "SELECT DISTINCT w.pool FROM calls c JOIN workers w ON w.worker_id = c.worker_id WHERE c.id = @Id", new { Id = callId }, cancellationToken: ct)),
                cancellationToken).ConfigureAwait(false)).ToList();
            foreach (var pool in pools.Count > 0 ? pools : [defaultPool])
            {
                await orleans.GetGrain<ICapacityGrain>(pool).ReleaseAsync(callId, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReleaseFailed(_logger, ex, callId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} ended but its worker slot could not be released now; the worker's heartbeats free it")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string callId);
}
