namespace Vox.Grains.Trunks;

/// <summary>A tenant's stored SIP trunk; its password is never part of it (<see cref="HasPassword"/> says whether one is set).</summary>
public sealed record SipTrunk(
    string Id,
    string TenantId,
    string Name,
    string Address,
    string Transport,
    string? Domain,
    IReadOnlyList<string> AllowedSources,
    string? Username,
    bool HasPassword,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A stored trunk with its decrypted digest password, for the gateway that places or checks calls through it.</summary>
public sealed record SipTrunkCredentials(SipTrunk Trunk, string? Password);
