using System.Text;
using Microsoft.AspNetCore.Http;
using Vox.Grains.Idempotency;

namespace Vox.Gateway.Api.Http;

/// <summary>Writes a stored response again, marked with <c>Idempotent-Replayed: true</c>.</summary>
internal sealed class IdempotentReplayResult(IdempotencyClaim claim) : IResult
{
    /// <summary>The header that tells a client it got a replay.</summary>
    public const string Header = "Idempotent-Replayed";

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = claim.StatusCode ?? StatusCodes.Status200OK;
        response.Headers[Header] = "true";
        if (claim.ContentType is { } contentType)
        {
            response.ContentType = contentType;
        }

        var body = Encoding.UTF8.GetBytes(claim.Body ?? "");
        response.ContentLength = body.Length;
        return body.Length == 0 ? Task.CompletedTask : response.Body.WriteAsync(body, httpContext.RequestAborted).AsTask();
    }
}
