namespace Vox.Grains.Idempotency;

/// <summary>What to do with a request that carries an idempotency key.</summary>
public enum IdempotencyStatus
{
    /// <summary>First use: run the request and store its response.</summary>
    Started,
    /// <summary>Seen and finished: replay the stored response.</summary>
    Replay,
    /// <summary>Seen and still running: ask the client to retry later.</summary>
    InProgress,
    /// <summary>Seen with a different request body: refuse.</summary>
    Mismatch,
}
