using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Vox.Testing;

/// <summary>A caller on the native Vox media protocol (docs/native-protocol.md): streams PCM16 in real time and records what comes back.</summary>
public sealed class VoxMediaClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly SemaphoreSlim _send = new(1, 1);
    private Task? _receiving;

    /// <summary>Sample rate agreed in the start message.</summary>
    public int SampleRate { get; private set; }

    /// <summary>Bot audio received: (time since connect, samples).</summary>
    public ConcurrentQueue<(TimeSpan At, short[] Samples)> Audio { get; } = new();

    /// <summary>Control messages received, as JSON.</summary>
    public ConcurrentQueue<(TimeSpan At, JsonElement Message)> Events { get; } = new();

    /// <summary>The close status and reason once the worker closed the socket.</summary>
    public (WebSocketCloseStatus? Status, string? Reason) Closed { get; private set; }

    /// <summary>Completes when the socket is closed by the far end.</summary>
    public Task Completion => _receiving ?? Task.CompletedTask;

    /// <summary>Time since the client connected.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Connects to <paramref name="mediaUrl"/> for <paramref name="callId"/> and sends the start message.</summary>
    public static async Task<VoxMediaClient> ConnectAsync(string mediaUrl, string callId, string clusterToken, int sampleRate, CancellationToken cancellationToken, bool sendStart = true)
    {
        var client = new VoxMediaClient { SampleRate = sampleRate };
        client._socket.Options.SetRequestHeader("X-Vox-Cluster-Token", clusterToken);
        await client._socket.ConnectAsync(new Uri($"{mediaUrl.TrimEnd('/')}/vox?callId={Uri.EscapeDataString(callId)}"), cancellationToken);
        client._receiving = client.ReceiveAsync();
        if (sendStart)
        {
            await client.SendJsonAsync(new { type = "start", callId, sampleRate }, cancellationToken);
        }

        return client;
    }

    /// <summary>Sends a JSON control message.</summary>
    public Task SendJsonAsync(object message, CancellationToken cancellationToken) =>
        SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message)), WebSocketMessageType.Text, cancellationToken);

    /// <summary>Sends raw bytes (for malformed-input tests).</summary>
    public async Task SendAsync(byte[] payload, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken);
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.SendAsync(payload, type, true, cancellationToken);
            }
        }
        catch (WebSocketException) when (_socket.State != WebSocketState.Open)
        {
            // The worker closed the call (that is what abuse tests expect); the close reason is in Closed.
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>Streams <paramref name="samples"/> then <paramref name="silenceAfter"/> of silence, 20 ms per message, in real time.</summary>
    public async Task StreamAsync(ReadOnlyMemory<short> samples, TimeSpan silenceAfter, CancellationToken cancellationToken)
    {
        var frame = SampleRate / 50;
        var total = samples.Length + (int)(silenceAfter.TotalSeconds * SampleRate);
        var start = Stopwatch.GetTimestamp();
        var n = 0;
        for (var offset = 0; offset < total && _socket.State == WebSocketState.Open; offset += frame, n++)
        {
            var due = TimeSpan.FromMilliseconds(20 * n) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }

            var bytes = new byte[frame * 2];
            for (var i = 0; i < frame && offset + i < samples.Length; i++)
            {
                var s = samples.Span[offset + i];
                bytes[2 * i] = (byte)s;
                bytes[2 * i + 1] = (byte)(s >> 8);
            }

            await SendAsync(bytes, WebSocketMessageType.Binary, cancellationToken);
        }
    }

    /// <summary>Messages of one type.</summary>
    public IReadOnlyList<JsonElement> EventsOfType(string type) =>
        Events.Where(e => e.Message.TryGetProperty("type", out var t) && t.GetString() == type).Select(e => e.Message).ToList();

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await WebSocketMessages.CloseAndDisposeAsync(_socket, Completion, "bye");

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 17];
        try
        {
            while (true)
            {
                var count = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None) is var r
                        ? new WebSocketReceiveResult(r.Count, r.MessageType, r.EndOfMessage, _socket.CloseStatus, _socket.CloseStatusDescription)
                        : throw new InvalidOperationException();
                    count += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Closed = (_socket.CloseStatus, _socket.CloseStatusDescription);
                    await AnswerCloseAsync();
                    return;
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    var samples = new short[count / 2];
                    Buffer.BlockCopy(buffer, 0, samples, 0, count & ~1);
                    Audio.Enqueue((Now, samples));
                }
                else
                {
                    using var doc = JsonDocument.Parse(buffer.AsMemory(0, count));
                    Events.Enqueue((Now, doc.RootElement.Clone()));
                }
            }
        }
        catch (WebSocketException)
        {
            Closed = (_socket.CloseStatus, _socket.CloseStatusDescription ?? "connection lost");
        }
    }

    // Completes the close handshake the worker started, as a carrier would.
    private async Task AnswerCloseAsync()
    {
        await _send.WaitAsync();
        try
        {
            if (_socket.State == WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        finally
        {
            _send.Release();
        }
    }
}
