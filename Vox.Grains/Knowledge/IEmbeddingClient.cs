namespace Vox.Grains.Knowledge;

/// <summary>Turns texts into vectors for hybrid ranking.</summary>
public interface IEmbeddingClient
{
    /// <summary>One vector per text, in order.</summary>
    Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}
