using Vox.Grains;
using Vox.Grains.Calls;
using Vox.Grains.Internal;

namespace Vox.Silo.Internal;

/// <summary>Internal API over <see cref="ICallGrain"/>: lifecycle, events, transcript and the post-call result.</summary>
public static class CallEndpoints
{
    /// <summary>Maps <c>/internal/v1/calls/{callId}/…</c>.</summary>
    public static RouteGroupBuilder MapCallEndpoints(this RouteGroupBuilder group)
    {
        var call = group.MapGroup("/calls/{callId}");
        call.MapPut("", StartAsync);
        call.MapGet("", GetAsync);
        call.MapPost("/state", TransitionAsync);
        call.MapPost("/events", AppendEventsAsync);
        call.MapGet("/events", GetEventsAsync);
        call.MapPost("/turns", AppendTurnsAsync);
        call.MapGet("/turns", GetTurnsAsync);
        call.MapPost("/result", CompleteAsync);
        call.MapPost("/end", EndAsync);
        return group;
    }

    private static Task<CallRecord> StartAsync(string callId, CallStart start, IGrainFactory grains, CancellationToken ct) =>
        grains.GetGrain<ICallGrain>(callId).StartAsync(start, ct);

    private static Task<CallRecord> GetAsync(string callId, string? tenantId, IGrainFactory grains, CancellationToken ct) =>
        grains.GetGrain<ICallGrain>(callId).GetAsync(tenantId, ct);

    private static Task<CallRecord> TransitionAsync(string callId, CallTransitionRequest request, IGrainFactory grains, CancellationToken ct) =>
        grains.GetGrain<ICallGrain>(callId).TransitionAsync(request.State, request.WorkerId, ct);

    private static async Task<InternalAck> AppendEventsAsync(string callId, List<CallEventInput> events, IGrainFactory grains, CancellationToken ct)
    {
        await grains.GetGrain<ICallGrain>(callId).AppendEventsAsync(events, ct);
        return new InternalAck(true);
    }

    private static Task<IReadOnlyList<CallEvent>> GetEventsAsync(string callId, string? tenantId, IGrainFactory grains, CancellationToken ct) =>
        grains.GetGrain<ICallGrain>(callId).GetEventsAsync(tenantId, ct);

    private static async Task<InternalAck> AppendTurnsAsync(string callId, List<TranscriptTurn> turns, IGrainFactory grains, CancellationToken ct)
    {
        await grains.GetGrain<ICallGrain>(callId).AppendTurnsAsync(turns, ct);
        return new InternalAck(true);
    }

    private static Task<IReadOnlyList<TranscriptTurn>> GetTurnsAsync(string callId, string? tenantId, IGrainFactory grains, CancellationToken ct) =>
        grains.GetGrain<ICallGrain>(callId).GetTurnsAsync(tenantId, ct);

    private static async Task<CallCompletionResponse> CompleteAsync(string callId, CallResult result, IGrainFactory grains, CancellationToken ct) =>
        new(await grains.GetGrain<ICallGrain>(callId).CompleteAsync(result, ct));

    private static Task<CallRecord> EndAsync(string callId, CallEndRequest request, IGrainFactory grains, CancellationToken ct) =>
        grains.GetGrain<ICallGrain>(callId).EndAsync(request.Reason, request.Detail, ct);
}
