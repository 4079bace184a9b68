using System.Security.Claims;

namespace Vox.Dashboard.Authentication;

/// <summary>Who is signed in: every query is scoped to <see cref="TenantId"/> unless <see cref="IsAdmin"/>.</summary>
public sealed record DashboardUser(string TenantId, string KeyId, bool IsAdmin)
{
    /// <summary>The tenant to scope call queries to: null (every tenant) for admins.</summary>
    public string? Scope => IsAdmin ? null : TenantId;

    /// <summary>Reads the user from a principal signed in by the dashboard; null when it is not.</summary>
    public static DashboardUser? From(ClaimsPrincipal principal) =>
        principal.FindFirstValue(DashboardAuth.TenantClaim) is { } tenant && principal.FindFirstValue(DashboardAuth.KeyClaim) is { } key
            ? new DashboardUser(tenant, key, principal.HasClaim(DashboardAuth.AdminClaim, "true"))
            : null;

    /// <summary>The user of an endpoint behind the operator policy.</summary>
    public static DashboardUser Of(ClaimsPrincipal principal) =>
        From(principal) ?? throw new InvalidOperationException("A dashboard endpoint ran without a signed-in user: it must sit behind the operator policy.");

    /// <summary>The principal stored in the session cookie.</summary>
    public ClaimsPrincipal ToPrincipal() => new(new ClaimsIdentity(
        [new Claim(DashboardAuth.TenantClaim, TenantId), new Claim(DashboardAuth.KeyClaim, KeyId), new Claim(DashboardAuth.AdminClaim, IsAdmin ? "true" : "false")],
        DashboardAuth.Scheme));
}
