using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Vox.Dashboard.Api;
using Vox.Dashboard.Assets;
using Vox.Dashboard.Authentication;
using Vox.Dashboard.Fleet;

namespace Vox.Dashboard;

/// <summary>Registers and maps the operator dashboard at <c>/dashboard</c>: plain assets, JSON under <c>/dashboard/api</c>, live updates by server-sent events.</summary>
public static class DashboardHostingExtensions
{
    /// <summary>
    /// Adds the dashboard's cookie sign-in (its own scheme, HttpOnly, SameSite=Strict, path <c>/dashboard</c>), antiforgery
    /// tokens for state-changing requests, and the fleet sampler. Needs the grain services and a recording store.
    /// </summary>
    public static IHostApplicationBuilder AddVoxDashboard(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DashboardOptions>().Bind(builder.Configuration.GetSection(DashboardOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.Users.All(u => u.Username.Length > 0 && u.Password.Length >= 12 && u.TenantId.Length > 0),
                "Every Dashboard:Users entry needs a Username, a TenantId and a Password of at least 12 characters.")
            .ValidateOnStart();
        services.AddOptions<DashboardPoolOptions>().Bind(builder.Configuration.GetSection(DashboardPoolOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DashboardSignIn>();
        services.AddSingleton<DashboardAssets>();
        services.AddSingleton<ProcessStats>();
        services.AddSingleton<FleetHistory>();
        services.AddHostedService(sp => sp.GetRequiredService<FleetHistory>());
        services.AddSingleton<AntiforgeryFilter>();
        services.AddSingleton<CookiePrincipalFilter>();
        services.AddSingleton<ServerTimingFilter>();

        services.AddAuthentication().AddCookie(DashboardAuth.Scheme, o =>
        {
            o.Cookie.Name = "vox_dashboard";
            o.Cookie.Path = DashboardAuth.BasePath;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.SlidingExpiration = true;
            o.LoginPath = DashboardAuth.BasePath + "/login";
            o.Events.OnRedirectToLogin = c => Refuse(c, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = c => Refuse(c, StatusCodes.Status403Forbidden);
            o.Events.OnValidatePrincipal = DashboardSignIn.ValidateAsync;
        });
        services.AddOptions<CookieAuthenticationOptions>(DashboardAuth.Scheme).Configure<Microsoft.Extensions.Options.IOptions<DashboardOptions>>(
            (o, dashboard) => o.ExpireTimeSpan = TimeSpan.FromMinutes(dashboard.Value.SessionMinutes));
        services.AddAntiforgery(o =>
        {
            o.HeaderName = DashboardAuth.AntiforgeryHeader;
            o.Cookie.Name = "vox_dashboard_csrf";
            o.Cookie.Path = DashboardAuth.BasePath;
            o.Cookie.SameSite = SameSiteMode.Strict;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(DashboardAuth.OperatorPolicy, p => p.AddAuthenticationSchemes(DashboardAuth.Scheme).RequireAuthenticatedUser()
                .RequireClaim(DashboardAuth.TenantClaim))
            .AddPolicy(DashboardAuth.AdminPolicy, p => p.AddAuthenticationSchemes(DashboardAuth.Scheme).RequireAuthenticatedUser()
                .RequireClaim(DashboardAuth.AdminClaim, "true"));
        return builder;
    }

    /// <summary>Maps <c>/dashboard</c> (pages and assets) and <c>/dashboard/api</c> (JSON and the live event stream).</summary>
    public static IEndpointRouteBuilder MapVoxDashboard(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(DashboardAuth.BasePath + "/api")
            .RequireAuthorization(DashboardAuth.OperatorPolicy)
            .AddEndpointFilter<CookiePrincipalFilter>()
            .AddEndpointFilter<ServerTimingFilter>()
            .ExcludeFromDescription();
        api.MapSessionApi();
        api.MapFleetApi();
        api.MapCallsApi();
        api.MapStatsApi();
        api.MapCampaignsApi();
        api.MapBotsApi();
        api.MapLiveApi();

        endpoints.MapGet(DashboardAuth.BasePath + "/{**path}", ServePage).ExcludeFromDescription();
        return endpoints;
    }

    // Assets by name; an unknown API path is 404; every other path is a page of the single-page app, whose script asks
    // /api/session who is signed in.
    private static IResult ServePage(HttpContext context, DashboardAssets assets, string? path) =>
        path is not null && path.StartsWith("api/", StringComparison.Ordinal)
            ? TypedResults.NotFound()
            : (path is not null && path.StartsWith("assets/", StringComparison.Ordinal) ? assets.Serve(context, path) : assets.Serve(context, "index.html"))
              ?? TypedResults.NotFound();

    private static Task Refuse(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
