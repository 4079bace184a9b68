using Vox.Grains.Trunks;

namespace Vox.Gateway.Api.Contracts;

/// <summary>A SIP trunk as the API returns it: never the password, only whether one is set.</summary>
public sealed record SipTrunkResponse(
    string Id, string Name, string Address, string Transport, string? Domain, IReadOnlyList<string> AllowedSources, string? Username, bool HasPassword,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The response for <paramref name="trunk"/>.</summary>
    public static SipTrunkResponse From(SipTrunk trunk) =>
        new(trunk.Id, trunk.Name, trunk.Address, trunk.Transport, trunk.Domain, trunk.AllowedSources, trunk.Username, trunk.HasPassword, trunk.CreatedAt, trunk.UpdatedAt);
}
