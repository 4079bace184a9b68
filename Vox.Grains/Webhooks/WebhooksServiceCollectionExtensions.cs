using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Vox.Grains.Net;

namespace Vox.Grains.Webhooks;

/// <summary>Registers webhook endpoints, the outbox views and this silo's dispatcher.</summary>
public static class WebhooksServiceCollectionExtensions
{
    /// <summary>Adds <see cref="IWebhookCatalog"/>, <see cref="IWebhookDeliveries"/>, <see cref="WebhookOptions"/> and the <see cref="WebhookDispatcher"/> hosted service.</summary>
    public static IServiceCollection AddVoxWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateDataAnnotations()
            .Validate(o => o.MaxBackoffMs >= o.InitialBackoffMs, "Webhooks:MaxBackoffMs must be at least Webhooks:InitialBackoffMs.")
            .Validate(o => o.ClaimTtlMs >= o.RequestTimeoutMs * 2, "Webhooks:ClaimTtlMs must be at least twice Webhooks:RequestTimeoutMs, or another silo could send a delivery that is still in flight.")
            .ValidateOnStart();
        services.AddVoxEgress(configuration);
        services.AddSingleton<IWebhookCatalog, WebhookCatalog>();
        services.AddSingleton<IWebhookDeliveries, WebhookDeliveries>();
        services.AddHttpClient(WebhookDispatcher.HttpClientName, client =>
            {
                // Each request gets its own timeout token (Webhooks:RequestTimeoutMs).
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestHeaders.UserAgent.ParseAdd("Vox-Webhooks/1.0");
            })
            // Endpoint URLs are the tenants': every connection passes the egress policy (no cloud metadata, and no private
            // networks when Egress:BlockPrivateNetworks is on).
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var handler = sp.GetRequiredService<EgressPolicy>().CreateHandler();
                handler.AllowAutoRedirect = false;
                handler.UseCookies = false;
                handler.PooledConnectionLifetime = TimeSpan.FromMinutes(2);
                return handler;
            })
            // The factory's request logging would write customer URLs (whose query strings may hold tokens); the dispatcher logs ids instead.
            .RemoveAllLoggers();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        return services;
    }
}
