using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Vox.Gateway.Api.Authentication;
using Vox.Gateway.Api.Http;

namespace Vox.Gateway.Ingress;

/// <summary>Registers and maps WebSocket call ingress, its carrier helper endpoints, the widget and the ingress-secret API.</summary>
public static class IngressHostingExtensions
{
    /// <summary>
    /// Adds <see cref="IngressOptions"/> and the ingress services. The worker token defaults to <c>Cluster:Token</c>; a host
    /// that generates its token registers its own <see cref="IngressWorkerToken"/>.
    /// </summary>
    public static IHostApplicationBuilder AddVoxIngress(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<IngressOptions>().Bind(builder.Configuration.GetSection(IngressOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new IngressWorkerToken(() => sp.GetRequiredService<IConfiguration>()["Cluster:Token"] ?? ""));
        services.AddSingleton<IngressAuthenticator>();
        services.AddSingleton<IngressCallHandler>();
        return builder;
    }

    /// <summary>
    /// Maps <c>/exotel|twilio|vonage|ws|widget/{botId}</c> (WebSocket; a signed token may also be the last path segment),
    /// <c>/twilio/{botId}/twiml</c>, <c>/vonage/{botId}/answer</c>, <c>/exotel/{botId}/applet</c>, the widget script and demo
    /// page, and <c>POST /v1/bots/{id}/ingress-secret</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapVoxIngress(this IEndpointRouteBuilder endpoints)
    {
        foreach (var carrier in IngressCarrier.All)
        {
            // WebSockets middleware on a branch of its own, so the host's pipeline stays untouched.
            var branch = endpoints.CreateApplicationBuilder()
                .UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(15) });
            branch.Run(context => context.RequestServices.GetRequiredService<IngressCallHandler>().HandleAsync(context, carrier));
            endpoints.Map($"/{carrier.Route}/{{botId}}/{{token?}}", branch.Build())
                .WithDisplayName($"{carrier.Route} WebSocket ingress").ExcludeFromDescription();
        }

        endpoints.MapMethods("/twilio/{botId}/twiml", ["GET", "POST"], CarrierHelpers.TwimlAsync).ExcludeFromDescription();
        endpoints.MapMethods("/vonage/{botId}/answer", ["GET", "POST"], CarrierHelpers.NccoAsync).ExcludeFromDescription();
        endpoints.MapMethods("/exotel/{botId}/applet", ["GET", "POST"], CarrierHelpers.ExotelAppletAsync).ExcludeFromDescription();
        endpoints.MapGet("/widget/vox-widget.js", WidgetAssets.ScriptAsync).ExcludeFromDescription();
        endpoints.MapGet("/widget/{botId}/demo", WidgetAssets.DemoPageAsync).ExcludeFromDescription();

        endpoints.MapPost("/v1/bots/{id}/ingress-secret", IngressSecretApi.RotateAsync)
            .RequireAuthorization(ApiKeyDefaults.TenantPolicy)
            .AddEndpointFilter<IdempotencyFilter>()
            .WithMetadata(SecretResponseMetadata.Instance)
            .WithTags("Bots").WithName("RotateIngressSecret")
            .WithSummary("Create or rotate the bot's WebSocket ingress secret; the secret and ready-made carrier URLs are in this response only")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status401Unauthorized);
        return endpoints;
    }
}
