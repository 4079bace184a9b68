namespace Vox.Grains.Bots;

/// <summary>One bot's versioned configuration. Tenant-scoped operations treat another tenant's bot as not found.</summary>
public interface IBotGrain : IGrainWithStringKey
{
    /// <summary>Creates the bot at version 1; a conflict if the id exists.</summary>
    Task<BotRecord> CreateAsync(string tenantId, BotDefinition definition, CancellationToken cancellationToken);

    /// <summary>Replaces the definition and bumps the version; when <paramref name="expectedVersion"/> is given it must match.</summary>
    Task<BotRecord> UpdateAsync(string tenantId, BotDefinition definition, int? expectedVersion, CancellationToken cancellationToken);

    /// <summary>The bot, or <see cref="NotFoundException"/> when missing, deleted or another tenant's.</summary>
    Task<BotRecord> GetAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Soft-deletes the bot (past calls keep pointing at it).</summary>
    Task DeleteAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>The snapshot a worker fetches at call start (cluster-internal, not tenant-scoped).</summary>
    Task<BotRuntimeConfig> GetRuntimeConfigAsync(CancellationToken cancellationToken);
}
