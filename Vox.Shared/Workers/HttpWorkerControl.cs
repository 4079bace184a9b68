using System.Net;
using Vox.Grains.Internal;

namespace Vox.Grains.Workers;

/// <summary>
/// Sends worker commands over the worker's HTTP control endpoint (<c>POST /calls/{callId}/hangup</c> beside its
/// media endpoint), with the cluster token.
/// </summary>
public sealed class HttpWorkerControl(HttpClient http, Func<string> clusterToken) : IWorkerControl
{
    /// <inheritdoc />
    public async Task<bool> HangUpAsync(string mediaUrl, string callId, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mediaUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(callId);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{WorkerUrls.HttpBase(mediaUrl)}/calls/{Uri.EscapeDataString(callId)}/hangup?reason={Uri.EscapeDataString(reason)}");
        request.Headers.Add(InternalApi.TokenHeader, clusterToken());
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.StatusCode switch
        {
            HttpStatusCode.Accepted or HttpStatusCode.OK => true,
            HttpStatusCode.NotFound => false,
            _ => throw new HttpRequestException($"Worker at {mediaUrl} answered the hang-up with {(int)response.StatusCode}.", null, response.StatusCode),
        };
    }
}
