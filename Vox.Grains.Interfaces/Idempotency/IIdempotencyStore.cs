namespace Vox.Grains.Idempotency;

/// <summary>Remembers the response to a POST sent with an <c>Idempotency-Key</c>, per tenant, so a retry replays it.</summary>
public interface IIdempotencyStore
{
    /// <summary>Claims the key for this request, or tells why the request must not run (replay, in flight, different body).</summary>
    Task<IdempotencyClaim> TryBeginAsync(string tenantId, string key, string requestFingerprint, CancellationToken cancellationToken);

    /// <summary>Stores the response for the claimed key.</summary>
    Task CompleteAsync(string tenantId, string key, int statusCode, string? contentType, string body, CancellationToken cancellationToken);

    /// <summary>Drops the claim (the request failed before a response worth replaying).</summary>
    Task AbandonAsync(string tenantId, string key, CancellationToken cancellationToken);
}
