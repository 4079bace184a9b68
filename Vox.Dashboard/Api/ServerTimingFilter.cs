using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Vox.Dashboard.Api;

/// <summary>Adds <c>Server-Timing: app;dur=…</c> (milliseconds in the handler) to JSON answers, so the benchmark and the browser see server time.</summary>
internal sealed class ServerTimingFilter : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await next(context).ConfigureAwait(false);
        var response = context.HttpContext.Response;
        if (!response.HasStarted)
        {
            response.Headers["Server-Timing"] = "app;dur=" + Stopwatch.GetElapsedTime(started).TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);
        }

        return result;
    }
}
