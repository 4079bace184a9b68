using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace Vox.Dashboard.Authentication;

/// <summary>
/// The host has no default authentication scheme (the REST API uses its own), so anonymous dashboard endpoints (session,
/// login) would see no user: this reads the dashboard cookie for them too, which antiforgery tokens are bound to.
/// </summary>
internal sealed class CookiePrincipalFilter : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.Identity?.IsAuthenticated != true)
        {
            var result = await http.AuthenticateAsync(DashboardAuth.Scheme).ConfigureAwait(false);
            if (result.Succeeded)
            {
                http.User = result.Principal;
            }
        }

        return await next(context).ConfigureAwait(false);
    }
}
