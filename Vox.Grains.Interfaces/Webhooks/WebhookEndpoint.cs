namespace Vox.Grains.Webhooks;

/// <summary>A URL of a tenant's that receives signed events; the signing secret is never part of it.</summary>
/// <param name="Id">The endpoint's id, <c>whk_…</c>.</param>
/// <param name="TenantId">The owning tenant.</param>
/// <param name="Url">Where events are POSTed.</param>
/// <param name="EventTypes">The event types it receives (<see cref="WebhookEventTypes"/>; <c>*</c> for all).</param>
/// <param name="Enabled">False pauses it: no new deliveries are queued and queued ones wait.</param>
/// <param name="Description">Operator's note.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record WebhookEndpoint(
    string Id,
    string TenantId,
    string Url,
    IReadOnlyList<string> EventTypes,
    bool Enabled,
    string? Description,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
