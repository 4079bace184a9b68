using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Vox.Gateway.Api.Http;

/// <summary>
/// Puts the exception handler first in the host's pipeline, ahead of the authentication and routing middleware the
/// host adds, so a failure anywhere (a store outage while checking a key included) answers ProblemDetails.
/// </summary>
internal sealed class ExceptionHandlerStartupFilter : IStartupFilter
{
    /// <inheritdoc />
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseExceptionHandler();
        next(app);
    };
}
