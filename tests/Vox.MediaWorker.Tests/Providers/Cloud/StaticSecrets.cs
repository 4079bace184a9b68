using Vox.Grains.Secrets;

namespace Vox.MediaWorker.Tests.Providers.Cloud;

/// <summary>Tenant secrets held in memory; records which tenants were asked for.</summary>
internal sealed class StaticSecrets(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> byTenant) : ITenantSecretSource
{
    public List<string> Asked { get; } = [];

    public Task<TenantSecretSet> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        Asked.Add(tenantId);
        return Task.FromResult(byTenant.TryGetValue(tenantId, out var values) ? new TenantSecretSet(values) : TenantSecretSet.Empty);
    }
}
