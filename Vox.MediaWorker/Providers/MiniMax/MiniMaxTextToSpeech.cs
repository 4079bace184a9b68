using System.Runtime.CompilerServices;
using System.Text.Json;
using Vox.MediaWorker.Audio;
using Vox.MediaWorker.Providers.Http;
using Vox.MediaWorker.Providers.Tts;

namespace Vox.MediaWorker.Providers.MiniMax;

/// <summary>
/// MiniMax T2A v2 streaming over HTTP: <c>data:</c> blocks whose <c>data.audio</c> is hex-encoded PCM at the transport's
/// rate. The closing block (the one with <c>extra_info</c>) repeats the whole audio, so its audio is not played again.
/// </summary>
public sealed class MiniMaxTextToSpeech(MiniMaxOptions options, string apiKey, HttpClient http) : ITextToSpeech
{
    /// <inheritdoc />
    public string Name => "minimax";

    /// <inheritdoc />
    public async IAsyncEnumerable<SpeechAudioChunk> SynthesizeAsync(string text, TextToSpeechRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var rate = TtsOutputFormats.MiniMaxRate(request.SampleRate);
        var decoder = new SpeechAudioDecoder(AudioEncoding.Pcm16, rate, request.SampleRate);
        var url = options.BaseUrl.TrimEnd('/') + "/v1/t2a_v2" + (string.IsNullOrEmpty(options.GroupId) ? "" : "?GroupId=" + Uri.EscapeDataString(options.GroupId));
        using var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new
            {
                model = options.Model,
                text,
                stream = true,
                voice_setting = new { voice_id = request.Voice ?? options.DefaultVoice, speed = request.Speed, vol = 1.0, pitch = 0 },
                audio_setting = new { sample_rate = rate, bitrate = 128000, format = "pcm", channel = 1 },
            })),
        };
        message.Content.Headers.ContentType = new("application/json");
        message.Headers.Authorization = new("Bearer", apiKey);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.FirstByteTimeoutMs);
        HttpResponseMessage response;
        Stream stream;
        try
        {
            response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var detail = await response.Content.ReadAsStringAsync(deadline.Token).ConfigureAwait(false);
                response.Dispose();
                throw new TextToSpeechException($"MiniMax HTTP {(int)response.StatusCode}: {(detail.Length > 200 ? detail[..200] : detail)}", 0);
            }

            stream = await response.Content.ReadAsStreamAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new TextToSpeechException($"MiniMax request failed: {ex.Message}", 0, ex);
        }

        using (response)
        {
            if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
            {
                // MiniMax answers errors (bad key, quota) as one JSON object with HTTP 200.
                using var reader = new StreamReader(stream);
                var json = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
                Parse(json);
                throw new TextToSpeechException("MiniMax answered without an audio stream: " + (json.Length > 200 ? json[..200] : json), 0);
            }

            var enumerator = ServerSentEvents.ReadDataAsync(stream, deadline.Token).GetAsyncEnumerator(deadline.Token);
            try
            {
                var finished = false;
                while (!finished)
                {
                    bool more;
                    try
                    {
                        more = await enumerator.MoveNextAsync().ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is IOException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                    {
                        throw new TextToSpeechException($"MiniMax stream broke: {ex.Message}", 0, ex);
                    }

                    if (!more)
                    {
                        break;
                    }

                    var (audio, last) = Parse(enumerator.Current);
                    finished = last;
                    if (audio is { Length: > 0 } && !last)
                    {
                        deadline.CancelAfter(Timeout.InfiniteTimeSpan);
                        yield return new SpeechAudioChunk(decoder.Decode(audio), request.SampleRate);
                    }
                }
            }
            finally
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static (byte[]? Audio, bool Last) Parse(string data)
    {
        try
        {
            using var doc = JsonDocument.Parse(data);
            var root = doc.RootElement;
            if (root.TryGetProperty("base_resp", out var baseResp) && baseResp.TryGetProperty("status_code", out var code) && code.TryGetInt32(out var status) && status != 0)
            {
                var text = baseResp.TryGetProperty("status_msg", out var msg) ? msg.GetString() : "";
                throw new TextToSpeechException($"MiniMax error {status}: {text}", 0);
            }

            var last = root.TryGetProperty("extra_info", out var extra) && extra.ValueKind == JsonValueKind.Object;
            byte[]? audio = null;
            if (root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object)
            {
                if (d.TryGetProperty("audio", out var a) && a.ValueKind == JsonValueKind.String)
                {
                    audio = Convert.FromHexString(a.GetString()!);
                }

                last |= d.TryGetProperty("status", out var s) && s.TryGetInt32(out var st) && st == 2;
            }

            return (audio, last);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            throw new TextToSpeechException("MiniMax sent a malformed block: " + ex.Message, 0, ex);
        }
    }
}
