namespace Vox.Grains.Webhooks;

/// <summary>A newly created endpoint and its signing secret, returned this once.</summary>
public sealed record CreatedWebhookEndpoint(WebhookEndpoint Endpoint, string Secret);
