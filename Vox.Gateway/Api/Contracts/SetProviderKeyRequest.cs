namespace Vox.Gateway.Api.Contracts;

/// <summary>Body of <c>PUT /v1/provider-keys/{name}</c>: the key, stored encrypted and never returned.</summary>
public sealed record SetProviderKeyRequest(string Value);
