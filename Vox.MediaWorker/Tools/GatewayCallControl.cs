using System.Net.Http.Json;
using System.Text.Json;
using Vox.Grains;
using Vox.Grains.Internal;
using Vox.Grains.Media;

namespace Vox.MediaWorker.Tools;

/// <summary>
/// Call control of a SIP call: the worker asks the gateway that carries the call's signalling, at the control URL it gave
/// with the call, and that gateway sends the REFER (<c>POST {controlUrl}/transfer</c>, behind the cluster token).
/// A call whose gateway gave no control URL cannot be transferred, and says so.
/// </summary>
public sealed class GatewayCallControl(HttpClient http, string? controlUrl, string clusterToken) : ICallControl
{
    /// <summary>How long the gateway may take to get the far end's answer to the REFER.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(35);

    /// <inheritdoc />
    public async ValueTask TransferAsync(string destination, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(controlUrl))
        {
            throw new CallControlException("The gateway carrying this call gave no control URL, so it cannot be transferred.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, controlUrl.TrimEnd('/') + "/transfer")
        {
            Content = JsonContent.Create(new CallTransferRequest(destination), options: VoxJson.Options),
        };
        request.Headers.Add(InternalApi.TokenHeader, clusterToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new CallControlException($"The gateway at {controlUrl} could not be reached to transfer the call: {ex.Message}", ex);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return;
            }

            throw new CallControlException($"The gateway did not transfer the call ({(int)response.StatusCode}): {await DetailAsync(response, cancellationToken).ConfigureAwait(false)}");
        }
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var problem = JsonDocument.Parse(body);
            if (problem.RootElement.ValueKind == JsonValueKind.Object)
            {
                var detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
                var title = problem.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
                return detail ?? title ?? body;
            }
        }
        catch (JsonException)
        {
        }

        return body.Length > 200 ? body[..200] : body;
    }
}
