using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace Vox.Dashboard.Authentication;

/// <summary>Refuses a state-changing dashboard request whose antiforgery header token does not match its cookie (400).</summary>
internal sealed class AntiforgeryFilter(IAntiforgery antiforgery) : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!await antiforgery.IsRequestValidAsync(context.HttpContext).ConfigureAwait(false))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Antiforgery token missing or invalid",
                detail: $"Send the token from GET /dashboard/api/session in the {DashboardAuth.AntiforgeryHeader} header.");
        }

        return await next(context).ConfigureAwait(false);
    }
}
