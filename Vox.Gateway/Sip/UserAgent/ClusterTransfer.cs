using Microsoft.Extensions.Logging;
using Vox.Gateway.Sip.Media;
using Vox.Grains;
using Vox.Grains.Cluster;
using Vox.Grains.Internal;
using Vox.Grains.Media;

namespace Vox.Gateway.Sip.UserAgent;

/// <summary>
/// Transfers a SIP call whose dialog another silo carries. A REST <c>POST /v1/calls/{id}/transfer</c> may reach any silo
/// behind a load balancer, but only the silo that answered or placed the call holds its dialog and can send the REFER.
/// This asks the other active silos' <c>/internal/v1/sip/calls/{id}/transfer</c> (<see cref="SipControlApi"/>) with
/// the cluster token. Each silo only transfers a dialog it carries, so at most one sends a REFER; the rest answer
/// <c>transfer_unavailable</c>.
/// </summary>
public sealed partial class ClusterTransfer(
    IMembershipService membership,
    IHttpClientFactory http,
    IClusterTokenSource token,
    ILogger<ClusterTransfer> logger,
    IGatewayAddress? self = null)
{
    /// <summary>Name of the <see cref="HttpClient"/> used to reach other silos.</summary>
    public const string HttpClientName = "vox-cluster-transfer";

    /// <summary>Asks every other active silo to transfer <paramref name="callId"/>; <see cref="TransferOutcome.NotHere"/> when none carries it.</summary>
    public async Task<TransferOutcome> TransferAsync(string callId, string target, CancellationToken cancellationToken)
    {
        var own = self?.Current.TrimEnd('/');
        var others = (await membership.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(s => s.Status == "active" && !string.Equals(s.HttpUrl.TrimEnd('/'), own, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var client = new ClusterHttpClient(http.CreateClient(HttpClientName), token.Value);
        var outcomes = await Task.WhenAll(others.Select(silo => AskAsync(client, silo, callId, target, cancellationToken))).ConfigureAwait(false);
        return outcomes.Contains(TransferOutcome.Accepted) ? TransferOutcome.Accepted
            : outcomes.Contains(TransferOutcome.Refused) ? TransferOutcome.Refused
            : TransferOutcome.NotHere;
    }

    private async Task<TransferOutcome> AskAsync(ClusterHttpClient client, SiloInfo silo, string callId, string target, CancellationToken cancellationToken)
    {
        var url = silo.HttpUrl.TrimEnd('/') + InternalApi.SipCall(callId) + "/transfer";
        try
        {
            await client.SendAsync(HttpMethod.Post, url, new CallTransferRequest(target), cancellationToken).ConfigureAwait(false);
            LogForwarded(logger, callId, silo.SiloId);
            return TransferOutcome.Accepted;
        }
        catch (ConflictException ex) when (ex.Code == "transfer_refused")
        {
            LogForwarded(logger, callId, silo.SiloId);
            return TransferOutcome.Refused;
        }
        catch (ConflictException)
        {
            return TransferOutcome.NotHere;
        }
        catch (Exception ex) when (ex is HttpRequestException or VoxException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // A silo that cannot be asked does not carry the call as far as this request can tell; the others still answer.
            LogUnreachable(logger, ex, callId, silo.SiloId, silo.HttpUrl);
            return TransferOutcome.NotHere;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: transfer handed to silo {SiloId}, which carries the dialog")]
    private static partial void LogForwarded(ILogger logger, string callId, string siloId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: could not ask silo {SiloId} at {Url} about a transfer")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string callId, string siloId, string url);
}
