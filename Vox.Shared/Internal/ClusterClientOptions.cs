namespace Vox.Grains.Internal;

/// <summary>Where a worker finds the silo's internal API and the token that opens it.</summary>
public sealed class ClusterClientOptions
{
    /// <summary>Base URL of any silo, e.g. <c>http://127.0.0.1:5080</c>.</summary>
    public string SiloUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>The cluster token (from configuration or environment, never committed).</summary>
    public string ClusterToken { get; set; } = "";
}
