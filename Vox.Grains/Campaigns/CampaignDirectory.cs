using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.Grains.Capacity;
using Vox.Grains.Cluster;
using Vox.Grains.Store;

namespace Vox.Grains.Campaigns;

/// <summary>Makes campaign grains (light objects over the store) and serves the tenant's campaign list and do-not-call list.</summary>
public sealed class CampaignDirectory(
    IGrainStore store,
    IGrainFactory grains,
    ICampaignDialer dialer,
    IReminderRegistry reminders,
    IOptions<CampaignOptions> options,
    IOptions<CapacityOptions> capacity,
    TimeProvider time,
    ILoggerFactory loggers) : ICampaignDirectory
{
    /// <inheritdoc />
    public ICampaignGrain GetCampaign(string campaignId) => Create(campaignId);

    /// <summary>The concrete grain, for callers that drive the lease by hand (tests, the ticker).</summary>
    public CampaignGrain Create(string campaignId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(campaignId);
        return new CampaignGrain(campaignId, store, grains, dialer, reminders, options.Value, capacity.Value, time, loggers.CreateLogger<CampaignGrain>());
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CampaignRecord>> ListAsync(string tenantId, int limit, CancellationToken cancellationToken) =>
        store.ReadAsync<IReadOnlyList<CampaignRecord>>(async (connection, ct) => (await connection.QueryAsync<CampaignRow>(new CommandDefinition(
            $"SELECT {CampaignRow.Columns} FROM campaigns WHERE tenant_id = @TenantId ORDER BY created_at DESC, id DESC LIMIT @Limit",
            new { TenantId = tenantId, Limit = limit }, cancellationToken: ct)).ConfigureAwait(false)).Select(r => r.ToRecord()).ToList(), cancellationToken);

    /// <inheritdoc />
    public Task<int> AddDoNotCallAsync(string tenantId, IReadOnlyList<string> phones, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) =>
        {
            var added = 0;
            foreach (var phone in phones.Distinct(StringComparer.Ordinal))
            {
                added += await connection.ExecuteAsync(new CommandDefinition(store.Sql(
                    "INSERT INTO do_not_call (tenant_id, phone, created_at) VALUES (@TenantId, @Phone, {now}) ON CONFLICT (tenant_id, phone) DO NOTHING"),
                    new { TenantId = tenantId, Phone = phone }, transaction, cancellationToken: ct)).ConfigureAwait(false);
            }

            return added;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> RemoveDoNotCallAsync(string tenantId, string phone, CancellationToken cancellationToken) =>
        store.WriteAsync(async (connection, transaction, ct) => await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM do_not_call WHERE tenant_id = @TenantId AND phone = @Phone", new { TenantId = tenantId, Phone = phone }, transaction, cancellationToken: ct))
            .ConfigureAwait(false) == 1, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListDoNotCallAsync(string tenantId, CancellationToken cancellationToken) =>
        store.ReadAsync<IReadOnlyList<string>>(async (connection, ct) => (await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT phone FROM do_not_call WHERE tenant_id = @TenantId ORDER BY phone", new { TenantId = tenantId }, cancellationToken: ct)).ConfigureAwait(false)).ToList(),
            cancellationToken);
}
