using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Vox.Gateway.Sip;
using Vox.Grains.Numbers;

namespace Vox.Gateway.Agi;

/// <summary>
/// FastAGI server (Asterisk <c>AGI(agi://vox:4573/route)</c>): reads the <c>agi_*</c> header block, looks the dialled
/// number up and, for a known number, sets <c>VOX_ASSISTANT_ID</c> (the bot) and <c>VOX_SIP_URI</c> (where to Dial Vox).
/// An unknown number sets nothing. A <c>HANGUP</c> line from Asterisk ends the session at once.
/// </summary>
public sealed partial class FastAgiServer(
    IPhoneNumberCatalog numbers,
    IOptions<AgiOptions> options,
    IOptions<SipOptions> sip,
    ILogger<FastAgiServer> logger) : BackgroundService
{
    private readonly TaskCompletionSource<IPEndPoint?> _bound = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The bound endpoint once listening (null when disabled or the port was taken).</summary>
    public Task<IPEndPoint?> BoundAsync => _bound.Task;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            _bound.TrySetResult(null);
            return;
        }

        var listener = new TcpListener(IPAddress.Parse(o.ListenAddress), o.Port);
        try
        {
            listener.Start();
        }
        catch (SocketException ex)
        {
            LogPortTaken(logger, o.ListenAddress, o.Port, ex.Message);
            _bound.TrySetResult(null);
            return;
        }

        var endPoint = (IPEndPoint)listener.LocalEndpoint;
        LogListening(logger, endPoint.ToString());
        _bound.TrySetResult(endPoint);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stoppingToken);
                _ = Task.Run(() => ServeAsync(client, stoppingToken), stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            listener.Stop();
        }
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stoppingToken)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.TimeoutSeconds));
        var token = timeout.Token;
        try
        {
            var stream = client.GetStream();
            var reader = new StreamReader(stream, Encoding.UTF8, leaveOpen: true);
            var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n", AutoFlush = true };
            var variables = new Dictionary<string, string>(StringComparer.Ordinal);
            while (await reader.ReadLineAsync(token) is { } line)
            {
                if (line.Length == 0)
                {
                    break;
                }

                if (line == "HANGUP")
                {
                    return;
                }

                var colon = line.IndexOf(':');
                if (colon > 0 && variables.Count < 256)
                {
                    variables[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }

            var request = new AgiRequest(variables);
            if (request.Script != "route")
            {
                LogUnknownScript(logger, request.Script);
                await writer.WriteLineAsync("VERBOSE \"Vox: unknown AGI script\" 1".AsMemory(), token);
                return;
            }

            var number = request.DialledNumber;
            PhoneNumber? found = null;
            if (number is not null)
            {
                found = await numbers.FindByNumberAsync(number, token);
            }

            if (found?.BotId is null)
            {
                LogUnrouted(logger, number ?? "(none)", request.Get("agi_uniqueid") ?? "");
                return;
            }

            LogRouted(logger, number!, found.BotId, request.Get("agi_uniqueid") ?? "");
            if (!await CommandAsync(reader, writer, $"SET VARIABLE VOX_ASSISTANT_ID \"{found.BotId}\"", token))
            {
                return;
            }

            await CommandAsync(reader, writer, $"SET VARIABLE VOX_SIP_URI \"sip:{number}@{SipTarget()}\"", token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Asterisk hung up or the connection timed out: the session is over.
        }
    }

    /// <summary>Sends one command and reads its reply; false when Asterisk answered HANGUP, an error, or closed.</summary>
    private static async Task<bool> CommandAsync(StreamReader reader, StreamWriter writer, string command, CancellationToken token)
    {
        await writer.WriteLineAsync(command.AsMemory(), token);
        while (await reader.ReadLineAsync(token) is { } reply)
        {
            if (reply == "HANGUP")
            {
                // The channel hung up (SIGHUP): the reply may still follow, but nothing more should be sent.
                return false;
            }

            if (reply.StartsWith("200", StringComparison.Ordinal))
            {
                return true;
            }

            if (reply.Length >= 3 && char.IsAsciiDigit(reply[0]))
            {
                return false;
            }
        }

        return false;
    }

    private string SipTarget()
    {
        if (!string.IsNullOrEmpty(options.Value.SipTarget))
        {
            return options.Value.SipTarget;
        }

        var s = sip.Value;
        var host = string.IsNullOrEmpty(s.AdvertisedHost) ? (s.ListenAddress is "0.0.0.0" or "::" ? "127.0.0.1" : s.ListenAddress) : s.AdvertisedHost;
        return $"{host}:{s.Port}";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "FastAGI listening on {EndPoint}")]
    private static partial void LogListening(ILogger logger, string endPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "FastAGI cannot listen on {Address}:{Port} ({Error}); FastAGI routing is off. Set Agi:Port (or Ports:Agi) to a free port.")]
    private static partial void LogPortTaken(ILogger logger, string address, int port, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "FastAGI: unknown script '{Script}'")]
    private static partial void LogUnknownScript(ILogger logger, string script);

    [LoggerMessage(Level = LogLevel.Information, Message = "FastAGI route {Number} -> bot {BotId} (channel {UniqueId})")]
    private static partial void LogRouted(ILogger logger, string number, string botId, string uniqueId);

    [LoggerMessage(Level = LogLevel.Information, Message = "FastAGI: {Number} is not a Vox number (channel {UniqueId})")]
    private static partial void LogUnrouted(ILogger logger, string number, string uniqueId);
}
