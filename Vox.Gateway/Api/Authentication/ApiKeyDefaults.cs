namespace Vox.Gateway.Api.Authentication;

/// <summary>Names shared by the API-key scheme, its claims and the policies built on it.</summary>
public static class ApiKeyDefaults
{
    /// <summary>The authentication scheme that reads <c>Authorization: Bearer</c> or <c>X-Api-Key</c>.</summary>
    public const string Scheme = "VoxApiKey";

    /// <summary>Policy for any valid key: every <c>/v1</c> endpoint.</summary>
    public const string TenantPolicy = "VoxTenant";

    /// <summary>Policy for admin keys only (<c>/v1/tenants</c>).</summary>
    public const string AdminPolicy = "VoxAdmin";

    /// <summary>Claim holding the tenant the key belongs to.</summary>
    public const string TenantIdClaim = "vox:tenant_id";

    /// <summary>Claim holding the key's id (never the secret).</summary>
    public const string KeyIdClaim = "vox:key_id";

    /// <summary>Claim present with value <c>true</c> on admin keys.</summary>
    public const string AdminClaim = "vox:admin";

    /// <summary>The alternative header to <c>Authorization: Bearer</c>.</summary>
    public const string ApiKeyHeader = "X-Api-Key";
}
