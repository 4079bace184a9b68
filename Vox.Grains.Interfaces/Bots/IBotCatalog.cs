namespace Vox.Grains.Bots;

/// <summary>Listing of a tenant's bots (queries across bot grains).</summary>
public interface IBotCatalog
{
    /// <summary>The tenant's bots, newest first, <paramref name="limit"/> per page.</summary>
    Task<Page<BotRecord>> ListAsync(string tenantId, int limit, string? cursor, CancellationToken cancellationToken);
}
