using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;
using Vox.Gateway.Agi;
using Vox.Gateway.Api;
using Vox.Gateway.Api.Authentication;
using Vox.Gateway.Api.Http;
using Vox.Gateway.Ingress;
using Vox.Gateway.Sip;
using Vox.Grains;
using Vox.Grains.Net;

namespace Vox.Gateway;

/// <summary>Registers and maps the public REST API (<c>/v1</c>), its OpenAPI document and Swagger UI.</summary>
public static class GatewayHostingExtensions
{
    /// <summary>Where the OpenAPI document is served.</summary>
    public const string OpenApiPath = "/openapi/v1.json";

    /// <summary>
    /// Adds API-key authentication and its policies, ProblemDetails with the exception mapping (placed first in the
    /// pipeline by a startup filter, so the host need not call <c>UseExceptionHandler</c>), the Vox JSON conventions for
    /// minimal APIs, and the OpenAPI document. Needs the grain services (<c>AddVoxGrains</c> or a cluster client).
    /// </summary>
    public static IHostApplicationBuilder AddVoxGateway(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<FleetApiOptions>().Bind(builder.Configuration.GetSection(FleetApiOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.ConfigureHttpJsonOptions(o => VoxJson.Configure(o.SerializerOptions));
        // URLs tenants save (webhooks, http tools) are checked against the egress policy when saved, not only when used.
        services.AddVoxEgress(builder.Configuration);
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddTransient<IStartupFilter, ExceptionHandlerStartupFilter>();

        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, "Vox API key", configureOptions: null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyDefaults.TenantPolicy, p => p.AddAuthenticationSchemes(ApiKeyDefaults.Scheme).RequireAuthenticatedUser())
            .AddPolicy(ApiKeyDefaults.AdminPolicy, p => p.AddAuthenticationSchemes(ApiKeyDefaults.Scheme).RequireAuthenticatedUser()
                .RequireClaim(ApiKeyDefaults.AdminClaim, "true"));

        services.AddSingleton<Admission.CallAdmission>();
        builder.AddVoxIngress();
        builder.AddVoxTelephony();
        services.AddOpenApi("v1", o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Vox API",
                    Version = "v1",
                    Description = "Bots, phone numbers, calls and fleet capacity. Authenticate with 'Authorization: Bearer <API key>'. " +
                                  "Every POST accepts an Idempotency-Key header.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyDefaults.Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API key, as 'Authorization: Bearer <key>' (or the X-Api-Key header).",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiKeyDefaults.Scheme, document)] = [] });
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>
    /// Maps <c>/v1</c> (every endpoint needs an API key; POSTs honour <c>Idempotency-Key</c>), the OpenAPI document at
    /// <see cref="OpenApiPath"/> and Swagger UI at <c>/swagger</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapVoxApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1")
            .RequireAuthorization(ApiKeyDefaults.TenantPolicy)
            .AddEndpointFilter<IdempotencyFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        v1.MapTenantsApi();
        v1.MapApiKeysApi();
        v1.MapBotsApi();
        v1.MapPhoneNumbersApi();
        v1.MapSipTrunksApi();
        v1.MapCallsApi();
        v1.MapWebhooksApi();
        v1.MapRecordingsApi();
        v1.MapFleetApi();
        endpoints.MapVoxIngress();
        v1.MapKnowledgeApi();
        v1.MapProviderKeysApi();
        v1.MapCampaignsApi();
        v1.MapDoNotCallApi();

        endpoints.MapOpenApi(OpenApiPath);

        // Swagger UI is middleware; run it on its own branch behind a route so the host's pipeline stays untouched.
        var swaggerUi = endpoints.CreateApplicationBuilder()
            .UseSwaggerUI(o =>
            {
                o.RoutePrefix = "swagger";
                o.DocumentTitle = "Vox API";
                o.SwaggerEndpoint(".." + OpenApiPath, "Vox API v1");
            })
            .Build();
        endpoints.Map("/swagger/{**path}", swaggerUi).WithDisplayName("Swagger UI").ExcludeFromDescription();
        return endpoints;
    }
}
