using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Vox.Gateway.Api.Authentication;
using Vox.Gateway.Api.Contracts;
using Vox.Gateway.Api.Http;
using Vox.Grains;
using Vox.Grains.Net;
using Vox.Grains.Webhooks;

namespace Vox.Gateway.Api;

/// <summary>
/// <c>/v1/webhooks</c>: the caller's endpoints that receive signed events (the secret is shown once, at creation),
/// their deliveries and dead letters, and redelivery of a dead one.
/// </summary>
internal static partial class WebhooksApi
{
    private const int MaxDescriptionLength = 500;

    /// <summary>Maps the webhook endpoints under <paramref name="v1"/>.</summary>
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder v1)
    {
        var webhooks = v1.MapGroup("/webhooks").WithTags("Webhooks");
        webhooks.MapPost("", CreateWebhookAsync).WithName("CreateWebhook").WithSummary("Add a webhook endpoint; its signing secret is in this response only")
            .AcceptsJson<WebhookEndpointInput>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict)
            .WithMetadata(SecretResponseMetadata.Instance);
        webhooks.MapGet("", ListWebhooksAsync).WithName("ListWebhooks").WithSummary("List the webhook endpoints, newest first").ProducesValidationProblem();
        webhooks.MapGet("/{id}", GetWebhookAsync).WithName("GetWebhook").WithSummary("Get a webhook endpoint").ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPatch("/{id}", UpdateWebhookAsync).WithName("UpdateWebhook")
            .WithSummary("Change a webhook endpoint's url, eventTypes, description or enabled; fields left out keep their value")
            .AcceptsJson<WebhookEndpointPatch>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapDelete("/{id}", DeleteWebhookAsync).WithName("DeleteWebhook").WithSummary("Remove a webhook endpoint and its deliveries")
            .ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapGet("/{id}/deliveries", ListDeliveriesAsync).WithName("ListWebhookDeliveries")
            .WithSummary("List an endpoint's deliveries, newest first; ?status=dead is its dead-letter list")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/deliveries/{deliveryId}/redeliver", RedeliverAsync).WithName("RedeliverWebhook")
            .WithSummary("Queue a dead delivery again (same event id, fresh retry budget); 409 if it was delivered")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return v1;
    }

    /// <summary>Adds an endpoint for the caller's tenant and returns its signing secret, this once.</summary>
    public static async Task<Results<Created<WebhookCreatedResponse>, ProblemHttpResult>> CreateWebhookAsync(
        HttpRequest request, ClaimsPrincipal user, IWebhookCatalog catalog, EgressPolicy egress, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        var body = await JsonBody.ReadAsync<WebhookEndpointInput>(request, cancellationToken).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Problem;
        }

        var errors = new ValidationErrors();
        ValidateUrl(errors, body.Value.Url);
        ValidateEventTypes(errors, body.Value.EventTypes);
        errors.MaxLength("description", body.Value.Description, MaxDescriptionLength);
        if (errors.IsEmpty)
        {
            await errors.CheckEgressAsync(egress, "url", body.Value.Url, cancellationToken).ConfigureAwait(false);
        }

        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var created = await catalog.CreateAsync(caller.TenantId, body.Value, cancellationToken).ConfigureAwait(false);
        LogCreated(loggers.CreateLogger(typeof(WebhooksApi)), created.Endpoint.Id, caller.TenantId, caller.KeyId);
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/v1/webhooks/{created.Endpoint.Id}", WebhookCreatedResponse.From(created));
    }

    /// <summary>The caller's endpoints, <c>limit</c> (1-200, default 50) per page from <c>cursor</c>.</summary>
    public static async Task<Results<Ok<Page<WebhookResponse>>, ProblemHttpResult>> ListWebhooksAsync(
        ClaimsPrincipal user, IWebhookCatalog catalog, [FromQuery] string? limit, [FromQuery] string? cursor, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var take = QueryValues.Limit(limit, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var page = await catalog.ListAsync(user.GetCaller().TenantId, take, string.IsNullOrEmpty(cursor) ? null : cursor, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new Page<WebhookResponse>(page.Items.Select(WebhookResponse.From).ToList(), page.NextCursor));
    }

    /// <summary>One of the caller's endpoints; another tenant's is 404.</summary>
    public static async Task<Ok<WebhookResponse>> GetWebhookAsync(ClaimsPrincipal user, IWebhookCatalog catalog, string id, CancellationToken cancellationToken) =>
        TypedResults.Ok(WebhookResponse.From(await catalog.GetAsync(user.GetCaller().TenantId, id, cancellationToken).ConfigureAwait(false)));

    /// <summary>Changes the fields sent; <c>enabled: false</c> pauses deliveries, <c>description: ""</c> removes the description.</summary>
    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> UpdateWebhookAsync(
        HttpRequest request, ClaimsPrincipal user, IWebhookCatalog catalog, EgressPolicy egress, ILoggerFactory loggers, string id, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        var body = await JsonBody.ReadAsync<WebhookEndpointPatch>(request, cancellationToken).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Problem;
        }

        var patch = body.Value;
        if (patch.IsEmpty())
        {
            return ApiProblems.Validation(JsonBody.BodyField, "Send at least one of url, eventTypes, description, enabled.");
        }

        var errors = new ValidationErrors();
        if (patch.Url is not null)
        {
            ValidateUrl(errors, patch.Url);
        }

        if (patch.EventTypes is not null)
        {
            ValidateEventTypes(errors, patch.EventTypes);
        }

        errors.MaxLength("description", patch.Description, MaxDescriptionLength);
        if (errors.IsEmpty && patch.Url is not null)
        {
            await errors.CheckEgressAsync(egress, "url", patch.Url, cancellationToken).ConfigureAwait(false);
        }

        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var endpoint = await catalog.UpdateAsync(caller.TenantId, id, patch, cancellationToken).ConfigureAwait(false);
        LogUpdated(loggers.CreateLogger(typeof(WebhooksApi)), endpoint.Id, caller.TenantId, endpoint.Enabled);
        return TypedResults.Ok(WebhookResponse.From(endpoint));
    }

    /// <summary>Removes one of the caller's endpoints; its pending deliveries are not sent.</summary>
    public static async Task<NoContent> DeleteWebhookAsync(ClaimsPrincipal user, IWebhookCatalog catalog, ILoggerFactory loggers, string id, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        await catalog.DeleteAsync(caller.TenantId, id, cancellationToken).ConfigureAwait(false);
        LogDeleted(loggers.CreateLogger(typeof(WebhooksApi)), id, caller.TenantId);
        return TypedResults.NoContent();
    }

    /// <summary>An endpoint's deliveries, optionally of one <c>status</c> (pending, delivered, dead).</summary>
    public static async Task<Results<Ok<Page<WebhookDeliveryResponse>>, ProblemHttpResult>> ListDeliveriesAsync(
        ClaimsPrincipal user,
        IWebhookDeliveries deliveries,
        string id,
        [FromQuery] string? status,
        [FromQuery] string? limit,
        [FromQuery] string? cursor,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var state = QueryValues.Enum<WebhookDeliveryStatus>(status, "status", errors);
        var take = QueryValues.Limit(limit, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var page = await deliveries.ListAsync(user.GetCaller().TenantId, id, state, take, string.IsNullOrEmpty(cursor) ? null : cursor, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new Page<WebhookDeliveryResponse>(page.Items.Select(WebhookDeliveryResponse.From).ToList(), page.NextCursor));
    }

    /// <summary>Queues a dead delivery again; a pending one is returned as it is; a delivered one is 409.</summary>
    public static async Task<Ok<WebhookDeliveryResponse>> RedeliverAsync(
        ClaimsPrincipal user, IWebhookDeliveries deliveries, ILoggerFactory loggers, string deliveryId, CancellationToken cancellationToken)
    {
        var caller = user.GetCaller();
        var delivery = await deliveries.RedeliverAsync(caller.TenantId, deliveryId, cancellationToken).ConfigureAwait(false);
        LogRedelivered(loggers.CreateLogger(typeof(WebhooksApi)), delivery.Id, delivery.EventId, caller.TenantId);
        return TypedResults.Ok(WebhookDeliveryResponse.From(delivery));
    }

    private static void ValidateUrl(ValidationErrors errors, string? url)
    {
        if (WebhookUrl.Problem(url) is { } problem)
        {
            errors.Add("url", problem);
        }
    }

    private static void ValidateEventTypes(ValidationErrors errors, IReadOnlyList<string>? eventTypes)
    {
        var known = string.Join(", ", WebhookEventTypes.Known);
        if (eventTypes is null || eventTypes.Count == 0)
        {
            errors.Add("eventTypes", $"Must list one or more of: {known}.");
            return;
        }

        for (var i = 0; i < eventTypes.Count; i++)
        {
            if (!WebhookEventTypes.IsKnown(eventTypes[i]))
            {
                errors.Add($"eventTypes[{i}]", $"Must be one of: {known}.");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {WebhookId} created for tenant {TenantId} by key {KeyId}")]
    private static partial void LogCreated(ILogger logger, string webhookId, string tenantId, string keyId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {WebhookId} of tenant {TenantId} changed (enabled: {Enabled})")]
    private static partial void LogUpdated(ILogger logger, string webhookId, string tenantId, bool enabled);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {WebhookId} of tenant {TenantId} removed")]
    private static partial void LogDeleted(ILogger logger, string webhookId, string tenantId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook delivery {DeliveryId} of event {EventId} queued again by tenant {TenantId}")]
    private static partial void LogRedelivered(ILogger logger, string deliveryId, string eventId, string tenantId);
}
