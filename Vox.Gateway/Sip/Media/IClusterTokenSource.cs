namespace Vox.Gateway.Sip.Media;

/// <summary>The cluster token the gateway presents to workers' internal endpoints (the silo provides it).</summary>
public interface IClusterTokenSource
{
    /// <summary>The token in force.</summary>
    string Value { get; }
}
