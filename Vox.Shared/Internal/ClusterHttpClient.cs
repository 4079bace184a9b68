using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Vox.Grains.Internal;

/// <summary>Sends internal API requests with the cluster token and turns error answers back into Vox exceptions.</summary>
public sealed class ClusterHttpClient(HttpClient http, string clusterToken)
{
    /// <summary>Sends <paramref name="body"/> (if any) and reads a <typeparamref name="T"/> answer.</summary>
    public async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        var result = await response.Content.ReadFromJsonAsync<T>(VoxJson.Options, cancellationToken).ConfigureAwait(false);
        return result ?? throw new InvalidDataException($"The silo answered {method} {path} with an empty body.");
    }

    /// <summary>Sends <paramref name="body"/> (if any) to an endpoint whose success carries no body (202, 204). <paramref name="path"/> may be absolute.</summary>
    public async Task SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(method, path, body, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add(InternalApi.TokenHeader, clusterToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: VoxJson.Options);
        }

        var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await ToExceptionAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<Exception> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string code = "error", detail = text;
        string? entity = null, field = null;
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            code = root.TryGetProperty("code", out var c) ? c.GetString() ?? code : code;
            detail = root.TryGetProperty("detail", out var d) ? d.GetString() ?? detail : detail;
            entity = root.TryGetProperty("entity", out var e) ? e.GetString() : null;
            field = root.TryGetProperty("field", out var f) ? f.GetString() : null;
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's error page, say): keep the raw text as the detail.
        }

        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => new NotFoundException(entity ?? "resource", response.RequestMessage?.RequestUri?.AbsolutePath ?? "?"),
            HttpStatusCode.Conflict => new ConflictException(code, detail, field),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new VoxException("cluster_token", $"The silo refused the cluster token ({(int)response.StatusCode}): check Cluster:Token on both sides."),
            _ => new HttpRequestException($"Internal API {(int)response.StatusCode}: {detail}", null, response.StatusCode),
        };
    }
}
