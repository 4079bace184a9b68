using Vox.Grains;
using Vox.Grains.Internal;
using Vox.Grains.Media;

namespace Vox.MediaWorker.Tools;

/// <summary>
/// Call control of a SIP call: the worker asks the gateway that carries the call's signalling, at the control URL it gave
/// with the call, and that gateway sends the REFER (<c>POST {controlUrl}/transfer</c>, behind the cluster token).
/// A call whose gateway gave no control URL cannot be transferred, and says so. The request and its error answers go
/// through <see cref="ClusterHttpClient"/>.
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
        try
        {
            await new ClusterHttpClient(http, clusterToken)
                .SendAsync(HttpMethod.Post, controlUrl.TrimEnd('/') + "/transfer", new CallTransferRequest(destination), timeout.Token).ConfigureAwait(false);
        }
        catch (ConflictException ex)
        {
            throw new CallControlException($"The gateway did not transfer the call (409 {ex.Code}): {ex.Message}", ex);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is null)
        {
            throw new CallControlException($"The gateway at {controlUrl} could not be reached to transfer the call: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is VoxException or HttpRequestException)
        {
            throw new CallControlException($"The gateway at {controlUrl} did not transfer the call: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CallControlException($"The gateway at {controlUrl} did not answer the transfer within {Timeout.TotalSeconds:0} s.", ex);
        }
    }
}
