using Vox.Grains.Internal;
using Vox.Silo.Hosting;

namespace Vox.Silo.Internal;

/// <summary>Refuses internal API requests that lack the cluster token (401) or carry a wrong one (403).</summary>
public sealed class ClusterTokenFilter(ClusterToken token) : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var presented = context.HttpContext.Request.Headers[InternalApi.TokenHeader].ToString();
        if (string.IsNullOrEmpty(presented))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Cluster token required",
                detail: $"Send the cluster token in the {InternalApi.TokenHeader} header (see Cluster:Token).",
                extensions: new Dictionary<string, object?> { ["code"] = "cluster_token_missing" });
        }

        if (!token.Matches(presented))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Wrong cluster token",
                detail: "The cluster token does not match this cluster's; check Cluster:Token on the worker and the silo.",
                extensions: new Dictionary<string, object?> { ["code"] = "cluster_token_wrong" });
        }

        return await next(context);
    }
}
