namespace Vox.Grains.Trunks;

/// <summary>SIP trunks tenants store through the API (<c>/v1/sip-trunks</c>); the operator's own are in <c>Sip:Trunks</c>.</summary>
public interface ISipTrunkCatalog
{
    /// <summary>Adds a trunk; a conflict when the tenant has one of that name; a password needs <c>Secrets:Key</c>.</summary>
    Task<SipTrunk> CreateAsync(string tenantId, SipTrunkInput input, CancellationToken cancellationToken);

    /// <summary>Replaces a trunk's fields (a password left out is kept).</summary>
    Task<SipTrunk> UpdateAsync(string tenantId, string id, SipTrunkInput input, CancellationToken cancellationToken);

    /// <summary>One trunk, or <see cref="NotFoundException"/>.</summary>
    Task<SipTrunk> GetAsync(string tenantId, string id, CancellationToken cancellationToken);

    /// <summary>The tenant's trunks, newest first.</summary>
    Task<Page<SipTrunk>> ListAsync(string tenantId, int limit, string? cursor, CancellationToken cancellationToken);

    /// <summary>Removes a trunk.</summary>
    Task DeleteAsync(string tenantId, string id, CancellationToken cancellationToken);

    /// <summary>
    /// The tenant's trunk called <paramref name="name"/>, or null; with no name, the tenant's oldest trunk (its default).
    /// The password is decrypted only when <paramref name="withPassword"/> (dialling); checks that need only the
    /// address or the allowed sources leave it sealed.
    /// </summary>
    Task<SipTrunkCredentials?> FindAsync(string tenantId, string? name, bool withPassword, CancellationToken cancellationToken);
}
