namespace Vox.Dashboard.Authentication;

/// <summary>Names of the dashboard's cookie scheme, its claims and policies.</summary>
public static class DashboardAuth
{
    /// <summary>The cookie scheme; only <c>/dashboard</c> endpoints use it.</summary>
    public const string Scheme = "VoxDashboard";

    /// <summary>Any signed-in operator.</summary>
    public const string OperatorPolicy = "VoxDashboardOperator";

    /// <summary>Cluster admins only.</summary>
    public const string AdminPolicy = "VoxDashboardAdmin";

    /// <summary>Claim: the tenant the operator belongs to.</summary>
    public const string TenantClaim = "vox:tenant_id";

    /// <summary>Claim: the API key id, or <c>user:NAME</c> for a configured credential.</summary>
    public const string KeyClaim = "vox:key_id";

    /// <summary>Claim with value <c>true</c> for cluster admins.</summary>
    public const string AdminClaim = "vox:admin";

    /// <summary>Header carrying the antiforgery request token on state-changing requests.</summary>
    public const string AntiforgeryHeader = "X-Vox-Csrf";

    /// <summary>Path prefix of the dashboard.</summary>
    public const string BasePath = "/dashboard";
}
