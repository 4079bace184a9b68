namespace Vox.Grains.Cluster;

/// <summary>Who this silo is: a fresh id per process, so a restarted silo is a new member.</summary>
public sealed class SiloIdentity
{
    /// <summary>The silo's id, e.g. <c>silo_0193…</c>.</summary>
    public string SiloId { get; } = Ids.New("silo");
}
