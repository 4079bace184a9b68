using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;
using Vox.Gateway.Api.Authentication;
using Vox.Gateway.Api.Contracts;
using Vox.Gateway.Api.Http;
using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Grains.Net;

namespace Vox.Gateway.Api;

/// <summary><c>/v1/bots</c>: the caller's bots, versioned; a replace can be made conditional on the version read.</summary>
internal static partial class BotsApi
{
    private static readonly HashSet<string> ToolTypes = new(StringComparer.Ordinal) { "end_call", "transfer_call", "detected_voicemail", "search_knowledge", "http" };

    /// <summary>Maps the bot endpoints under <paramref name="v1"/>.</summary>
    public static IEndpointRouteBuilder MapBotsApi(this IEndpointRouteBuilder v1)
    {
        var bots = v1.MapGroup("/bots").WithTags("Bots");
        bots.MapPost("", CreateBotAsync).WithName("CreateBot").WithSummary("Create a bot")
            .AcceptsJson<BotDefinition>().ProducesValidationProblem();
        bots.MapGet("", ListBotsAsync).WithName("ListBots").WithSummary("List the bots, newest first").ProducesValidationProblem();
        bots.MapGet("/{id}", GetBotAsync).WithName("GetBot").WithSummary("Get a bot").ProducesProblem(StatusCodes.Status404NotFound);
        bots.MapPut("/{id}", ReplaceBotAsync).WithName("ReplaceBot")
            .WithSummary("Replace a bot's definition; with If-Match: \"<version>\" or ?version= it must still be at that version (else 409)")
            .AcceptsJson<BotDefinition>().ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        bots.MapDelete("/{id}", DeleteBotAsync).WithName("DeleteBot").WithSummary("Delete a bot").ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    /// <summary>Creates a bot at version 1.</summary>
    public static async Task<Results<Created<BotResponse>, ProblemHttpResult>> CreateBotAsync(
        HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, EgressPolicy egress, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        var body = await JsonBody.ReadAsync<BotDefinition>(request, cancellationToken).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Problem;
        }

        var errors = await ValidateAsync(body.Value, egress, cancellationToken).ConfigureAwait(false);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var id = ApiIds.New("bot");
        var bot = await grains.GetGrain<IBotGrain>(id).CreateAsync(caller.TenantId, body.Value, cancellationToken).ConfigureAwait(false);
        LogCreated(loggers.CreateLogger(typeof(BotsApi)), bot.Id, caller.TenantId);
        SetETag(request.HttpContext, bot.Version);
        return TypedResults.Created($"/v1/bots/{bot.Id}", BotResponse.From(bot));
    }

    /// <summary>Lists the caller's bots, <c>limit</c> (1-200, default 50) per page from <c>cursor</c>.</summary>
    public static async Task<Results<Ok<Page<BotResponse>>, ProblemHttpResult>> ListBotsAsync(
        ClaimsPrincipal user, IBotCatalog catalog, [FromQuery] string? limit, [FromQuery] string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = QueryValues.Limit(limit, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var page = await catalog.ListAsync(user.GetCaller().TenantId, take, cursor, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new Page<BotResponse>(page.Items.Select(BotResponse.From).ToList(), page.NextCursor));
    }

    /// <summary>One of the caller's bots; another tenant's is 404.</summary>
    public static async Task<Ok<BotResponse>> GetBotAsync(HttpContext context, ClaimsPrincipal user, IGrainFactory grains, string id, CancellationToken cancellationToken)
    {
        var bot = await Grain(grains, id).GetAsync(user.GetCaller().TenantId, cancellationToken).ConfigureAwait(false);
        SetETag(context, bot.Version);
        return TypedResults.Ok(BotResponse.From(bot));
    }

    /// <summary>Replaces the definition and bumps the version.</summary>
    public static async Task<Results<Ok<BotResponse>, ProblemHttpResult>> ReplaceBotAsync(
        HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, EgressPolicy egress, ILoggerFactory loggers, string id, [FromQuery] string? version, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        var errors = new ValidationErrors();
        var expectedVersion = ExpectedVersion(request.Headers.IfMatch.ToString(), version, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var body = await JsonBody.ReadAsync<BotDefinition>(request, cancellationToken).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Problem;
        }

        errors = await ValidateAsync(body.Value, egress, cancellationToken).ConfigureAwait(false);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var bot = await Grain(grains, id).UpdateAsync(caller.TenantId, body.Value, expectedVersion, cancellationToken).ConfigureAwait(false);
        LogReplaced(loggers.CreateLogger(typeof(BotsApi)), bot.Id, caller.TenantId, bot.Version);
        SetETag(request.HttpContext, bot.Version);
        return TypedResults.Ok(BotResponse.From(bot));
    }

    /// <summary>Deletes the bot; its numbers are unassigned and its past calls keep pointing at it.</summary>
    public static async Task<NoContent> DeleteBotAsync(ClaimsPrincipal user, IGrainFactory grains, ILoggerFactory loggers, string id, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        await Grain(grains, id).DeleteAsync(caller.TenantId, cancellationToken).ConfigureAwait(false);
        LogDeleted(loggers.CreateLogger(typeof(BotsApi)), id, caller.TenantId);
        return TypedResults.NoContent();
    }

    /// <summary><see cref="Validate"/>, then, when that passes, the egress policy on the URLs of http tools (a refused one would fail every call).</summary>
    private static async Task<ValidationErrors> ValidateAsync(BotDefinition bot, EgressPolicy egress, CancellationToken cancellationToken)
    {
        var errors = Validate(bot);
        if (errors.IsEmpty && bot.Tools is { } tools)
        {
            for (var i = 0; i < tools.Count; i++)
            {
                if (tools[i].Type == "http")
                {
                    await errors.CheckEgressAsync(egress, $"tools[{i}].url", tools[i].Url, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return errors;
    }

    /// <summary>What makes a bot definition acceptable, keyed by field path.</summary>
    internal static ValidationErrors Validate(BotDefinition bot)
    {
        var errors = new ValidationErrors();
        errors.Name("name", bot.Name);
        errors.MaxLength("systemPrompt", bot.SystemPrompt, 100_000);
        errors.MaxLength("firstMessage", bot.FirstMessage, 10_000);
        errors.Required("language", bot.Language, 35);
        errors.MaxLength("knowledgeBaseId", bot.KnowledgeBaseId, 100);
        ValidateProvider(errors, "stt", bot.Stt);
        ValidateProvider(errors, "llm", bot.Llm);
        ValidateProvider(errors, "tts", bot.Tts);
        if (errors.Present("turnTaking", bot.TurnTaking))
        {
            errors.Range("turnTaking.endOfTurnSilenceMs", bot.TurnTaking.EndOfTurnSilenceMs, 100, 10_000);
            errors.Range("turnTaking.bargeInMinSpeechMs", bot.TurnTaking.BargeInMinSpeechMs, 0, 10_000);
            errors.Range("turnTaking.bargeInMinWords", bot.TurnTaking.BargeInMinWords, 0, 50);
        }

        if (errors.Present("limits", bot.Limits))
        {
            errors.Range("limits.maxDurationSeconds", bot.Limits.MaxDurationSeconds, 10, 86_400);
            errors.Range("limits.idleTimeoutSeconds", bot.Limits.IdleTimeoutSeconds, 1, 3_600);
            errors.MaxLength("limits.limitMessage", bot.Limits.LimitMessage, 10_000);
        }

        if (errors.Present("tools", bot.Tools))
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < bot.Tools.Count; i++)
            {
                ValidateTool(errors, $"tools[{i}]", bot.Tools[i], names);
            }
        }

        if (errors.Present("scriptedReplies", bot.ScriptedReplies))
        {
            for (var i = 0; i < bot.ScriptedReplies.Count; i++)
            {
                var field = $"scriptedReplies[{i}]";
                if (errors.Present(field, bot.ScriptedReplies[i]))
                {
                    var reply = bot.ScriptedReplies[i];
                    if (reply.Keywords is null || reply.Keywords.Count == 0 || reply.Keywords.Any(string.IsNullOrWhiteSpace))
                    {
                        errors.Add($"{field}.keywords", "Must hold at least one non-empty keyword.");
                    }

                    errors.Required($"{field}.reply", reply.Reply, 10_000);
                }
            }
        }

        if (errors.Present("dtmfActions", bot.DtmfActions))
        {
            var digits = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < bot.DtmfActions.Count; i++)
            {
                ValidateDtmfAction(errors, $"dtmfActions[{i}]", bot.DtmfActions[i], digits);
            }
        }

        errors.Present("metadata", bot.Metadata);
        return errors;
    }

    private static void ValidateProvider(ValidationErrors errors, string field, ProviderSelection? provider)
    {
        if (!errors.Present(field, provider))
        {
            return;
        }

        errors.Required($"{field}.provider", provider.Provider, 50);
        errors.MaxLength($"{field}.model", provider.Model, 200);
        errors.MaxLength($"{field}.voice", provider.Voice, 200);
        if (provider.Temperature is { } temperature)
        {
            errors.Range($"{field}.temperature", temperature, 0, 2);
        }

        errors.Present($"{field}.options", provider.Options);
    }

    private static void ValidateTool(ValidationErrors errors, string field, ToolDefinition? tool, HashSet<string> names)
    {
        if (!errors.Present(field, tool))
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(tool.Name) || tool.Name.Length > 64 || !tool.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            errors.Add($"{field}.name", "Must be 1-64 letters, digits, '_' or '-'.");
        }
        else if (!names.Add(tool.Name))
        {
            errors.Add($"{field}.name", $"Another tool is already named '{tool.Name}'.");
        }

        if (!ToolTypes.Contains(tool.Type ?? ""))
        {
            errors.Add($"{field}.type", $"Must be one of: {string.Join(", ", ToolTypes)}.");
        }
        else if (tool.Type == "http" && !(Uri.TryCreate(tool.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)))
        {
            errors.Add($"{field}.url", "An http tool needs an absolute http(s) URL.");
        }
        else if (tool.Type == "transfer_call" && Sip.UserAgent.TransferTargets.Normalize(tool.Destination) is null)
        {
            errors.Add($"{field}.destination", "A transfer_call tool needs a destination. " + Sip.UserAgent.TransferTargets.Rule);
        }

        errors.Range($"{field}.timeoutMs", tool.TimeoutMs, 100, 120_000);
    }

    private static void ValidateDtmfAction(ValidationErrors errors, string field, DtmfAction? action, HashSet<string> digits)
    {
        if (!errors.Present(field, action))
        {
            return;
        }

        if (action.Digit is not { Length: 1 } digit || !"0123456789*#ABCDabcd".Contains(digit[0], StringComparison.Ordinal))
        {
            errors.Add($"{field}.digit", "Must be one key: 0-9, *, # or A-D.");
        }
        else if (!digits.Add(digit))
        {
            errors.Add($"{field}.digit", $"Another action already takes '{digit}'.");
        }

        errors.Required($"{field}.reply", action.Reply, 10_000);
        if (action.TransferTo is not null && Sip.UserAgent.TransferTargets.Normalize(action.TransferTo) is null)
        {
            errors.Add($"{field}.transferTo", Sip.UserAgent.TransferTargets.Rule);
        }
        else if (action.TransferTo is not null && action.EndsCall)
        {
            errors.Add($"{field}.endsCall", "An action either hangs up or transfers; set endsCall or transferTo, not both.");
        }
    }

    // If-Match carries the version as an entity tag ("3", W/"3" tolerated); ?version= is the same for clients that cannot set headers.
    private static int? ExpectedVersion(string ifMatch, string? query, ValidationErrors errors)
    {
        int? fromHeader = null;
        if (!string.IsNullOrWhiteSpace(ifMatch) && ifMatch.Trim() != "*")
        {
            var tag = ifMatch.Trim();
            tag = tag.StartsWith("W/", StringComparison.Ordinal) ? tag[2..] : tag;
            tag = tag.Trim('"');
            if (int.TryParse(tag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
            {
                fromHeader = version;
            }
            else
            {
                errors.Add(HeaderNames.IfMatch, "Must be the bot's version as an entity tag, e.g. \"3\".");
            }
        }

        int? fromQuery = null;
        if (!string.IsNullOrEmpty(query))
        {
            if (int.TryParse(query, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version > 0)
            {
                fromQuery = version;
            }
            else
            {
                errors.Add("version", "Must be a positive whole number.");
            }
        }

        if (fromHeader is not null && fromQuery is not null && fromHeader != fromQuery)
        {
            errors.Add("version", "If-Match and ?version= name different versions.");
        }

        return fromHeader ?? fromQuery;
    }

    private static IBotGrain Grain(IGrainFactory grains, string id) =>
        string.IsNullOrWhiteSpace(id) ? throw new NotFoundException("bot", id) : grains.GetGrain<IBotGrain>(id);

    private static void SetETag(HttpContext context, int version) =>
        context.Response.Headers.ETag = $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot {BotId} created for tenant {TenantId}")]
    private static partial void LogCreated(ILogger logger, string botId, string tenantId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot {BotId} of tenant {TenantId} replaced, now version {Version}")]
    private static partial void LogReplaced(ILogger logger, string botId, string tenantId, int version);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bot {BotId} of tenant {TenantId} deleted")]
    private static partial void LogDeleted(ILogger logger, string botId, string tenantId);
}
