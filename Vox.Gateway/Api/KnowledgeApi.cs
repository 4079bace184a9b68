using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Vox.Gateway.Api.Authentication;
using Vox.Gateway.Api.Contracts;
using Vox.Gateway.Api.Http;
using Vox.Grains.Knowledge;

namespace Vox.Gateway.Api;

/// <summary>
/// <c>/v1/knowledge-bases</c>: a tenant's knowledge bases, documents uploaded as text, Markdown, CSV or HTML (the raw
/// body with its content type, or JSON <c>{name, contentType, content}</c>), and search as the bot's tool does it.
/// </summary>
internal static partial class KnowledgeApi
{
    private const int MaxDocumentBytes = 5 * 1024 * 1024;

    /// <summary>Maps the knowledge endpoints under <paramref name="v1"/>.</summary>
    public static IEndpointRouteBuilder MapKnowledgeApi(this IEndpointRouteBuilder v1)
    {
        var kbs = v1.MapGroup("/knowledge-bases").WithTags("Knowledge");
        kbs.MapPost("", CreateAsync).WithName("CreateKnowledgeBase").WithSummary("Create a knowledge base").AcceptsJson<CreateKnowledgeBaseRequest>().ProducesValidationProblem();
        kbs.MapGet("", ListAsync).WithName("ListKnowledgeBases").WithSummary("List the knowledge bases");
        kbs.MapGet("/{id}", GetAsync).WithName("GetKnowledgeBase").WithSummary("Get a knowledge base").ProducesProblem(StatusCodes.Status404NotFound);
        kbs.MapDelete("/{id}", DeleteAsync).WithName("DeleteKnowledgeBase").WithSummary("Delete a knowledge base with its documents").ProducesProblem(StatusCodes.Status404NotFound);
        kbs.MapPost("/{id}/documents", AddDocumentAsync).WithName("AddKnowledgeDocument")
            .WithSummary("Upload a document: text/plain, text/markdown, text/csv or text/html as the body (?name=), or JSON {name, contentType, content}")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        kbs.MapGet("/{id}/documents", ListDocumentsAsync).WithName("ListKnowledgeDocuments").WithSummary("List a knowledge base's documents").ProducesProblem(StatusCodes.Status404NotFound);
        kbs.MapGet("/{id}/search", SearchAsync).WithName("SearchKnowledgeBase").WithSummary("Search a knowledge base (?q=&topK=)")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    /// <summary>Creates a knowledge base for the caller's tenant.</summary>
    public static async Task<Results<Created<KnowledgeBaseInfo>, ProblemHttpResult>> CreateAsync(
        HttpRequest request, ClaimsPrincipal user, IKnowledgeBases knowledge, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CreateKnowledgeBaseRequest>(request, cancellationToken).ConfigureAwait(false);
        if (!body.Succeeded)
        {
            return body.Problem;
        }

        var errors = new ValidationErrors();
        errors.Required("name", body.Value.Name, ValidationErrors.MaxNameLength);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var kb = await knowledge.CreateAsync(user.GetCaller().TenantId, body.Value.Name.Trim(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/v1/knowledge-bases/{kb.Id}", kb);
    }

    /// <summary>The caller's knowledge bases.</summary>
    public static async Task<Ok<IReadOnlyList<KnowledgeBaseInfo>>> ListAsync(ClaimsPrincipal user, IKnowledgeBases knowledge, CancellationToken cancellationToken) =>
        TypedResults.Ok(await knowledge.ListAsync(user.GetCaller().TenantId, cancellationToken).ConfigureAwait(false));

    /// <summary>One knowledge base.</summary>
    public static async Task<Ok<KnowledgeBaseInfo>> GetAsync(ClaimsPrincipal user, IKnowledgeBases knowledge, string id, CancellationToken cancellationToken) =>
        TypedResults.Ok(await knowledge.GetAsync(user.GetCaller().TenantId, id, cancellationToken).ConfigureAwait(false));

    /// <summary>Deletes a knowledge base.</summary>
    public static async Task<NoContent> DeleteAsync(ClaimsPrincipal user, IKnowledgeBases knowledge, string id, CancellationToken cancellationToken)
    {
        await knowledge.DeleteAsync(user.GetCaller().TenantId, id, cancellationToken).ConfigureAwait(false);
        return TypedResults.NoContent();
    }

    /// <summary>Uploads and indexes a document.</summary>
    public static async Task<Results<Created<KnowledgeDocumentInfo>, ProblemHttpResult>> AddDocumentAsync(
        HttpRequest request, ClaimsPrincipal user, IKnowledgeBases knowledge, ILoggerFactory loggers, string id, [FromQuery] string? name, CancellationToken cancellationToken)
    {
        KnowledgeDocumentInput document;
        if (request.HasJsonContentType())
        {
            var body = await JsonBody.ReadAsync<KnowledgeDocumentInput>(request, cancellationToken).ConfigureAwait(false);
            if (!body.Succeeded)
            {
                return body.Problem;
            }

            document = body.Value;
        }
        else
        {
            if (request.ContentLength > MaxDocumentBytes)
            {
                return ApiProblems.Validation("body", $"The document is larger than {MaxDocumentBytes / 1024 / 1024} MiB.");
            }

            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var buffer = new char[MaxDocumentBytes + 1];
            var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (read > MaxDocumentBytes)
            {
                return ApiProblems.Validation("body", $"The document is larger than {MaxDocumentBytes / 1024 / 1024} MiB.");
            }

            document = new KnowledgeDocumentInput(name ?? "document", request.ContentType ?? "", new string(buffer, 0, read));
        }

        var errors = new ValidationErrors();
        errors.Required("name", document.Name, ValidationErrors.MaxNameLength);
        if (string.IsNullOrWhiteSpace(document.Content))
        {
            errors.Add("content", "The document is empty.");
        }

        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var caller = user.GetCaller();
        try
        {
            var info = await knowledge.AddDocumentAsync(caller.TenantId, id, document, cancellationToken).ConfigureAwait(false);
            LogDocumentAdded(loggers.CreateLogger(typeof(KnowledgeApi)), info.Id, id, caller.TenantId, info.Chunks);
            return TypedResults.Created($"/v1/knowledge-bases/{id}/documents/{info.Id}", info);
        }
        catch (ArgumentException ex) when (ex.Message.StartsWith("Content type", StringComparison.Ordinal))
        {
            return ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, ex.Message, "unsupported_media_type", "contentType");
        }
        catch (ArgumentException ex)
        {
            return ApiProblems.Validation("content", ex.Message);
        }
        catch (HttpRequestException ex)
        {
            return ApiProblems.Problem(StatusCodes.Status502BadGateway, "The embeddings endpoint failed: " + ex.Message, "embeddings_failed");
        }
    }

    /// <summary>A knowledge base's documents.</summary>
    public static async Task<Ok<IReadOnlyList<KnowledgeDocumentInfo>>> ListDocumentsAsync(ClaimsPrincipal user, IKnowledgeBases knowledge, string id, CancellationToken cancellationToken) =>
        TypedResults.Ok(await knowledge.ListDocumentsAsync(user.GetCaller().TenantId, id, cancellationToken).ConfigureAwait(false));

    /// <summary>Searches a knowledge base.</summary>
    public static async Task<Results<Ok<IReadOnlyList<KnowledgeHit>>, ProblemHttpResult>> SearchAsync(
        ClaimsPrincipal user, IKnowledgeBases knowledge, string id, [FromQuery] string? q, [FromQuery] int? topK, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Required("q", q, 1000);
        if (topK is < 1 or > 50)
        {
            errors.Add("topK", "topK must be between 1 and 50.");
        }

        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await knowledge.SearchAsync(user.GetCaller().TenantId, id, q!, topK ?? 3, cancellationToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Document {DocumentId} added to knowledge base {KnowledgeBaseId} of tenant {TenantId} ({Chunks} chunks)")]
    private static partial void LogDocumentAdded(ILogger logger, string documentId, string knowledgeBaseId, string tenantId, int chunks);
}
