using System.Net.Http.Json;
using Vox.Grains;
using Vox.Grains.Capacity;
using Vox.Grains.Internal;
using Vox.Grains.Media;

namespace Vox.Gateway.Sip.Media;

/// <summary>Talks to a reserved worker's <c>/rtp/sessions</c> endpoints: open a port, start the call, update it, end it.</summary>
public sealed class WorkerRtpClient(IHttpClientFactory http, IClusterTokenSource token)
{
    /// <summary>Name of the HTTP client used.</summary>
    public const string HttpClientName = "vox-sip-worker";

    /// <summary>Asks the worker to open an RTP port for the call.</summary>
    public async Task<RtpSessionResponse> OpenAsync(ReservedWorker worker, RtpSessionRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, worker, "/rtp/sessions", request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<RtpSessionResponse>(VoxJson.Options, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>The call was answered: the worker starts the pipeline over RTP to the far end.</summary>
    public async Task AnswerAsync(ReservedWorker worker, RtpSessionRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, worker, $"/rtp/sessions/{Uri.EscapeDataString(request.CallId)}/answer", request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A re-INVITE changed the far end's address or put the call on hold.</summary>
    public async Task UpdateAsync(ReservedWorker worker, RtpSessionRequest request, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Put, worker, $"/rtp/sessions/{Uri.EscapeDataString(request.CallId)}", request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The far end hung up or the call never connected: the worker ends or abandons the session.</summary>
    public async Task CloseAsync(ReservedWorker worker, string callId, CancellationToken cancellationToken, string? reason = null)
    {
        var query = reason is null ? "" : "?reason=" + Uri.EscapeDataString(reason);
        using var response = await SendAsync(HttpMethod.Delete, worker, $"/rtp/sessions/{Uri.EscapeDataString(callId)}{query}", null, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, ReservedWorker worker, string path, RtpSessionRequest? body, CancellationToken cancellationToken)
    {
        var client = http.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(method, BaseUrl(worker) + path);
        request.Headers.Add(InternalApi.TokenHeader, token.Value);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: VoxJson.Options);
        }

        return await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The worker's HTTP base from its media URL (<c>ws://host:port/media</c> to <c>http://host:port</c>).</summary>
    public static string BaseUrl(ReservedWorker worker) => Vox.Grains.Workers.WorkerUrls.HttpBase(worker.MediaUrl);
}
