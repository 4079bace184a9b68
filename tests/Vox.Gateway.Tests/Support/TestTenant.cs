namespace Vox.Gateway.Tests.Support;

/// <summary>A tenant made for a test, with its key and a client that sends it.</summary>
public sealed record TestTenant(string Id, string Key, string KeyId, HttpClient Client);
