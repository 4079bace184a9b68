namespace Vox.Grains;

/// <summary>A failure the caller caused and can act on; carries a stable error code.</summary>
public class VoxException(string code, string message) : Exception(message)
{
    /// <summary>Stable machine-readable code, e.g. <c>not_found</c>.</summary>
    public string Code { get; } = code;
}
