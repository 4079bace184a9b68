namespace Vox.Grains.Bots;

/// <summary>
/// Per-bot ingress secrets: what a carrier or browser presents (Basic auth password or the key of a signed token) to open a
/// call to the bot over WebSocket. One secret per bot; setting a new one rotates it (the old one stops working at once).
/// </summary>
public interface IIngressSecretStore
{
    /// <summary>The bot's current secret, or null when none was ever created (its ingress refuses every call).</summary>
    Task<string?> GetAsync(string botId, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="secret"/> as the bot's secret, replacing any earlier one.</summary>
    Task SetAsync(string botId, string secret, CancellationToken cancellationToken);
}
