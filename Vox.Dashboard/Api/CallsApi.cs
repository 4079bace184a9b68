using Vox.Grains.Workers;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.Dashboard.Authentication;
using Vox.Dashboard.Fleet;
using Vox.Dashboard.Stats;
using Vox.Grains;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Grains.Dashboard;
using Vox.Grains.Numbers;
using Vox.Grains.Recordings;
using Vox.Grains.Webhooks;

namespace Vox.Dashboard.Api;

/// <summary><c>/dashboard/api/calls</c>: live calls and the call log (filtered, paged), one call in full, its recording, and hang-up for admins.</summary>
internal static partial class CallsApi
{
    /// <summary>Maps the call endpoints under <paramref name="api"/>.</summary>
    public static RouteGroupBuilder MapCallsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/calls", ListAsync);
        api.MapGet("/calls/{id}", GetAsync);
        api.MapGet("/calls/{id}/recording", GetRecordingAsync);
        api.MapPost("/calls/{id}/hangup", HangUpAsync).RequireAuthorization(DashboardAuth.AdminPolicy).AddEndpointFilter<AntiforgeryFilter>();
        return api;
    }

    /// <summary>Calls newest first: <c>live=true</c> for calls not ended; filters <c>state</c>, <c>botId</c>, <c>number</c>, <c>from</c>/<c>to</c> (dates), <c>tenantId</c> (admins).</summary>
    public static async Task<Results<Ok<Page<CallRecord>>, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal principal,
        IDashboardReadModel reads,
        [FromQuery] bool? live,
        [FromQuery] string? state,
        [FromQuery] string? botId,
        [FromQuery] string? number,
        [FromQuery] string? from,
        [FromQuery] string? to,
        [FromQuery] string? tenantId,
        [FromQuery] int? limit,
        [FromQuery] string? cursor,
        CancellationToken cancellationToken)
    {
        var user = DashboardUser.Of(principal);
        var errors = new List<string>();
        var query = new DashboardCallQuery
        {
            TenantId = user.IsAdmin ? Blank(tenantId) : user.TenantId,
            LiveOnly = live == true,
            State = ParseState(state, errors),
            BotId = Blank(botId),
            Number = ParseNumber(number, errors),
            CreatedAfter = ParseDate(from, "from", endOfDay: false, errors),
            CreatedBefore = ParseDate(to, "to", endOfDay: true, errors),
            Limit = Math.Clamp(limit ?? 50, 1, 200),
            Cursor = Blank(cursor),
        };
        if (errors.Count > 0)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid filter", detail: string.Join(" ", errors));
        }

        try
        {
            return TypedResults.Ok(await reads.ListCallsAsync(query, cancellationToken).ConfigureAwait(false));
        }
        catch (VoxException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid cursor", detail: ex.Message);
        }
    }

    /// <summary>One call with its transcript, timeline, metrics and webhook deliveries; 404 for another tenant's call.</summary>
    public static async Task<Results<Ok<CallDetail>, NotFound>> GetAsync(
        ClaimsPrincipal principal, IGrainFactory grains, IDashboardReadModel reads, IOptions<DashboardOptions> options, string id, CancellationToken cancellationToken)
    {
        var user = DashboardUser.Of(principal);
        var call = grains.GetGrain<ICallGrain>(id);
        CallRecord record;
        try
        {
            record = await call.GetAsync(user.Scope, cancellationToken).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            return TypedResults.NotFound();
        }

        var turns = await call.GetTurnsAsync(record.TenantId, cancellationToken).ConfigureAwait(false);
        var events = await call.GetEventsAsync(record.TenantId, cancellationToken).ConfigureAwait(false);
        var deliveries = await reads.CallDeliveriesAsync(record.TenantId, id, cancellationToken).ConfigureAwait(false);
        var cost = record.Metrics is { } metrics ? CallStatistics.Cost([metrics], options.Value.Prices) : [];
        return TypedResults.Ok(new CallDetail(record, turns, events, deliveries, cost));
    }

    /// <summary>
    /// The recording for a browser's &lt;audio&gt; element on the cookie session (the REST API wants a Bearer header), with
    /// range requests so it can seek; 404 for another tenant's call or a call without a recording.
    /// </summary>
    public static async Task<Results<FileStreamHttpResult, NotFound>> GetRecordingAsync(
        ClaimsPrincipal principal, IGrainFactory grains, IRecordingStore store, HttpResponse response, string id, CancellationToken cancellationToken)
    {
        var user = DashboardUser.Of(principal);
        CallRecord record;
        try
        {
            record = await grains.GetGrain<ICallGrain>(id).GetAsync(user.Scope, cancellationToken).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            return TypedResults.NotFound();
        }

        if (string.IsNullOrEmpty(record.RecordingRef) || await store.OpenReadAsync(record.RecordingRef, cancellationToken).ConfigureAwait(false) is not { } recording)
        {
            return TypedResults.NotFound();
        }

        response.Headers.CacheControl = "private";
        var contentType = recording.ContentType == "application/octet-stream" ? "audio/wav" : recording.ContentType;
        return TypedResults.Stream(recording.Content, contentType, lastModified: recording.LastModified, enableRangeProcessing: recording.Content.CanSeek);
    }

    /// <summary>
    /// Hangs up a call for an admin. A call a live worker carries is hung up by that worker (through its control
    /// endpoint), which ends it <c>operator_hangup</c> with its transcript and recording; a call no worker carries
    /// (queued, ringing, or on a worker that was lost) is ended on the record as cancelled, which frees its slot.
    /// </summary>
    public static async Task<Results<Ok<CallRecord>, NotFound, ProblemHttpResult>> HangUpAsync(
        ClaimsPrincipal principal, IGrainFactory grains, IWorkerControl workers, IOptions<DashboardPoolOptions> pool, ILoggerFactory loggers, string id,
        CancellationToken cancellationToken)
    {
        var user = DashboardUser.Of(principal);
        var logger = loggers.CreateLogger(typeof(CallsApi).FullName!);
        var call = grains.GetGrain<ICallGrain>(id);
        try
        {
            var current = await call.GetAsync(null, cancellationToken).ConfigureAwait(false);
            if (current.State == CallState.Ended)
            {
                return TypedResults.Ok(current);
            }

            var snapshot = await grains.GetGrain<ICapacityGrain>(pool.Value.DefaultPool).GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
            if (snapshot.Workers.FirstOrDefault(w => w.CallId == id && w.State == WorkerSlotState.Busy && w.ExpiresAt > snapshot.TakenAt) is { } worker)
            {
                try
                {
                    if (await workers.HangUpAsync(worker.MediaUrl, id, EndReasons.OperatorHangup, cancellationToken).ConfigureAwait(false))
                    {
                        LogHungUp(logger, id, user.KeyId);
                        return TypedResults.Ok(await WaitForEndAsync(call, cancellationToken).ConfigureAwait(false));
                    }
                }
                catch (HttpRequestException ex)
                {
                    return TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The worker did not take the hang-up",
                        detail: $"Worker '{worker.WorkerId}' carrying call '{id}' could not be reached ({ex.Message}); try again, or wait for the reaper if it is gone.");
                }
            }

            var record = await call.EndAsync(EndReasons.Cancelled, $"Hung up from the dashboard by {user.KeyId}", cancellationToken).ConfigureAwait(false);
            LogHungUp(logger, id, user.KeyId);
            return TypedResults.Ok(record);
        }
        catch (NotFoundException)
        {
            return TypedResults.NotFound();
        }
    }

    // The worker ends the call and its result follows within a moment; answer with the record as it then stands.
    private static async Task<CallRecord> WaitForEndAsync(ICallGrain call, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            var record = await call.GetAsync(null, cancellationToken).ConfigureAwait(false);
            if (record.State == CallState.Ended || DateTime.UtcNow > deadline)
            {
                return record;
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static CallState? ParseState(string? value, List<string> errors)
    {
        if (Blank(value) is not { } state)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<CallState>($"\"{state}\"", VoxJson.Options);
        }
        catch (JsonException)
        {
            errors.Add("state must be queued, ringing, in_progress or ended.");
            return null;
        }
    }

    private static string? ParseNumber(string? value, List<string> errors)
    {
        if (Blank(value) is not { } number)
        {
            return null;
        }

        number = number.StartsWith('+') ? number : "+" + number;
        if (!E164.IsValid(number))
        {
            errors.Add("number must be an E.164 number such as +14155550100.");
            return null;
        }

        return number;
    }

    private static DateTimeOffset? ParseDate(string? value, string name, bool endOfDay, List<string> errors)
    {
        if (Blank(value) is not { } text)
        {
            return null;
        }

        // A bare date (from a date input) is a whole UTC day: "to" includes that day.
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1) : start;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            return instant;
        }

        errors.Add($"{name} must be a date (yyyy-mm-dd) or an ISO 8601 instant.");
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} hung up from the dashboard by {KeyId}")]
    private static partial void LogHungUp(ILogger logger, string callId, string keyId);

    /// <summary>A call as its detail page shows it.</summary>
    public sealed record CallDetail(CallRecord Call, IReadOnlyList<TranscriptTurn> Turns, IReadOnlyList<CallEvent> Events, IReadOnlyList<WebhookDelivery> Deliveries,
        IReadOnlyList<ProviderCost> Cost);
}
