namespace Vox.Gateway.Ingress;

/// <summary>A bot's new ingress secret (shown once) and the ready-made URLs for each carrier, with tokens valid until <see cref="TokensExpireAt"/>.</summary>
public sealed record IngressSecretResponse(string BotId, string Secret, DateTimeOffset TokensExpireAt, IngressUrls Urls);
