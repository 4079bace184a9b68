using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Vox.Testing;

namespace Vox.Integration.Tests.Ingress;

/// <summary>
/// A fake carrier that speaks one carrier's documented WebSocket protocol to the gateway: streams caller audio in real
/// time, "plays" the bot's audio at real-time speed (a playout clock), echoes each mark once the audio before it has
/// played, drops its playout on clear, and records everything it received for the assertions.
/// </summary>
internal abstract class CarrierCaller : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly List<(string Name, CancellationTokenSource Pending)> _pendingMarks = [];
    private TimeSpan _playedUntil;
    private Task _receiving = Task.CompletedTask;

    protected CarrierCaller(int sampleRate) => SampleRate = sampleRate;

    /// <summary>Rate of the caller audio this carrier streams and expects back.</summary>
    public int SampleRate { get; }

    /// <summary>Bot audio received: arrival time, the message's audio bytes as sent on the wire, and its duration.</summary>
    public ConcurrentQueue<(TimeSpan At, int WireBytes, TimeSpan Duration)> Audio { get; } = new();

    /// <summary>Marks received: name, when it arrived, when the audio before it had played, when it was echoed (null if dropped).</summary>
    public ConcurrentQueue<(string Name, TimeSpan ReceivedAt, TimeSpan PlayedAt, TimeSpan? EchoedAt)> Marks { get; } = new();

    /// <summary>When each clear arrived.</summary>
    public ConcurrentQueue<TimeSpan> Clears { get; } = new();

    /// <summary>Every text message received, raw.</summary>
    public ConcurrentQueue<string> Texts { get; } = new();

    /// <summary>The close status and reason the gateway sent, once closed.</summary>
    public (WebSocketCloseStatus? Status, string? Reason) Closed { get; private set; }

    /// <summary>Completes when the far end closed.</summary>
    public Task Completion => _receiving;

    /// <summary>Time since the caller was created.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Total bot audio received.</summary>
    public TimeSpan AudioReceived => TimeSpan.FromTicks(Audio.Sum(a => a.Duration.Ticks));

    /// <summary>Connects to <paramref name="url"/> (with <paramref name="authorization"/> as the Authorization header if given) and starts the stream.</summary>
    public async Task ConnectAsync(string url, string? authorization, CancellationToken cancellationToken)
    {
        if (authorization is not null)
        {
            _socket.Options.SetRequestHeader("Authorization", authorization);
        }

        await _socket.ConnectAsync(new Uri(url), cancellationToken);
        _receiving = ReceiveAsync();
        await StartAsync(cancellationToken);
    }

    /// <summary>Sends the carrier's opening messages.</summary>
    protected abstract Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Sends one 20 ms frame of caller audio.</summary>
    protected abstract Task SendFrameAsync(short[] frame, CancellationToken cancellationToken);

    /// <summary>Sends the carrier's hang-up.</summary>
    public abstract Task HangUpAsync(CancellationToken cancellationToken);

    /// <summary>Handles one text message: audio, mark, clear or anything else.</summary>
    protected abstract Task OnTextAsync(JsonElement message);

    /// <summary>Handles one binary message (carriers that send audio as binary).</summary>
    protected virtual Task OnBinaryAsync(byte[] payload) =>
        throw new InvalidOperationException($"{GetType().Name} got a binary message, which its carrier never sends.");

    /// <summary>
    /// Handles the <c>media</c>/<c>mark</c>/<c>clear</c> events Exotel and Twilio share: checks the stream id under
    /// <paramref name="sidKey"/>, plays media (its decoded payload lasts <paramref name="duration"/>), queues marks, clears.
    /// </summary>
    protected void OnStreamEvent(JsonElement message, string sidKey, string streamSid, Func<int, TimeSpan> duration)
    {
        var kind = message.GetProperty("event").GetString();
        if (kind is "media" or "mark" or "clear")
        {
            Assert.Equal(streamSid, message.GetProperty(sidKey).GetString());
        }

        switch (kind)
        {
            case "media":
                var bytes = Convert.FromBase64String(message.GetProperty("media").GetProperty("payload").GetString()!);
                Played(bytes.Length, duration(bytes.Length));
                break;
            case "mark":
                MarkReceived(message.GetProperty("mark").GetProperty("name").GetString()!);
                break;
            case "clear":
                ClearReceived();
                break;
        }
    }

    /// <summary>Echoes a mark the way the carrier does.</summary>
    protected abstract Task EchoMarkAsync(string name);

    /// <summary>Whether the carrier echoes pending marks when its playout is cleared (Twilio does).</summary>
    protected virtual bool EchoMarksOnClear => false;

    /// <summary>
    /// Streams <paramref name="samples"/> then silence, 20 ms a message, in real time, as a carrier does: the silence lasts
    /// <paramref name="silenceAfter"/>, or less once <paramref name="until"/> holds.
    /// </summary>
    public async Task StreamAsync(ReadOnlyMemory<short> samples, TimeSpan silenceAfter, CancellationToken cancellationToken, Func<bool>? until = null)
    {
        var frame = SampleRate / 50;
        var total = samples.Length + (int)(silenceAfter.TotalSeconds * SampleRate);
        var start = Stopwatch.GetTimestamp();
        for (int offset = 0, n = 0; offset < total && _socket.State == WebSocketState.Open; offset += frame, n++)
        {
            if (offset >= samples.Length && until?.Invoke() == true)
            {
                return;
            }

            var due = TimeSpan.FromMilliseconds(20 * n) - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken);
            }

            var chunk = new short[frame];
            if (offset < samples.Length)
            {
                samples.Span.Slice(offset, Math.Min(frame, samples.Length - offset)).CopyTo(chunk);
            }

            await SendFrameAsync(chunk, cancellationToken);
        }
    }

    /// <summary>Sends a text message.</summary>
    public Task SendTextAsync(string text, CancellationToken cancellationToken) =>
        SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, cancellationToken);

    /// <summary>Sends a JSON message.</summary>
    public Task SendJsonAsync(object message, CancellationToken cancellationToken) => SendTextAsync(JsonSerializer.Serialize(message), cancellationToken);

    /// <summary>Sends raw bytes.</summary>
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
            // The far end closed the call; the reason is in Closed.
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>Notes bot audio of <paramref name="duration"/> arriving now: it plays after what is queued.</summary>
    protected void Played(int wireBytes, TimeSpan duration)
    {
        lock (_pendingMarks)
        {
            var now = Now;
            _playedUntil = (_playedUntil > now ? _playedUntil : now) + duration;
            Audio.Enqueue((now, wireBytes, duration));
        }
    }

    /// <summary>A mark arrived: echo it once the audio queued before it has played.</summary>
    protected void MarkReceived(string name)
    {
        TimeSpan wait;
        var pending = new CancellationTokenSource();
        lock (_pendingMarks)
        {
            wait = _playedUntil - Now;
            _pendingMarks.Add((name, pending));
        }

        var receivedAt = Now;
        var playedAt = receivedAt + (wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        _ = Task.Run(async () =>
        {
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, pending.Token);
                }
            }
            catch (OperationCanceledException)
            {
                if (!EchoMarksOnClear)
                {
                    Marks.Enqueue((name, receivedAt, playedAt, null));
                    return;
                }
            }

            lock (_pendingMarks)
            {
                _pendingMarks.RemoveAll(m => m.Pending == pending);
            }

            Marks.Enqueue((name, receivedAt, playedAt, Now));
            await EchoMarkAsync(name);
        });
    }

    /// <summary>A clear arrived: drop the playout and the marks waiting on it.</summary>
    protected void ClearReceived()
    {
        Clears.Enqueue(Now);
        lock (_pendingMarks)
        {
            _playedUntil = Now;
            foreach (var (_, pending) in _pendingMarks)
            {
                pending.Cancel();
            }

            _pendingMarks.Clear();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await WebSocketMessages.CloseAndDisposeAsync(_socket, _receiving, "bye");

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 18];
        try
        {
            while (true)
            {
                var (type, payload) = await WebSocketMessages.ReceiveAsync(_socket, buffer, CancellationToken.None);
                if (type == WebSocketMessageType.Close)
                {
                    Closed = (_socket.CloseStatus, _socket.CloseStatusDescription);
                    return;
                }

                if (type == WebSocketMessageType.Binary)
                {
                    await OnBinaryAsync(payload.ToArray());
                }
                else
                {
                    var text = Encoding.UTF8.GetString(payload);
                    Texts.Enqueue(text);
                    using var doc = JsonDocument.Parse(text);
                    await OnTextAsync(doc.RootElement.Clone());
                }
            }
        }
        catch (WebSocketException)
        {
            Closed = (_socket.CloseStatus, _socket.CloseStatusDescription ?? "connection lost");
        }
    }
}
