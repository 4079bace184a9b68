using Vox.Grains.Calls;

namespace Vox.Grains.Internal;

/// <summary><see cref="ICallGrain"/> over the internal API.</summary>
public sealed class HttpCallGrain(ClusterHttpClient client, string callId) : ICallGrain
{
    /// <inheritdoc />
    public string Key => callId;

    private string Path => InternalApi.Call(callId);

    /// <inheritdoc />
    public Task<CallRecord> StartAsync(CallStart start, CancellationToken cancellationToken) =>
        client.SendAsync<CallRecord>(HttpMethod.Put, Path, start, cancellationToken);

    /// <inheritdoc />
    public Task<CallRecord> TransitionAsync(CallState state, string? workerId, CancellationToken cancellationToken) =>
        client.SendAsync<CallRecord>(HttpMethod.Post, Path + "/state", new CallTransitionRequest(state, workerId), cancellationToken);

    /// <inheritdoc />
    public Task AppendEventsAsync(IReadOnlyList<CallEventInput> events, CancellationToken cancellationToken) =>
        client.SendAsync<InternalAck>(HttpMethod.Post, Path + "/events", events, cancellationToken);

    /// <inheritdoc />
    public Task AppendTurnsAsync(IReadOnlyList<TranscriptTurn> turns, CancellationToken cancellationToken) =>
        client.SendAsync<InternalAck>(HttpMethod.Post, Path + "/turns", turns, cancellationToken);

    /// <inheritdoc />
    public async Task<CompletionOutcome> CompleteAsync(CallResult result, CancellationToken cancellationToken) =>
        (await client.SendAsync<CallCompletionResponse>(HttpMethod.Post, Path + "/result", result, cancellationToken).ConfigureAwait(false)).Outcome;

    /// <inheritdoc />
    public Task<CallRecord> EndAsync(string endReason, string? detail, CancellationToken cancellationToken) =>
        client.SendAsync<CallRecord>(HttpMethod.Post, Path + "/end", new CallEndRequest(endReason, detail), cancellationToken);

    /// <inheritdoc />
    public Task<CallRecord> GetAsync(string? tenantId, CancellationToken cancellationToken) =>
        client.SendAsync<CallRecord>(HttpMethod.Get, Path + TenantQuery(tenantId), null, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TranscriptTurn>> GetTurnsAsync(string? tenantId, CancellationToken cancellationToken) =>
        client.SendAsync<IReadOnlyList<TranscriptTurn>>(HttpMethod.Get, Path + "/turns" + TenantQuery(tenantId), null, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<CallEvent>> GetEventsAsync(string? tenantId, CancellationToken cancellationToken) =>
        client.SendAsync<IReadOnlyList<CallEvent>>(HttpMethod.Get, Path + "/events" + TenantQuery(tenantId), null, cancellationToken);

    private static string TenantQuery(string? tenantId) => tenantId is null ? "" : "?tenantId=" + Uri.EscapeDataString(tenantId);
}
