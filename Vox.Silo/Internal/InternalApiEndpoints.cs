using Vox.Gateway.Sip.UserAgent;
using Vox.Grains.Internal;

namespace Vox.Silo.Internal;

/// <summary>The cluster-internal API that media workers call, behind the cluster token.</summary>
public static class InternalApiEndpoints
{
    /// <summary>Maps <c>/internal/v1</c>.</summary>
    public static IEndpointRouteBuilder MapInternalApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(InternalApi.Root).AddEndpointFilter<ClusterTokenFilter>().ExcludeFromDescription();
        group.MapCapacityEndpoints();
        group.MapCallEndpoints();
        group.MapBotEndpoints();
        group.MapProviderEndpoints();
        group.MapSipControlEndpoints();
        return app;
    }
}
