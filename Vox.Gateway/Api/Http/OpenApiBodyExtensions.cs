using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;

namespace Vox.Gateway.Api.Http;

/// <summary>Documents a JSON request body that <see cref="JsonBody"/> reads.</summary>
internal static class OpenApiBodyExtensions
{
    /// <summary>
    /// Adds <typeparamref name="T"/> as the operation's request body in the OpenAPI document only. <c>Accepts&lt;T&gt;</c> would
    /// also make routing refuse other content types with an empty 415 before the handler, where <see cref="JsonBody"/>
    /// answers a ProblemDetails instead.
    /// </summary>
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status415UnsupportedMediaType).AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(T), null, cancellationToken).ConfigureAwait(false);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });
}
