namespace Vox.Grains.Calls;

/// <summary>Listing and filtering of a tenant's calls.</summary>
public interface ICallCatalog
{
    /// <summary>The tenant's calls matching <paramref name="query"/>, newest first.</summary>
    Task<Page<CallRecord>> ListAsync(string tenantId, CallQuery query, CancellationToken cancellationToken);
}
