namespace Vox.Gateway.Api.Authentication;

/// <summary>Who a request acts as, from its API key: every query is scoped to <see cref="TenantId"/>.</summary>
internal sealed record ApiCaller(string TenantId, string KeyId, bool IsAdmin);
