namespace Vox.Gateway.Api.Contracts;

/// <summary>Body of <c>PATCH /v1/tenants/{id}</c>.</summary>
public sealed record UpdateTenantRequest
{
    /// <summary>The new concurrency cap; <c>null</c> removes it. Required, so an empty patch is not taken for "no cap".</summary>
    public required int? MaxConcurrentCalls { get; init; }
}
