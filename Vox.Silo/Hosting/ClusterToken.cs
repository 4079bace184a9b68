using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Vox.Gateway.Sip.Media;
using Vox.Grains.Cluster;

namespace Vox.Silo.Hosting;

/// <summary>The cluster token the internal API demands: configured, or generated once per store so all silos agree.</summary>
public sealed class ClusterToken(IOptions<ClusterOptions> options, ClusterSettings settings) : IClusterTokenSource
{
    private byte[] _expected = [];

    /// <summary>The token in force (after <see cref="InitializeAsync"/>).</summary>
    public string Value { get; private set; } = "";

    /// <summary>True when the token came from the store rather than configuration.</summary>
    public bool Generated { get; private set; }

    /// <summary>Loads or creates the token.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var configured = options.Value.Token;
        Generated = string.IsNullOrEmpty(configured);
        Value = Generated
            ? await settings.GetOrCreateAsync("cluster_token", () => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), cancellationToken)
            : configured;
        _expected = Encoding.UTF8.GetBytes(Value);
    }

    /// <summary>Constant-time check of a presented token.</summary>
    public bool Matches(string? presented) =>
        presented is not null && _expected.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _expected);
}
