namespace Vox.Grains.Secrets;

/// <summary>A stored secret's name and when it last changed (never its value).</summary>
public sealed record TenantSecretInfo(string Name, DateTimeOffset UpdatedAt);
