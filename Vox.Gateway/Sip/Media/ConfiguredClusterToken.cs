namespace Vox.Gateway.Sip.Media;

/// <summary>The cluster token from configuration (<c>Cluster:Token</c>), for hosts that do not generate one.</summary>
public sealed class ConfiguredClusterToken(string value) : IClusterTokenSource
{
    /// <inheritdoc />
    public string Value { get; } = value;
}
