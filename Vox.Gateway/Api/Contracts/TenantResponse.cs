using Vox.Grains.Tenants;

namespace Vox.Gateway.Api.Contracts;

/// <summary>A tenant (admin view).</summary>
public sealed record TenantResponse(string Id, string Name, int? MaxConcurrentCalls, DateTimeOffset CreatedAt)
{
    internal static TenantResponse From(Tenant tenant) => new(tenant.Id, tenant.Name, tenant.MaxConcurrentCalls, tenant.CreatedAt);
}
