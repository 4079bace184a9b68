namespace Vox.Silo.Hosting;

/// <summary>The <c>Cluster</c> section.</summary>
public sealed class ClusterOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Cluster";

    /// <summary>Token workers present to the internal API; empty means one generated once and kept in the store.</summary>
    public string Token { get; set; } = "";
}
