using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Vox.Grains;

namespace Vox.Gateway.Api.Http;

/// <summary>
/// Maps exceptions to ProblemDetails with a <c>code</c>: not found 404, conflict 409 (with <c>field</c>), other
/// <see cref="VoxException"/> 400; a grain on a silo that just died 503 with <c>Retry-After</c>; anything else is logged and
/// answered 500 with only a trace id, never a stack trace.
/// </summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody reads an answer.
            httpContext.Response.StatusCode = 499;
            return true;
        }

        var problem = exception switch
        {
            NotFoundException e => NotFound(e),
            ConflictException e => ApiProblems.Create(StatusCodes.Status409Conflict, e.Message, e.Code, e.Field),
            VoxException e => ApiProblems.Create(StatusCodes.Status400BadRequest, e.Message, e.Code),
            BadHttpRequestException e => ApiProblems.Create(e.StatusCode, "The request could not be read.", "bad_request"),
            // The Orleans cluster could not reach a grain (its silo just died and it is being activated on another, or the
            // cluster is still starting): the request may be sent again in a moment.
            Orleans.Runtime.OrleansException or TimeoutException =>
                ApiProblems.Create(StatusCodes.Status503ServiceUnavailable, "The cluster is moving this resource to another silo or still starting; retry in a moment.", "cluster_unavailable"),
            _ => null,
        };

        if (problem?.Status == StatusCodes.Status503ServiceUnavailable)
        {
            LogMoving(logger, httpContext.Request.Method, httpContext.Request.Path.ToString(), exception.Message);
            httpContext.Response.Headers.RetryAfter = "1";
        }

        if (problem is null)
        {
            var traceId = Activity.Current?.Id ?? httpContext.TraceIdentifier;
            LogUnhandled(logger, exception, httpContext.Request.Method, httpContext.Request.Path.ToString(), traceId);
            problem = new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "An unexpected error occurred.",
                Detail = "The error was logged; quote the traceId when reporting it.",
                Extensions = { ["code"] = "internal_error", ["traceId"] = traceId },
            };
        }

        await ApiProblems.WriteAsync(httpContext, problem).ConfigureAwait(false);
        return true;
    }

    // The entity lets the cluster HTTP client rebuild the same NotFoundException on a worker.
    private static ProblemDetails NotFound(NotFoundException exception)
    {
        var problem = ApiProblems.Create(StatusCodes.Status404NotFound, exception.Message, exception.Code);
        problem.Extensions["entity"] = exception.Entity;
        return problem;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} answered 503: the cluster could not reach a grain ({Error})")]
    private static partial void LogMoving(ILogger logger, string method, string path, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path} (trace {TraceId})")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path, string traceId);
}
