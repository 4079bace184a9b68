namespace Vox.Grains.Calls;

/// <summary>
/// One call's record and lifecycle (<c>queued -> ringing -> in_progress -> ended</c>). Completion happens
/// exactly once: a repeated result with the same id is acknowledged, a different one is refused.
/// </summary>
public interface ICallGrain : IGrainWithStringKey
{
    /// <summary>Creates the call record; repeating the same start is harmless.</summary>
    Task<CallRecord> StartAsync(CallStart start, CancellationToken cancellationToken);

    /// <summary>Moves the call forward (ringing, in progress); moving backwards or out of ended is a conflict.</summary>
    Task<CallRecord> TransitionAsync(CallState state, string? workerId, CancellationToken cancellationToken);

    /// <summary>Appends timeline events.</summary>
    Task AppendEventsAsync(IReadOnlyList<CallEventInput> events, CancellationToken cancellationToken);

    /// <summary>Appends transcript turns (a turn with a sequence number already stored is ignored).</summary>
    Task AppendTurnsAsync(IReadOnlyList<TranscriptTurn> turns, CancellationToken cancellationToken);

    /// <summary>Ends the call with its post-call result, once per result id.</summary>
    Task<CompletionOutcome> CompleteAsync(CallResult result, CancellationToken cancellationToken);

    /// <summary>Ends the call without a result (refused, failed to connect, lost); no-op if already ended.</summary>
    Task<CallRecord> EndAsync(string endReason, string? detail, CancellationToken cancellationToken);

    /// <summary>The call; with a tenant id, another tenant's call is not found.</summary>
    Task<CallRecord> GetAsync(string? tenantId, CancellationToken cancellationToken);

    /// <summary>The call's transcript turns in order.</summary>
    Task<IReadOnlyList<TranscriptTurn>> GetTurnsAsync(string? tenantId, CancellationToken cancellationToken);

    /// <summary>The call's timeline events in order.</summary>
    Task<IReadOnlyList<CallEvent>> GetEventsAsync(string? tenantId, CancellationToken cancellationToken);
}
