using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Vox.Dashboard.Authentication;
using Vox.Grains;
using Vox.Grains.Calls;
using Vox.Grains.Dashboard;

namespace Vox.Dashboard.Api;

/// <summary>
/// <c>/dashboard/api/live</c>: server-sent events. <c>calls</c> carries the calls not yet ended (the operator's tenant, every
/// tenant for admins) whenever they change; with <c>?callId=</c>, <c>call</c> carries that call and its transcript turns as
/// they are stored. The store is looked at every <see cref="DashboardOptions.LiveIntervalMs"/>; nothing is sent when nothing changed.
/// </summary>
internal static class LiveApi
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    /// <summary>Maps the event stream under <paramref name="api"/>.</summary>
    public static RouteGroupBuilder MapLiveApi(this RouteGroupBuilder api)
    {
        api.MapGet("/live", StreamAsync);
        return api;
    }

    /// <summary>Streams until the browser goes away.</summary>
    public static async Task StreamAsync(HttpContext context, ClaimsPrincipal principal, IDashboardReadModel reads, IGrainFactory grains,
        IOptions<DashboardOptions> options, TimeProvider time, string? callId)
    {
        var user = DashboardUser.Of(principal);
        var ct = context.RequestAborted;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.StartAsync(ct).ConfigureAwait(false);

        string? lastCalls = null;
        string? lastCall = null;
        var lastWrite = time.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.LiveIntervalMs), time);
        try
        {
            do
            {
                var page = await reads.ListCallsAsync(new DashboardCallQuery { TenantId = user.Scope, LiveOnly = true, Limit = 200 }, ct).ConfigureAwait(false);
                var calls = JsonSerializer.Serialize(page.Items, VoxJson.Options);
                if (calls != lastCalls)
                {
                    await WriteAsync(context.Response, "calls", calls, ct).ConfigureAwait(false);
                    (lastCalls, lastWrite) = (calls, time.GetTimestamp());
                }

                if (!string.IsNullOrEmpty(callId) && await CallAsync(grains, user, callId, ct).ConfigureAwait(false) is { } call && call != lastCall)
                {
                    await WriteAsync(context.Response, "call", call, ct).ConfigureAwait(false);
                    (lastCall, lastWrite) = (call, time.GetTimestamp());
                }

                if (time.GetElapsedTime(lastWrite) > KeepAlive)
                {
                    await context.Response.WriteAsync(": keep-alive\n\n", ct).ConfigureAwait(false);
                    await context.Response.Body.FlushAsync(ct).ConfigureAwait(false);
                    lastWrite = time.GetTimestamp();
                }
            }
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The browser closed the stream.
        }
    }

    private static async Task<string?> CallAsync(IGrainFactory grains, DashboardUser user, string callId, CancellationToken ct)
    {
        try
        {
            var grain = grains.GetGrain<ICallGrain>(callId);
            var record = await grain.GetAsync(user.Scope, ct).ConfigureAwait(false);
            var turns = await grain.GetTurnsAsync(record.TenantId, ct).ConfigureAwait(false);
            return JsonSerializer.Serialize(new LiveCall(record, turns), VoxJson.Options);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    private static async Task WriteAsync(HttpResponse response, string type, string json, CancellationToken ct)
    {
        var message = new StringBuilder().Append("event: ").Append(type).Append('\n').Append("data: ").Append(json).Append("\n\n").ToString();
        await response.WriteAsync(message, ct).ConfigureAwait(false);
        await response.Body.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>One live call with its transcript so far.</summary>
    public sealed record LiveCall(CallRecord Call, IReadOnlyList<TranscriptTurn> Turns);
}
