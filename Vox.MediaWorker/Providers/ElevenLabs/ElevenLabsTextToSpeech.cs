using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Vox.MediaWorker.Audio;
using Vox.MediaWorker.Providers.Tts;

namespace Vox.MediaWorker.Providers.ElevenLabs;

/// <summary>
/// ElevenLabs for one call. WebSocket stream-input: each sentence is sent and flushed on a socket opened ahead of time
/// (so the connect is off the critical path), audio streams back with alignment that says which words each chunk speaks.
/// HTTP: a streaming POST per sentence. Either way the output format is the transport's (<c>ulaw_8000</c> for Twilio, PCM
/// at the transport's rate otherwise), so nothing is resampled.
/// </summary>
public sealed partial class ElevenLabsTextToSpeech : ITextToSpeech, IAsyncDisposable
{
    private readonly ElevenLabsOptions _options;
    private readonly string _apiKey;
    private readonly AudioEncoding _transportEncoding;
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private (string Voice, Task<ClientWebSocket> Socket)? _spare;

    /// <summary>Creates the client for one call.</summary>
    public ElevenLabsTextToSpeech(ElevenLabsOptions options, string apiKey, AudioEncoding transportEncoding, HttpClient http, ILogger logger)
    {
        _options = options;
        _apiKey = apiKey;
        _transportEncoding = transportEncoding;
        _http = http;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name => "elevenlabs";

    /// <inheritdoc />
    public IAsyncEnumerable<SpeechAudioChunk> SynthesizeAsync(string text, TextToSpeechRequest request, CancellationToken cancellationToken) =>
        string.Equals(_options.Transport, "http", StringComparison.OrdinalIgnoreCase)
            ? SynthesizeHttpAsync(text, request, cancellationToken)
            : SynthesizeWebSocketAsync(text, request, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_spare is { } spare)
        {
            _spare = null;
            try
            {
                (await spare.Socket.ConfigureAwait(false)).Dispose();
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or HttpRequestException)
            {
            }
        }
    }

    private Uri StreamInputUri(string voice, string format) => new(
        _options.BaseUrl.TrimEnd('/').Replace("https://", "wss://", StringComparison.Ordinal).Replace("http://", "ws://", StringComparison.Ordinal) +
        $"/v1/text-to-speech/{Uri.EscapeDataString(voice)}/stream-input?model_id={Uri.EscapeDataString(_options.Model)}&output_format={format}&sync_alignment=true&inactivity_timeout=60");

    private async Task<ClientWebSocket> ConnectAsync(string voice, string format, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("xi-api-key", _apiKey);
        try
        {
            await socket.ConnectAsync(StreamInputUri(voice, format), cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task<ClientWebSocket> TakeSocketAsync(string voice, string format, CancellationToken cancellationToken)
    {
        ClientWebSocket? socket = null;
        if (_spare is { } spare && spare.Voice == voice)
        {
            try
            {
                var ready = await spare.Socket.ConfigureAwait(false);
                socket = ready.State == WebSocketState.Open ? ready : null;
                if (socket is null)
                {
                    ready.Dispose();
                }
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException)
            {
                socket = null;
            }
        }

        // Open the next sentence's socket now, while this one speaks.
        _spare = (voice, ConnectAsync(voice, format, CancellationToken.None));
        return socket ?? await ConnectAsync(voice, format, cancellationToken).ConfigureAwait(false);
    }

    private async IAsyncEnumerable<SpeechAudioChunk> SynthesizeWebSocketAsync(string text, TextToSpeechRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (format, encoding, rate) = TtsOutputFormats.ElevenLabs(request.SampleRate, _transportEncoding);
        var voice = request.Voice ?? _options.DefaultVoice;
        var decoder = new SpeechAudioDecoder(encoding, rate, request.SampleRate);
        var alignment = new AlignmentText();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.FirstByteTimeoutMs);
        ClientWebSocket socket;
        try
        {
            socket = await TakeSocketAsync(voice, format, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new TextToSpeechException($"ElevenLabs connect failed: {ex.Message}", 0, ex);
        }

        using (socket)
        {
            var init = JsonSerializer.SerializeToUtf8Bytes(new
            {
                text = " ",
                voice_settings = new { stability = _options.Stability, similarity_boost = _options.SimilarityBoost, speed = request.Speed },
                generation_config = new { chunk_length_schedule = new[] { 50, 120, 160, 250 } },
            });
            var body = JsonSerializer.SerializeToUtf8Bytes(new { text = text.EndsWith(' ') ? text : text + " ", flush = true });
            try
            {
                await socket.SendAsync(init, WebSocketMessageType.Text, true, deadline.Token).ConfigureAwait(false);
                await socket.SendAsync(body, WebSocketMessageType.Text, true, deadline.Token).ConfigureAwait(false);
                await socket.SendAsync("""{"text":""}"""u8.ToArray(), WebSocketMessageType.Text, true, deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new TextToSpeechException($"ElevenLabs send failed: {ex.Message}", 0, ex);
            }

            var buffer = new ArrayBufferWriter<byte>(16384);
            SpeechAudioChunk? held = null;
            var first = true;
            while (true)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                try
                {
                    do
                    {
                        result = await socket.ReceiveAsync(buffer.GetMemory(16384), deadline.Token).ConfigureAwait(false);
                        buffer.Advance(result.Count);
                    }
                    while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                }
                catch (Exception ex) when (ex is WebSocketException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    throw new TextToSpeechException($"ElevenLabs stream broke: {ex.Message}", alignment.CharsSpoken, ex);
                }

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    throw new TextToSpeechException($"ElevenLabs closed the stream before isFinal ({socket.CloseStatus} {socket.CloseStatusDescription})", alignment.CharsSpoken);
                }

                var message = Parse(buffer.WrittenSpan, alignment.CharsSpoken);
                if (message.Error is { } error)
                {
                    throw new TextToSpeechException("ElevenLabs error: " + error, alignment.CharsSpoken);
                }

                if (message.Alignment is { } chars)
                {
                    alignment.Add(chars);
                }

                if (message.Audio is { Length: > 0 } audio)
                {
                    if (first)
                    {
                        first = false;
                        deadline.CancelAfter(Timeout.InfiniteTimeSpan);
                    }

                    if (held is not null)
                    {
                        yield return held;
                    }

                    held = new SpeechAudioChunk(decoder.Decode(audio), request.SampleRate, alignment.TakeWords());
                }

                if (message.IsFinal)
                {
                    break;
                }
            }

            var rest = alignment.TakeRest();
            if (held is not null)
            {
                yield return held with { Text = Join(held.Text, rest) };
            }

            try
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", closing.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
            }
        }
    }

    private async IAsyncEnumerable<SpeechAudioChunk> SynthesizeHttpAsync(string text, TextToSpeechRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (format, encoding, rate) = TtsOutputFormats.ElevenLabs(request.SampleRate, _transportEncoding);
        var voice = request.Voice ?? _options.DefaultVoice;
        var decoder = new SpeechAudioDecoder(encoding, rate, request.SampleRate);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.FirstByteTimeoutMs);
        using var message = new HttpRequestMessage(HttpMethod.Post,
            $"{_options.BaseUrl.TrimEnd('/')}/v1/text-to-speech/{Uri.EscapeDataString(voice)}/stream?output_format={format}")
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new
            {
                text,
                model_id = _options.Model,
                voice_settings = new { stability = _options.Stability, similarity_boost = _options.SimilarityBoost, speed = request.Speed },
            })),
        };
        message.Content.Headers.ContentType = new("application/json");
        message.Headers.Add("xi-api-key", _apiKey);
        HttpResponseMessage response;
        Stream stream;
        try
        {
            response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var detail = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
                response.Dispose();
                throw new TextToSpeechException($"ElevenLabs HTTP {(int)response.StatusCode}: {Truncate(detail)}", 0);
            }

            stream = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new TextToSpeechException($"ElevenLabs request failed: {ex.Message}", 0, ex);
        }

        using (response)
        {
            var buffer = new byte[4096];
            SpeechAudioChunk? held = null;
            while (true)
            {
                int read;
                try
                {
                    read = await stream.ReadAsync(buffer, deadline.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    throw new TextToSpeechException($"ElevenLabs stream broke: {ex.Message}", 0, ex);
                }

                if (read == 0)
                {
                    break;
                }

                deadline.CancelAfter(Timeout.InfiniteTimeSpan);
                if (held is not null)
                {
                    yield return held;
                }

                held = new SpeechAudioChunk(decoder.Decode(buffer.AsSpan(0, read)), request.SampleRate);
            }

            if (held is not null)
            {
                yield return held;
            }
        }
    }

    private static (byte[]? Audio, JsonElement? Alignment, bool IsFinal, string? Error) Parse(ReadOnlySpan<byte> json, int spoken)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null, false, "message is not a JSON object");
            }

            if (root.TryGetProperty("error", out var error) || (root.TryGetProperty("message", out error) && !root.TryGetProperty("audio", out _)))
            {
                return (null, null, false, error.ToString());
            }

            byte[]? audio = root.TryGetProperty("audio", out var a) && a.ValueKind == JsonValueKind.String ? Convert.FromBase64String(a.GetString()!) : null;
            JsonElement? alignment = root.TryGetProperty("alignment", out var al) && al.ValueKind == JsonValueKind.Object ? al.Clone() : null;
            var isFinal = root.TryGetProperty("isFinal", out var f) && f.ValueKind == JsonValueKind.True;
            return (audio, alignment, isFinal, null);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            throw new TextToSpeechException("ElevenLabs sent a malformed message: " + ex.Message, spoken, ex);
        }
    }

    private static string? Join(string? a, string? b) => a is null ? b : b is null ? a : a + " " + b;

    private static string Truncate(string text) => text.Length > 200 ? text[..200] : text;
}
