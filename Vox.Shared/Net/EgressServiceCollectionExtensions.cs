using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Vox.Grains.Net;

/// <summary>Registers the <see cref="EgressPolicy"/> from <c>Egress</c>.</summary>
public static class EgressServiceCollectionExtensions
{
    /// <summary>Binds <see cref="EgressOptions"/> (checked at start: every allowed network must be a CIDR) and adds the policy.</summary>
    public static IServiceCollection AddVoxEgress(this IServiceCollection services, IConfiguration configuration)
    {
        // Idempotent: the gateway and the webhook dispatcher both ask for it, and binding twice would list every allowed network twice.
        if (services.Any(d => d.ServiceType == typeof(EgressPolicy)))
        {
            return services;
        }

        services.AddOptions<EgressOptions>().Bind(configuration.GetSection(EgressOptions.Section))
            .Validate(o => o.AllowedNetworks.All(n => System.Net.IPNetwork.TryParse(n.Trim(), out _)),
                "Egress:AllowedNetworks must hold networks in CIDR form, e.g. 10.1.2.0/24 or 10.1.2.3/32.")
            .ValidateOnStart();
        services.AddSingleton(sp => new EgressPolicy(sp.GetRequiredService<IOptions<EgressOptions>>().Value));
        return services;
    }
}
