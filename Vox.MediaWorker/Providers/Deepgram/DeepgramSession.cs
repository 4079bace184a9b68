using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Vox.MediaWorker.Audio;
using Vox.MediaWorker.Providers.Stt;

namespace Vox.MediaWorker.Providers.Deepgram;

/// <summary>
/// One call's Deepgram live stream. Audio since the last final result is kept; when the socket drops, the session
/// reconnects, replays that audio (and a pending <c>Finalize</c>), and shifts the new connection's timestamps, so the
/// caller's turn survives the drop. <c>KeepAlive</c> goes out when no audio has for a while.
/// </summary>
public sealed partial class DeepgramSession : ISpeechToTextSession
{
    private static readonly byte[] KeepAlive = """{"type":"KeepAlive"}"""u8.ToArray();
    private static readonly byte[] Finalize = """{"type":"Finalize"}"""u8.ToArray();
    private static readonly byte[] CloseStream = """{"type":"CloseStream"}"""u8.ToArray();

    private readonly DeepgramOptions _options;
    private readonly string _apiKey;
    private readonly SpeechToTextRequest _request;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<TranscriptEvent> _events = Channel.CreateUnbounded<TranscriptEvent>(new() { SingleReader = true });
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly LinkedList<(long Start, short[] Samples)> _replay = new();
    private readonly CancellationTokenSource _lifetime = new();
    private ClientWebSocket? _socket;
    private long _samplesSent;
    private long _connectionStart;
    private long _lastSendTicks;
    private bool _finalizePending;
    private readonly StringBuilder _held = new();
    private TimeSpan? _heldStart;
    private Task? _receiving;
    private Task? _keepingAlive;

    internal DeepgramSession(DeepgramOptions options, string apiKey, SpeechToTextRequest request, TimeProvider time, ILogger logger)
    {
        _options = options;
        _apiKey = apiKey;
        _request = request;
        _time = time;
        _logger = logger;
    }

    /// <summary>Reconnects made after drops (for tests and metrics).</summary>
    public int Reconnects { get; private set; }

    /// <summary>The URL of the listen endpoint with the session's parameters (no key: that goes in a header).</summary>
    public Uri ListenUri
    {
        get
        {
            var encoding = _request.TransportEncoding == AudioEncoding.MuLaw ? "mulaw" : "linear16";
            var query = new StringBuilder()
                .Append("model=").Append(Uri.EscapeDataString(_request.Model ?? _options.Model))
                .Append("&encoding=").Append(encoding)
                .Append("&sample_rate=").Append(_request.SampleRate.ToString(CultureInfo.InvariantCulture))
                .Append("&channels=1&interim_results=true&vad_events=true&smart_format=true&punctuate=true")
                .Append("&endpointing=").Append(_options.EndpointingMs.ToString(CultureInfo.InvariantCulture))
                .Append("&utterance_end_ms=").Append(_options.UtteranceEndMs.ToString(CultureInfo.InvariantCulture))
                .Append("&language=").Append(Uri.EscapeDataString(_request.Language));
            foreach (var keyword in _request.Keywords ?? [])
            {
                query.Append("&keyterm=").Append(Uri.EscapeDataString(keyword));
            }

            return new Uri(_options.BaseUrl.TrimEnd('/') + "/v1/listen?" + query);
        }
    }

    internal async Task ConnectAsync(CancellationToken cancellationToken)
    {
        _socket = await OpenAsync(cancellationToken).ConfigureAwait(false);
        _lastSendTicks = _time.GetTimestamp();
        _receiving = ReceiveLoopAsync();
        _keepingAlive = KeepAliveLoopAsync();
    }

    /// <inheritdoc />
    public async ValueTask SendAudioAsync(ReadOnlyMemory<short> samples, CancellationToken cancellationToken)
    {
        var copy = samples.ToArray();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            lock (_replay)
            {
                _replay.AddLast((_samplesSent, copy));
                _samplesSent += copy.Length;
                TrimReplay(_samplesSent - (long)_options.ReplaySeconds * _request.SampleRate);
            }

            await SendUnderGateAsync(Encode(copy), WebSocketMessageType.Binary, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public async ValueTask FinalizeAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _finalizePending = true;
            await SendUnderGateAsync(Finalize, WebSocketMessageType.Text, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<TranscriptEvent> ReadEventsAsync(CancellationToken cancellationToken) => _events.Reader.ReadAllAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_lifetime.IsCancellationRequested)
        {
            return;
        }

        try
        {
            if (_socket is { State: WebSocketState.Open } socket)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await socket.SendAsync(CloseStream, WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        _socket?.Abort();
        foreach (var task in new[] { _receiving, _keepingAlive })
        {
            if (task is not null)
            {
                try
                {
                    await task.ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
                {
                }
            }
        }

        _socket?.Dispose();
        _events.Writer.TryComplete();
        _lifetime.Dispose();
    }

    private async Task<ClientWebSocket> OpenAsync(CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Token " + _apiKey);
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            await socket.ConnectAsync(ListenUri, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private byte[] Encode(short[] samples)
    {
        if (_request.TransportEncoding == AudioEncoding.MuLaw)
        {
            var codes = new byte[samples.Length];
            MuLawCodec.Encode(samples, codes);
            return codes;
        }

        var bytes = new byte[samples.Length * 2];
        Pcm16.SamplesToBytes(samples, bytes);
        return bytes;
    }

    private async Task SendUnderGateAsync(byte[] payload, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        var socket = _socket!;
        try
        {
            await socket.SendAsync(payload, type, true, cancellationToken).ConfigureAwait(false);
            _lastSendTicks = _time.GetTimestamp();
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The replay buffer already holds this audio: a reconnect resends it.
            try
            {
                await ReconnectUnderGateAsync(socket, ex.Message, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception reconnect) when (reconnect is WebSocketException or HttpRequestException)
            {
                LogReconnectFailed(_logger, _options.ReconnectAttempts + 1, reconnect.Message);
            }
        }
    }

    private async Task ReconnectAsync(ClientWebSocket failed, string why)
    {
        await _gate.WaitAsync(_lifetime.Token).ConfigureAwait(false);
        try
        {
            await ReconnectUnderGateAsync(failed, why, _lifetime.Token).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ReconnectUnderGateAsync(ClientWebSocket failed, string why, CancellationToken cancellationToken)
    {
        if (!ReferenceEquals(_socket, failed) || _lifetime.IsCancellationRequested)
        {
            return;
        }

        List<(long Start, short[] Samples)> replay;
        lock (_replay)
        {
            replay = [.. _replay];
        }

        LogDropped(_logger, why, replay.Sum(c => c.Samples.Length) * 1000L / _request.SampleRate);
        failed.Abort();
        failed.Dispose();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var socket = await OpenAsync(cancellationToken).ConfigureAwait(false);
                _connectionStart = replay.Count > 0 ? replay[0].Start : _samplesSent;
                foreach (var (_, samples) in replay)
                {
                    await socket.SendAsync(Encode(samples), WebSocketMessageType.Binary, true, cancellationToken).ConfigureAwait(false);
                }

                if (_finalizePending)
                {
                    await socket.SendAsync(Finalize, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
                }

                _socket = socket;
                _lastSendTicks = _time.GetTimestamp();
                Reconnects++;
                LogReconnected(_logger, attempt);
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException && attempt <= _options.ReconnectAttempts)
            {
                LogReconnectFailed(_logger, attempt, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(_options.ReconnectDelayMs * (1 << Math.Min(attempt - 1, 6))), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var token = _lifetime.Token;
        var buffer = new ArrayBufferWriter<byte>(8192);
        try
        {
            while (!token.IsCancellationRequested)
            {
                var socket = _socket!;
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                try
                {
                    do
                    {
                        result = await socket.ReceiveAsync(buffer.GetMemory(8192), token).ConfigureAwait(false);
                        buffer.Advance(result.Count);
                    }
                    while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                }
                catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException && !token.IsCancellationRequested)
                {
                    await ReconnectAsync(socket, ex.Message).ConfigureAwait(false);
                    continue;
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await ReconnectAsync(socket, $"closed by the server ({socket.CloseStatus} {socket.CloseStatusDescription})").ConfigureAwait(false);
                    continue;
                }

                if (result.MessageType == WebSocketMessageType.Text)
                {
                    await HandleMessageAsync(buffer.WrittenMemory, token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogFailed(_logger, ex);
            _events.Writer.TryComplete(ex);
            return;
        }

        _events.Writer.TryComplete();
    }

    private async Task HandleMessageAsync(ReadOnlyMemory<byte> message, CancellationToken token)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(message);
        }
        catch (JsonException ex)
        {
            LogMalformed(_logger, ex.Message);
            return;
        }

        using (doc)
        {
            var root = doc.RootElement;
            var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
            switch (type)
            {
                case "Results":
                    if (ParseResults(root) is { } transcript)
                    {
                        await _events.Writer.WriteAsync(transcript, token).ConfigureAwait(false);
                    }

                    break;
                case "UtteranceEnd":
                    var lastWordEnd = root.TryGetProperty("last_word_end", out var l) && l.TryGetDouble(out var seconds) ? At(seconds) : TimeSpan.Zero;
                    await _events.Writer.WriteAsync(new TranscriptEvent("", false, true, lastWordEnd, lastWordEnd), token).ConfigureAwait(false);
                    break;
                case "Error":
                    LogMalformed(_logger, "error message: " + root.GetRawText());
                    break;
            }
        }
    }

    private TranscriptEvent? ParseResults(JsonElement root)
    {
        try
        {
            var isFinal = root.TryGetProperty("is_final", out var f) && f.ValueKind == JsonValueKind.True;
            var speechFinal = root.TryGetProperty("speech_final", out var s) && s.ValueKind == JsonValueKind.True;
            var fromFinalize = root.TryGetProperty("from_finalize", out var ff) && ff.ValueKind == JsonValueKind.True;
            var start = root.TryGetProperty("start", out var st) && st.TryGetDouble(out var startSeconds) ? startSeconds : 0;
            var duration = root.TryGetProperty("duration", out var du) && du.TryGetDouble(out var durationSeconds) ? durationSeconds : 0;
            var alternative = root.GetProperty("channel").GetProperty("alternatives")[0];
            var text = alternative.TryGetProperty("transcript", out var tr) ? tr.GetString() ?? "" : "";
            double? confidence = alternative.TryGetProperty("confidence", out var c) && c.TryGetDouble(out var conf) ? conf : null;
            if (!isFinal)
            {
                return new TranscriptEvent(text, false, false, At(start), At(start + duration), confidence);
            }

            // Audio up to the end of a final segment is settled: it need not be replayed after a drop.
            var settled = _connectionStart + (long)((start + duration) * _request.SampleRate);
            lock (_replay)
            {
                TrimReplay(settled);
            }

            var ends = fromFinalize || speechFinal;
            if (_finalizePending && !ends)
            {
                // The turn is being finalised: the first final after Finalize ends the turn for the pipeline, so
                // segments before the closing one are held and joined into it (passed on as interim meanwhile).
                _heldStart ??= At(start);
                _held.Append(_held.Length > 0 && text.Length > 0 ? " " : "").Append(text);
                return new TranscriptEvent(_held.ToString(), false, false, _heldStart.Value, At(start + duration), confidence);
            }

            var from = At(start);
            if (_held.Length > 0)
            {
                text = (_held + " " + text).Trim();
                from = _heldStart ?? from;
                _held.Clear();
            }

            _heldStart = null;
            if (ends)
            {
                _finalizePending = false;
            }

            return new TranscriptEvent(text, true, ends, from, At(start + duration), confidence);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            LogMalformed(_logger, "Results without channel.alternatives[0]: " + ex.Message);
            return null;
        }
    }

    private TimeSpan At(double connectionSeconds) => TimeSpan.FromSeconds(_connectionStart / (double)_request.SampleRate + connectionSeconds);

    private void TrimReplay(long beforeSample)
    {
        while (_replay.First is { } first && first.Value.Start + first.Value.Samples.Length <= beforeSample)
        {
            _replay.RemoveFirst();
        }
    }

    private async Task KeepAliveLoopAsync()
    {
        var interval = TimeSpan.FromMilliseconds(_options.KeepAliveIntervalMs);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(50, _options.KeepAliveIntervalMs / 4)), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_lifetime.Token).ConfigureAwait(false))
            {
                if (_time.GetElapsedTime(Interlocked.Read(ref _lastSendTicks)) < interval)
                {
                    continue;
                }

                await _gate.WaitAsync(_lifetime.Token).ConfigureAwait(false);
                try
                {
                    await SendUnderGateAsync(KeepAlive, WebSocketMessageType.Text, _lifetime.Token).ConfigureAwait(false);
                    KeepAlivesSent++;
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>KeepAlive messages sent (for tests).</summary>
    public int KeepAlivesSent { get; private set; }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deepgram stream dropped ({Reason}); reconnecting and replaying {ReplayMs} ms of audio")]
    private static partial void LogDropped(ILogger logger, string reason, long replayMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deepgram stream reconnected after {Attempts} attempt(s)")]
    private static partial void LogReconnected(ILogger logger, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deepgram reconnect attempt {Attempt} failed: {Error}")]
    private static partial void LogReconnectFailed(ILogger logger, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deepgram sent a message that could not be read: {Error}")]
    private static partial void LogMalformed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Deepgram stream failed for good")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
