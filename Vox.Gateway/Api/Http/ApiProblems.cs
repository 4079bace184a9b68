using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Vox.Gateway.Api.Http;

/// <summary>Builds and writes the API's ProblemDetails; every error carries a stable <c>code</c> extension.</summary>
internal static class ApiProblems
{
    /// <summary>A problem with a status, a human detail, a machine code and optionally the field it is about.</summary>
    public static ProblemHttpResult Problem(int status, string detail, string code, string? field = null) =>
        TypedResults.Problem(Create(status, detail, code, field));

    /// <summary>A 400 whose <c>errors</c> maps each offending field to what is wrong with it.</summary>
    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors, string? detail = null) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "The request is invalid.",
            Detail = detail ?? "See 'errors' for each field that is wrong.",
            Extensions = { ["code"] = "validation_failed" },
        });

    /// <summary>A 400 about one field.</summary>
    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] }, message);

    /// <summary>A ProblemDetails object (for writers outside a minimal-API result).</summary>
    public static ProblemDetails Create(int status, string detail, string code, string? field = null)
    {
        var problem = new ProblemDetails { Status = status, Detail = detail, Extensions = { ["code"] = code } };
        if (field is not null)
        {
            problem.Extensions["field"] = field;
        }

        return problem;
    }

    /// <summary>Writes <paramref name="problem"/> through the host's ProblemDetails service, or as plain JSON if it declines.</summary>
    public static async Task WriteAsync(HttpContext context, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status ?? context.Response.StatusCode;
        var service = context.RequestServices.GetService<IProblemDetailsService>();
        if (service is null || !await service.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).ConfigureAwait(false))
        {
            await context.Response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: "application/problem+json").ConfigureAwait(false);
        }
    }
}
