using System.Security.Claims;

namespace Vox.Gateway.Api.Authentication;

/// <summary>Reads the <see cref="ApiCaller"/> that <see cref="ApiKeyAuthenticationHandler"/> put on the principal.</summary>
internal static class ClaimsPrincipalExtensions
{
    /// <summary>The caller; only called behind the tenant policy, so a missing claim is a wiring bug.</summary>
    public static ApiCaller GetCaller(this ClaimsPrincipal user) =>
        user.FindFirstValue(ApiKeyDefaults.TenantIdClaim) is { } tenantId && user.FindFirstValue(ApiKeyDefaults.KeyIdClaim) is { } keyId
            ? new ApiCaller(tenantId, keyId, user.HasClaim(ApiKeyDefaults.AdminClaim, "true"))
            : throw new InvalidOperationException("The endpoint ran without an authenticated API key: it must sit behind the tenant policy.");
}
