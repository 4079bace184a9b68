using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Vox.Gateway.Api.Authentication;
using Vox.Grains.Idempotency;

namespace Vox.Gateway.Api.Http;

/// <summary>
/// Honours <c>Idempotency-Key</c> on every POST of the group it sits on, per tenant. The first request runs and its
/// response is stored (status, content type, body); a retry with the same key and body replays it; the same key with
/// another body is 422; a retry while the first still runs is 409. A request that was refused without changing
/// anything (400, 415) or failed (5xx, exception) releases the key so the client can correct it and retry.
/// </summary>
internal sealed partial class IdempotencyFilter(IIdempotencyStore store, ILogger<IdempotencyFilter> logger) : IEndpointFilter
{
    /// <summary>The request header.</summary>
    public const string Header = "Idempotency-Key";

    /// <summary>Longest key accepted.</summary>
    public const int MaxKeyLength = 255;

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var request = http.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.Headers.TryGetValue(Header, out var values))
        {
            return await next(context).ConfigureAwait(false);
        }

        if (values.Count != 1 || !IsValidKey(values[0]))
        {
            return ApiProblems.Validation(Header, $"Must be one value of 1 to {MaxKeyLength} printable ASCII characters.");
        }

        var key = values[0]!;
        var body = await RequestBody.ReadAsync(request, http.RequestAborted).ConfigureAwait(false);
        if (body.TooLarge)
        {
            // Nothing will run: the handler refuses the body, and a key is not claimed for a request that cannot succeed.
            return await next(context).ConfigureAwait(false);
        }

        var tenantId = http.User.GetCaller().TenantId;
        var claim = await store.TryBeginAsync(tenantId, key, Fingerprint(request.Method, request.Path, body.Bytes.Span), http.RequestAborted).ConfigureAwait(false);
        switch (claim.Status)
        {
            case IdempotencyStatus.Replay:
                LogReplayed(logger, tenantId, request.Method, request.Path.ToString());
                return new IdempotentReplayResult(claim);
            case IdempotencyStatus.InProgress:
                http.Response.Headers.RetryAfter = "1";
                return ApiProblems.Problem(StatusCodes.Status409Conflict,
                    "A request with this Idempotency-Key is still being processed; retry shortly.", "idempotency_in_progress", Header);
            case IdempotencyStatus.Mismatch:
                LogMismatch(logger, tenantId, request.Method, request.Path.ToString());
                return ApiProblems.Problem(StatusCodes.Status422UnprocessableEntity,
                    "This Idempotency-Key was used with a different request (method, path or body); use a new key for a new request.",
                    "idempotency_key_reused", Header);
        }

        return await RunAndStoreAsync(context, next, tenantId, key).ConfigureAwait(false);
    }

    /// <summary>What identifies "the same request": method, path and the SHA-256 of the body.</summary>
    public static string Fingerprint(string method, PathString path, ReadOnlySpan<byte> body) =>
        $"{method.ToUpperInvariant()} {path} {Convert.ToHexStringLower(SHA256.HashData(body))}";

    private static bool IsValidKey(string? key) =>
        key is { Length: > 0 and <= MaxKeyLength } && key.All(c => c is >= ' ' and <= '~');

    private async Task<object?> RunAndStoreAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, string tenantId, string key)
    {
        var http = context.HttpContext;
        object? outcome;
        byte[] captured;
        try
        {
            outcome = await next(context).ConfigureAwait(false);
            if (outcome is not IResult result)
            {
                await store.AbandonAsync(tenantId, key, CancellationToken.None).ConfigureAwait(false);
                return outcome;
            }

            captured = await CaptureAsync(http, result).ConfigureAwait(false);
        }
        catch
        {
            await store.AbandonAsync(tenantId, key, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        var status = http.Response.StatusCode;
        if (status is StatusCodes.Status400BadRequest or StatusCodes.Status415UnsupportedMediaType or >= 500)
        {
            await store.AbandonAsync(tenantId, key, CancellationToken.None).ConfigureAwait(false);
        }
        else if (status < 300 && http.GetEndpoint()?.Metadata.GetMetadata<SecretResponseMetadata>() is not null)
        {
            var problem = ApiProblems.Create(StatusCodes.Status409Conflict,
                "A request with this Idempotency-Key already succeeded. Its response held a secret that is shown only once and is not stored: " +
                "list the API keys to find the key it created, and revoke it if the secret was lost.", "idempotent_secret_not_replayed", Header);
            problem.Title = "Conflict";
            await store.CompleteAsync(tenantId, key, StatusCodes.Status409Conflict, "application/problem+json",
                JsonSerializer.Serialize(problem), CancellationToken.None).ConfigureAwait(false);
        }
        else
        {
            // Stored before the client sees the response, so a retry that follows it replays instead of finding the key in flight.
            await store.CompleteAsync(tenantId, key, status, http.Response.ContentType, Encoding.UTF8.GetString(captured), CancellationToken.None).ConfigureAwait(false);
        }

        await http.Response.Body.WriteAsync(captured, http.RequestAborted).ConfigureAwait(false);
        return Results.Empty;
    }

    // Runs the result against a memory buffer (headers and status still go to the real response), to store the body.
    private static async Task<byte[]> CaptureAsync(HttpContext http, IResult result)
    {
        var original = http.Features.Get<IHttpResponseBodyFeature>()!;
        using var buffer = new MemoryStream();
        var capture = new StreamResponseBodyFeature(buffer);
        http.Features.Set<IHttpResponseBodyFeature>(capture);
        try
        {
            await result.ExecuteAsync(http).ConfigureAwait(false);
            await capture.CompleteAsync().ConfigureAwait(false);
        }
        finally
        {
            http.Features.Set(original);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed the stored response for tenant {TenantId} on {Method} {Path}")]
    private static partial void LogReplayed(ILogger logger, string tenantId, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Idempotency key reused with a different request by tenant {TenantId} on {Method} {Path}")]
    private static partial void LogMismatch(ILogger logger, string tenantId, string method, string path);
}
