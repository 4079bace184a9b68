using Vox.Grains.Store;

namespace Vox.Grains.Calls;

/// <summary>Lists a tenant's calls with filters, newest first, by keyset paging.</summary>
public sealed class CallCatalog(IGrainStore store) : ICallCatalog
{
    /// <inheritdoc />
    public Task<Page<CallRecord>> ListAsync(string tenantId, CallQuery query, CancellationToken cancellationToken) =>
        new CallListing(tenantId, false, query.State, query.BotId, query.Direction, query.Number, query.CreatedAfter, query.CreatedBefore, query.Cursor, query.Limit)
            .ReadAsync(store, cancellationToken);
}
