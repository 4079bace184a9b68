using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Vox.Gateway.Api.Authentication;
using Vox.Gateway.Api.Http;
using Vox.Gateway.Sip.UserAgent;
using Vox.Gateway.Campaigns;
using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Grains.Campaigns;
using Vox.Grains.Numbers;

namespace Vox.Gateway.Api;

/// <summary>
/// <c>/v1/campaigns</c>: dialler campaigns (bot, trunk, caller id, pacing, retries per outcome, calling windows, dates),
/// CSV contact import, start/pause/resume/cancel, progress and attempts.
/// </summary>
internal static class CampaignsApi
{
    /// <summary>Maps the campaign endpoints under <paramref name="v1"/>.</summary>
    public static IEndpointRouteBuilder MapCampaignsApi(this IEndpointRouteBuilder v1)
    {
        var campaigns = v1.MapGroup("/campaigns").WithTags("Campaigns");
        campaigns.MapPost("", CreateCampaignAsync).WithName("CreateCampaign").WithSummary("Create a campaign (a draft until started)")
            .AcceptsJson<CampaignInput>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        campaigns.MapGet("", ListCampaignsAsync).WithName("ListCampaigns").WithSummary("List campaigns, newest first").ProducesValidationProblem();
        campaigns.MapGet("/{id}", GetCampaignAsync).WithName("GetCampaign").WithSummary("Get a campaign").ProducesProblem(StatusCodes.Status404NotFound);
        campaigns.MapPost("/{id}/contacts", ImportContactsAsync).WithName("ImportCampaignContacts")
            .WithSummary("Import contacts from CSV (phone,time_zone[,name][,variables...]); all or nothing unless skipInvalid=true")
            .Accepts<string>("text/csv").ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        campaigns.MapGet("/{id}/contacts", ListContactsAsync).WithName("ListCampaignContacts").WithSummary("List a campaign's contacts in import order")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        foreach (var (action, target) in new[] { ("start", CampaignStatus.Running), ("pause", CampaignStatus.Paused), ("resume", CampaignStatus.Running), ("cancel", CampaignStatus.Cancelled) })
        {
            campaigns.MapPost($"/{{id}}/{action}", (ClaimsPrincipal user, ICampaignDirectory directory, string id, CancellationToken ct) => ChangeStatusAsync(user, directory, id, target, ct))
                .WithName(CultureInfo.InvariantCulture.TextInfo.ToTitleCase(action) + "Campaign").WithSummary($"{CultureInfo.InvariantCulture.TextInfo.ToTitleCase(action)} the campaign")
                .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        }

        campaigns.MapGet("/{id}/progress", GetProgressAsync).WithName("GetCampaignProgress").WithSummary("Contacts per state, attempts, active calls and ETA")
            .ProducesProblem(StatusCodes.Status404NotFound);
        campaigns.MapGet("/{id}/attempts", ListAttemptsAsync).WithName("ListCampaignAttempts").WithSummary("Every dial attempt, or one contact's (contactId)")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    /// <summary>Validates and creates a draft campaign; 404 naming <c>botId</c> if the bot is not the caller's.</summary>
    public static async Task<Results<Created<CampaignRecord>, ProblemHttpResult>> CreateCampaignAsync(
        HttpRequest request, ClaimsPrincipal user, ICampaignDirectory directory, IGrainFactory grains, Sip.SipTrunkDirectory trunks, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        var body = await JsonBody.ReadAsync<CampaignInput>(request, cancellationToken).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Problem;
        }

        var errors = new ValidationErrors();
        var spec = Validate(body.Value, errors);
        if (body.Value.Trunk is { } trunk)
        {
            await errors.CheckTrunkAsync(trunks, caller.TenantId, trunk, cancellationToken).ConfigureAwait(false);
        }

        if (spec is null || !errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        try
        {
            await grains.GetGrain<IBotGrain>(spec.BotId).GetAsync(caller.TenantId, cancellationToken).ConfigureAwait(false);
        }
        catch (NotFoundException ex)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, ex.Message, "not_found", "botId");
        }

        var id = ApiIds.New("cmp");
        var campaign = await directory.GetCampaign(id).CreateAsync(caller.TenantId, spec, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/v1/campaigns/{id}", campaign);
    }

    /// <summary>The caller's campaigns, newest first (<c>limit</c> 1-200, default 50).</summary>
    public static async Task<Results<Ok<IReadOnlyList<CampaignRecord>>, ProblemHttpResult>> ListCampaignsAsync(
        ClaimsPrincipal user, ICampaignDirectory directory, [FromQuery] string? limit, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = QueryValues.Limit(limit, errors);
        return errors.IsEmpty
            ? TypedResults.Ok(await directory.ListAsync(user.GetCaller().TenantId, take, cancellationToken).ConfigureAwait(false))
            : errors.ToProblem();
    }

    /// <summary>One of the caller's campaigns.</summary>
    public static async Task<Ok<CampaignRecord>> GetCampaignAsync(ClaimsPrincipal user, ICampaignDirectory directory, string id, CancellationToken cancellationToken) =>
        TypedResults.Ok(await directory.GetCampaign(id).GetAsync(user.GetCaller().TenantId, cancellationToken).ConfigureAwait(false));

    /// <summary>
    /// Reads the CSV as it streams in (413 past <see cref="CampaignOptions.MaxImportBytes"/>), validates every row and stores the
    /// valid ones in one transaction: any invalid row rejects the whole file (400 with the per-row report) unless
    /// <c>skipInvalid=true</c>, when the valid rows are stored and the report lists the skipped ones.
    /// </summary>
    public static async Task<Results<Ok<ContactImportReport>, ProblemHttpResult>> ImportContactsAsync(
        HttpRequest request, ClaimsPrincipal user, ICampaignDirectory directory, IOptions<CampaignOptions> options, string id,
        [FromQuery] string? skipInvalid, CancellationToken cancellationToken)
    {
        var tenantId = user.GetCaller().TenantId;
        var campaign = directory.GetCampaign(id);
        await campaign.GetAsync(tenantId, cancellationToken).ConfigureAwait(false);
        if (skipInvalid is not null and not "true" and not "false")
        {
            return ApiProblems.Validation("skipInvalid", "Must be true or false.");
        }

        var cap = options.Value.MaxImportBytes;
        if (request.ContentLength > cap)
        {
            return TooLarge(cap);
        }

        ContactCsvReport report;
        try
        {
            await using var capped = new CappedStream(request.Body, cap);
            report = await ContactCsvReader.ReadAsync(capped, options.Value.MaxContactsPerImport, cancellationToken).ConfigureAwait(false);
        }
        catch (CappedStream.TooLargeException)
        {
            return TooLarge(cap);
        }

        if (report.FileError is { } fileError)
        {
            return ApiProblems.Validation(fileError.Field, $"Row {fileError.Row}: {fileError.Message}");
        }

        var rows = report.Errors.Take(ContactCsvReader.MaxListedErrors).ToList();
        if (report.Errors.Count > 0 && skipInvalid != "true")
        {
            var problem = ApiProblems.Create(StatusCodes.Status400BadRequest,
                $"{report.Errors.Count} of {report.Rows} rows are invalid; nothing was imported. Fix them, or send skipInvalid=true to import the valid rows.",
                "invalid_rows", "body");
            problem.Extensions["rows"] = rows;
            return TypedResults.Problem(problem);
        }

        var stored = await campaign.ImportContactsAsync(tenantId, report.Contacts, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ContactImportReport(report.Rows, stored.Added, stored.Merged, report.Duplicates, report.Errors.Count, rows));
    }

    /// <summary>A page of the campaign's contacts (<c>offset</c>, <c>limit</c> 1-200).</summary>
    public static async Task<Results<Ok<IReadOnlyList<CampaignContact>>, ProblemHttpResult>> ListContactsAsync(
        ClaimsPrincipal user, ICampaignDirectory directory, string id, [FromQuery] string? limit, [FromQuery] string? offset, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = QueryValues.Limit(limit, errors);
        var skip = 0;
        if (offset is not null && (!int.TryParse(offset, NumberStyles.None, CultureInfo.InvariantCulture, out skip) || skip < 0))
        {
            errors.Add("offset", "Must be a whole number, 0 or more.");
        }

        return errors.IsEmpty
            ? TypedResults.Ok(await directory.GetCampaign(id).GetContactsAsync(user.GetCaller().TenantId, skip, take, cancellationToken).ConfigureAwait(false))
            : errors.ToProblem();
    }

    /// <summary>Moves the campaign to <paramref name="target"/>; 409 when the move is not allowed from its status.</summary>
    public static async Task<Ok<CampaignRecord>> ChangeStatusAsync(ClaimsPrincipal user, ICampaignDirectory directory, string id, CampaignStatus target, CancellationToken cancellationToken) =>
        TypedResults.Ok(await directory.GetCampaign(id).ChangeStatusAsync(user.GetCaller().TenantId, target, cancellationToken).ConfigureAwait(false));

    /// <summary>Counts per contact state, attempts, active calls and the ETA at the campaign's pace.</summary>
    public static async Task<Ok<CampaignProgress>> GetProgressAsync(ClaimsPrincipal user, ICampaignDirectory directory, string id, CancellationToken cancellationToken) =>
        TypedResults.Ok(await directory.GetCampaign(id).GetProgressAsync(user.GetCaller().TenantId, cancellationToken).ConfigureAwait(false));

    /// <summary>The attempts, in launch order, optionally of one contact.</summary>
    public static async Task<Ok<IReadOnlyList<CampaignAttempt>>> ListAttemptsAsync(
        ClaimsPrincipal user, ICampaignDirectory directory, string id, [FromQuery] string? contactId, CancellationToken cancellationToken) =>
        TypedResults.Ok(await directory.GetCampaign(id).GetAttemptsAsync(user.GetCaller().TenantId, contactId, cancellationToken).ConfigureAwait(false));

    private static ProblemHttpResult TooLarge(long cap) =>
        ApiProblems.Problem(StatusCodes.Status413PayloadTooLarge, $"The CSV is larger than {cap} bytes; split it.", "payload_too_large", "body");

    private static CampaignSpec? Validate(CampaignInput input, ValidationErrors errors)
    {
        errors.Required("name", input.Name, ValidationErrors.MaxNameLength);
        errors.Required("botId", input.BotId, ValidationErrors.MaxNameLength);
        if (input.CallerId is not null && !E164.IsValid(input.CallerId))
        {
            errors.Add("callerId", "Must be an E.164 number: + then 7 to 15 digits.");
        }

        if (errors.Present("pacing", input.Pacing))
        {
            errors.Range("pacing.callsPerMinute", input.Pacing.CallsPerMinute, 1, 600);
            errors.Range("pacing.maxConcurrent", input.Pacing.MaxConcurrent, 1, 1000);
        }

        var retry = input.Retry is null ? RetryPolicy.Default : new RetryPolicy(
            Rule("retry.busy", input.Retry.Busy, RetryPolicy.Default.Busy, errors),
            Rule("retry.noAnswer", input.Retry.NoAnswer, RetryPolicy.Default.NoAnswer, errors),
            Rule("retry.failed", input.Retry.Failed, RetryPolicy.Default.Failed, errors),
            Rule("retry.voicemail", input.Retry.Voicemail, RetryPolicy.Default.Voicemail, errors));
        var windows = new List<CallingWindow>();
        for (var i = 0; i < (input.CallingWindows?.Count ?? 0); i++)
        {
            var w = input.CallingWindows![i];
            var field = $"callingWindows[{i}]";
            if (!Enum.TryParse<DayOfWeek>(w.Day, ignoreCase: true, out var day) || int.TryParse(w.Day, out _))
            {
                errors.Add(field + ".day", "Must be a weekday name, e.g. monday.");
            }

            var start = Time(w.Start, field + ".start", errors);
            var end = Time(w.End, field + ".end", errors);
            if (start is not null && end is not null)
            {
                if (start >= end)
                {
                    errors.Add(field + ".end", "Must be later than start (windows do not cross midnight; add one per day).");
                }

                windows.Add(new CallingWindow(day, start.Value, end.Value));
            }
        }

        if (input.StartsAt is not null && input.EndsAt is not null && input.StartsAt >= input.EndsAt)
        {
            errors.Add("endsAt", "Must be later than startsAt.");
        }

        return errors.IsEmpty
            ? new CampaignSpec(input.Name!.Trim(), input.BotId!, input.Trunk, input.CallerId, input.Pacing!.CallsPerMinute, input.Pacing.MaxConcurrent, retry, windows, input.StartsAt, input.EndsAt)
            : null;
    }

    private static RetryRule Rule(string field, RetryRuleInput? input, RetryRule fallback, ValidationErrors errors)
    {
        if (input is null)
        {
            return fallback;
        }

        errors.Range(field + ".delaySeconds", input.DelaySeconds, 0, 7 * 24 * 3600);
        errors.Range(field + ".maxAttempts", input.MaxAttempts, 1, 20);
        return new RetryRule(input.DelaySeconds, input.MaxAttempts);
    }

    private static TimeOnly? Time(string? raw, string field, ValidationErrors errors)
    {
        if (raw == "24:00")
        {
            return TimeOnly.MaxValue;
        }

        if (TimeOnly.TryParseExact(raw, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        errors.Add(field, "Must be a time as HH:mm (24-hour, local to the contact).");
        return null;
    }

    /// <summary>The body of <c>POST /v1/campaigns</c>.</summary>
    public sealed record CampaignInput(
        string? Name,
        string? BotId,
        string? Trunk,
        string? CallerId,
        PacingInput? Pacing,
        RetryPolicyInput? Retry,
        IReadOnlyList<CallingWindowInput>? CallingWindows,
        DateTimeOffset? StartsAt,
        DateTimeOffset? EndsAt);

    /// <summary>Calls per minute and most calls at once.</summary>
    public sealed record PacingInput(int CallsPerMinute, int MaxConcurrent);

    /// <summary>A rule per unanswered outcome; a missing one takes the default.</summary>
    public sealed record RetryPolicyInput(RetryRuleInput? Busy, RetryRuleInput? NoAnswer, RetryRuleInput? Failed, RetryRuleInput? Voicemail);

    /// <summary>Retry after <see cref="DelaySeconds"/> while the contact has had fewer than <see cref="MaxAttempts"/> attempts.</summary>
    public sealed record RetryRuleInput(int DelaySeconds, int MaxAttempts);

    /// <summary>A weekday (monday..sunday) and HH:mm start/end in the contact's time zone.</summary>
    public sealed record CallingWindowInput(string? Day, string? Start, string? End);

    /// <summary>What an import did: rows read, contacts added and merged, duplicate rows in the file, invalid rows skipped and why.</summary>
    public sealed record ContactImportReport(int Rows, int Added, int Merged, int Duplicates, int Invalid, IReadOnlyList<ContactImportError> Errors);

    /// <summary>Reads through to the request body and fails once more than the cap has been read, so an oversize upload stops early.</summary>
    private sealed class CappedStream(Stream inner, long cap) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            return _read > cap ? throw new TooLargeException() : read;
        }

        /// <summary>The body passed the cap.</summary>
        public sealed class TooLargeException : Exception;
    }
}
