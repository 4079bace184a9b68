namespace Vox.Gateway.Api.Contracts;

/// <summary>Body of <c>POST /v1/tenants</c>.</summary>
public sealed record CreateTenantRequest
{
    /// <summary>Display name, 1-200 characters.</summary>
    public required string Name { get; init; }

    /// <summary>Most calls the tenant may have at once; none means no cap.</summary>
    public int? MaxConcurrentCalls { get; init; }
}
