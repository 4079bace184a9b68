namespace Vox.Grains;

/// <summary>Marker for grains addressed by a string key, as in Orleans.</summary>
public interface IGrainWithStringKey
{
    /// <summary>The grain's key (pool name, bot id, call id).</summary>
    string Key { get; }
}
