namespace Vox.Grains.Tenants;

/// <summary>Who a request acts as: a tenant, through one key, maybe with admin rights.</summary>
public sealed record ApiPrincipal(string TenantId, string KeyId, bool IsAdmin);
