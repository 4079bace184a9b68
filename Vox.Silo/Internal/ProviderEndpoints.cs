using Vox.Grains.Internal;
using Vox.Grains.Knowledge;
using Vox.Grains.Secrets;

namespace Vox.Silo.Internal;

/// <summary>Internal API for the worker running a tenant's call: its decrypted secrets, and search in its knowledge bases.</summary>
public static class ProviderEndpoints
{
    /// <summary>Maps <c>/internal/v1/tenants/{tenantId}/secrets</c> and <c>/internal/v1/tenants/{tenantId}/knowledge/{kbId}/search</c>.</summary>
    public static RouteGroupBuilder MapProviderEndpoints(this RouteGroupBuilder group)
    {
        var tenant = group.MapGroup("/tenants/{tenantId}");
        tenant.MapGet("/secrets", GetSecretsAsync);
        tenant.MapPost("/knowledge/{knowledgeBaseId}/search", SearchAsync);
        return group;
    }

    private static async Task<IReadOnlyDictionary<string, string>> GetSecretsAsync(string tenantId, ITenantSecrets secrets, CancellationToken ct) =>
        (await secrets.RevealAsync(tenantId, ct)).Values;

    private static Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string tenantId, string knowledgeBaseId, KnowledgeSearchRequest request, IKnowledgeSearch knowledge, CancellationToken ct) =>
        knowledge.SearchAsync(tenantId, knowledgeBaseId, request.Query, request.TopK, ct);
}
