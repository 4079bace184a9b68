using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Vox.Gateway.Sip.Messages;
using Vox.Gateway.Sip.Transport;

namespace Vox.Gateway.Sip.Transactions;

/// <summary>
/// Matches messages to transactions (RFC 3261 sections 17.1.3 and 17.2.3: top Via branch and sent-by, CSeq method with ACK
/// matching its INVITE), absorbs retransmissions, and hands new requests and stray responses (a retransmitted 2xx) to the
/// transaction user.
/// </summary>
public sealed partial class SipTransactionLayer
{
    private readonly ConcurrentDictionary<string, SipTransaction> _server = new();
    private readonly ConcurrentDictionary<string, ClientTransaction> _client = new();
    private readonly ILogger _logger;

    /// <summary>Creates the layer over <paramref name="transport"/> and starts receiving from it.</summary>
    public SipTransactionLayer(SipTransportLayer transport, SipTimers timers, TimeProvider time, ILogger<SipTransactionLayer> logger)
    {
        Transport = transport;
        Timers = timers;
        Time = time;
        _logger = logger;
        transport.Received = OnReceivedAsync;
    }

    /// <summary>The transport.</summary>
    public SipTransportLayer Transport { get; }

    /// <summary>Timer values.</summary>
    public SipTimers Timers { get; }

    /// <summary>The clock timers run on.</summary>
    public TimeProvider Time { get; }

    /// <summary>A new request: INVITE with its <see cref="ServerInviteTransaction"/>, others with a <see cref="ServerNonInviteTransaction"/>, ACK with null.</summary>
    public Func<SipRequest, SipRemote, SipTransaction?, ValueTask>? RequestReceived { get; set; }

    /// <summary>A response that matched no transaction (a retransmitted 2xx to an INVITE, which the dialog must ACK again).</summary>
    public Func<SipResponse, SipRemote, ValueTask>? StrayResponse { get; set; }

    /// <summary>Transactions alive now (server, client).</summary>
    public (int Server, int Client) Count => (_server.Count, _client.Count);

    /// <summary>Starts a client transaction for <paramref name="request"/> to <paramref name="remote"/>.</summary>
    public ClientTransaction SendRequest(SipRequest request, SipRemote remote)
    {
        var transaction = new ClientTransaction(request, remote, this);
        var key = ClientKey(transaction.Branch, request.Method == SipMethods.Ack ? SipMethods.Invite : request.Method);
        _client[key] = transaction;
        _ = transaction.Terminated.ContinueWith(_ => _client.TryRemove(key, out var _), TaskScheduler.Default);
        transaction.Start();
        return transaction;
    }

    /// <summary>Sends a message outside any transaction (an ACK for a 2xx, a stateless reply); transport errors are logged.</summary>
    public async ValueTask SendQuietlyAsync(SipMessage message, SipRemote remote)
    {
        try
        {
            await Transport.SendAsync(message, remote, CancellationToken.None).ConfigureAwait(false);
        }
        catch (SipTransportException ex)
        {
            LogSendFailed(_logger, remote.ToString(), ex.Message);
            if (message is SipRequest { Method: not SipMethods.Ack } request
                && _client.TryGetValue(ClientKey(request.TopVia?.Branch ?? "", request.Method), out var transaction))
            {
                transaction.OnTransportFailed();
            }
        }
    }

    private async ValueTask OnReceivedAsync(SipMessage message, SipRemote remote)
    {
        if (message is SipResponse response)
        {
            var key = ClientKey(response.TopVia?.Branch ?? "", response.CSeq!.Method);
            if (_client.TryGetValue(key, out var client) && !(response.StatusCode is >= 200 and < 300 && client.Final.IsCompleted && client.IsInvite))
            {
                client.OnResponse(response);
            }
            else if (StrayResponse is { } stray)
            {
                await stray(response, remote).ConfigureAwait(false);
            }

            return;
        }

        var request = (SipRequest)message;
        var serverKey = ServerKey(request);
        if (_server.TryGetValue(serverKey, out var existing))
        {
            switch (existing)
            {
                case ServerInviteTransaction invite when request.Method == SipMethods.Ack:
                    invite.OnAck();
                    break;
                case ServerInviteTransaction invite:
                    invite.OnRetransmission();
                    break;
                case ServerNonInviteTransaction nonInvite:
                    nonInvite.OnRetransmission();
                    break;
            }

            return;
        }

        SipTransaction? transaction = request.Method switch
        {
            SipMethods.Ack => null,
            SipMethods.Invite => new ServerInviteTransaction(request, remote, this),
            _ => new ServerNonInviteTransaction(request, remote, this),
        };
        if (transaction is not null)
        {
            if (!_server.TryAdd(serverKey, transaction))
            {
                return;
            }

            _ = transaction.Terminated.ContinueWith(_ => _server.TryRemove(serverKey, out var _), TaskScheduler.Default);
            if (transaction is ServerInviteTransaction invite)
            {
                // Tell the caller at once that the INVITE arrived, so it stops retransmitting (RFC 3261 section 17.2.1).
                invite.Respond(SipResponse.Create(request, 100));
            }
        }

        if (RequestReceived is { } handler)
        {
            await handler(request, remote, transaction).ConfigureAwait(false);
        }
    }

    /// <summary>The server transaction a CANCEL refers to (same branch, method INVITE), if it is still alive.</summary>
    public ServerInviteTransaction? FindInvite(SipRequest cancel) =>
        _server.TryGetValue(Key(cancel.TopVia, SipMethods.Invite), out var t) ? t as ServerInviteTransaction : null;

    private static string ServerKey(SipRequest request) =>
        Key(request.TopVia, request.Method == SipMethods.Ack ? SipMethods.Invite : request.Method);

    private static string Key(ViaHeader? via, string method) =>
        via is null ? "" : $"{via.Branch}|{via.Host}:{via.Port}|{method}";

    private static string ClientKey(string branch, string method) => $"{branch}|{method}";

    [LoggerMessage(Level = LogLevel.Warning, Message = "SIP send to {Remote} failed: {Error}")]
    private static partial void LogSendFailed(ILogger logger, string remote, string error);
}
