namespace Vox.Grains.Idempotency;

/// <summary>Answer to <see cref="IIdempotencyStore.TryBeginAsync"/>; the response fields are set only for <see cref="IdempotencyStatus.Replay"/>.</summary>
public sealed record IdempotencyClaim(IdempotencyStatus Status, int? StatusCode = null, string? ContentType = null, string? Body = null);
