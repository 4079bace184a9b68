using Microsoft.Extensions.Options;
using Vox.Grains.Trunks;

namespace Vox.Gateway.Sip;

/// <summary>
/// Finds the trunk a call goes through or comes from: the tenant's stored trunk of that name (<c>/v1/sip-trunks</c>)
/// first, then the operator's configured one (<c>Sip:Trunks</c>). With no name, the first configured trunk, else the
/// tenant's oldest stored one.
/// </summary>
public sealed class SipTrunkDirectory(IOptions<SipOptions> options, ISipTrunkCatalog catalog)
{
    /// <summary>
    /// The trunk, or null when neither the tenant nor the configuration has it. A stored trunk's password is decrypted
    /// only <paramref name="forDialling"/>; checking a name or the allowed sources does not need it.
    /// </summary>
    public async Task<ResolvedTrunk?> ResolveAsync(string tenantId, string? name, CancellationToken cancellationToken, bool forDialling = false)
    {
        var configured = options.Value.Trunks;
        if (name is not null || configured.Count == 0)
        {
            if (await catalog.FindAsync(tenantId, name, forDialling, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                var trunk = stored.Trunk;
                return new ResolvedTrunk(trunk.Name, new SipTrunkOptions
                {
                    Address = trunk.Address,
                    Transport = trunk.Transport,
                    Domain = trunk.Domain ?? "",
                    AllowedSources = [.. trunk.AllowedSources],
                    Username = trunk.Username,
                    Password = stored.Password,
                }, Stored: true);
            }
        }

        if (name is null)
        {
            return configured.Count > 0 ? new ResolvedTrunk(configured.Keys.First(), configured.Values.First(), Stored: false) : null;
        }

        return configured.TryGetValue(name, out var fromConfig) ? new ResolvedTrunk(name, fromConfig, Stored: false) : null;
    }

    /// <summary>Why a trunk name does not resolve, naming what the tenant could use.</summary>
    public async Task<string> UnknownAsync(string tenantId, string? name, CancellationToken cancellationToken)
    {
        var stored = (await catalog.ListAsync(tenantId, 50, null, cancellationToken).ConfigureAwait(false)).Items.Select(t => t.Name);
        var names = stored.Concat(options.Value.Trunks.Keys).Distinct(StringComparer.Ordinal).ToList();
        return names.Count == 0
            ? "No SIP trunk: add one with POST /v1/sip-trunks (or the operator configures Sip:Trunks)."
            : $"Unknown trunk{(name is null ? "" : $" '{name}'")}; available: {string.Join(", ", names)}.";
    }
}

/// <summary>A trunk found by <see cref="SipTrunkDirectory"/>; <paramref name="Stored"/> when a tenant added it (its address passes the egress policy).</summary>
public sealed record ResolvedTrunk(string Name, SipTrunkOptions Options, bool Stored);
