namespace Vox.Grains.Trunks;

/// <summary>Fields to create or replace a stored SIP trunk.</summary>
public sealed record SipTrunkInput
{
    /// <summary>Name phone numbers, calls and campaigns refer to it by: 1-64 letters, digits, '_' or '-', unique in the tenant.</summary>
    public required string Name { get; init; }

    /// <summary>The carrier's proxy or the PBX as <c>host</c> or <c>host:port</c> (port 5060 when left out).</summary>
    public required string Address { get; init; }

    /// <summary><c>udp</c> (default) or <c>tcp</c>.</summary>
    public string? Transport { get; init; }

    /// <summary>Host for the Request-URI of outbound calls when it differs from the address's host.</summary>
    public string? Domain { get; init; }

    /// <summary>IP addresses or CIDR ranges inbound calls may come from; empty allows any.</summary>
    public IReadOnlyList<string>? AllowedSources { get; init; }

    /// <summary>Digest user name, when the trunk challenges.</summary>
    public string? Username { get; init; }

    /// <summary>Digest password; write-only. On a replace, left out keeps the stored one and <c>""</c> removes it.</summary>
    public string? Password { get; init; }
}
