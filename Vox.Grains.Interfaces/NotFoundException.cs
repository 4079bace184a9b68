namespace Vox.Grains;

/// <summary>The entity does not exist, or belongs to another tenant (never distinguished, so ids do not leak).</summary>
public sealed class NotFoundException(string entity, string id)
    : VoxException("not_found", $"{entity} '{id}' was not found.")
{
    /// <summary>The kind of entity, e.g. <c>bot</c>.</summary>
    public string Entity { get; } = entity;
}
