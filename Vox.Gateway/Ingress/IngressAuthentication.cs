using Vox.Grains.Bots;

namespace Vox.Gateway.Ingress;

/// <summary>The outcome of authenticating an ingress request: the bot when accepted, else the HTTP status and why.</summary>
public sealed record IngressAuthentication(BotRuntimeConfig? Bot, int StatusCode, string Reason)
{
    /// <summary>True when the request may open a call to <see cref="Bot"/>.</summary>
    public bool Succeeded => Bot is not null;
}
