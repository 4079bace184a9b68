using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Vox.Fakes;

/// <summary>
/// Fake Deepgram live streaming (<c>/v1/listen</c>, <c>Authorization: Token KEY</c>). It does not recognise speech: it
/// measures how much voiced audio arrived on the connection since the last final, sends interim results while voice
/// arrives, and on <c>Finalize</c> (after <see cref="FinalLatency"/>) answers the next scripted utterance as
/// <c>is_final</c>/<c>speech_final</c>/<c>from_finalize</c>, if at least <see cref="MinVoicedMs"/> of voice was heard on
/// that connection. So a client that loses the turn's audio on a reconnect loses the utterance.
/// </summary>
public sealed class FakeDeepgram
{
    private readonly ConcurrentQueue<string> _script = new();

    /// <summary>The key the fake accepts.</summary>
    public string ApiKey { get; set; } = "dg-fake-key";

    /// <summary>Delay from <c>Finalize</c> to the final result.</summary>
    public TimeSpan FinalLatency { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>Voice needed on a connection for the utterance to be recognised.</summary>
    public int MinVoicedMs { get; set; } = 300;

    /// <summary>With <see cref="FakeFault.DropMidStream"/>, the connection drops after this much voice.</summary>
    public int DropAfterVoicedMs { get; set; } = 400;

    /// <summary>Level above which audio counts as voice.</summary>
    public double VoiceRms { get; set; } = 300;

    /// <summary>Answer a Finalize with two final segments (the first neither <c>speech_final</c> nor <c>from_finalize</c>), as Deepgram may.</summary>
    public bool SplitFinal { get; set; }

    /// <summary>Faults per connection.</summary>
    public FaultQueue Faults { get; } = new();

    /// <summary>Connections accepted.</summary>
    public int Connections => _connections;

    /// <summary>KeepAlive messages received.</summary>
    public int KeepAlives => _keepAlives;

    /// <summary>Finalize messages received.</summary>
    public int Finalizes => _finalizes;

    /// <summary>Query strings of the connections.</summary>
    public ConcurrentQueue<string> Queries { get; } = new();

    private int _connections;
    private int _keepAlives;
    private int _finalizes;

    /// <summary>Queues utterances for the next finalised turns.</summary>
    public void Say(params string[] utterances)
    {
        foreach (var u in utterances)
        {
            _script.Enqueue(u);
        }
    }

    internal void Map(WebApplication app) => app.Map("/v1/listen", HandleAsync);

    private async Task HandleAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization.ToString() != "Token " + ApiKey)
        {
            context.Response.StatusCode = 401;
            await context.Response.WriteAsJsonAsync(new { err_code = "INVALID_AUTH", err_msg = "Invalid credentials." }).ConfigureAwait(false);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        var fault = Faults.Next();
        if (fault is FakeFault.Status429 or FakeFault.Status500)
        {
            context.Response.StatusCode = fault == FakeFault.Status429 ? 429 : 500;
            return;
        }

        Interlocked.Increment(ref _connections);
        Queries.Enqueue(context.Request.QueryString.Value ?? "");
        var muLaw = context.Request.Query["encoding"] == "mulaw";
        var rate = int.TryParse(context.Request.Query["sample_rate"], out var r) ? r : 16000;
        using var socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var send = new SemaphoreSlim(1, 1);
        var voicedMs = 0.0;
        var audioSeconds = 0.0;
        var segmentStart = 0.0;
        var interimsSent = 0;
        var buffer = new byte[64 * 1024];
        var pending = new List<Task>();
        try
        {
            while (true)
            {
                using var idle = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                var result = await socket.ReceiveAsync(buffer.AsMemory(), idle.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var length = result.Count;
                while (!result.EndOfMessage)
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), idle.Token).ConfigureAwait(false);
                    length += result.Count;
                }

                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    var samples = muLaw ? length : length / 2;
                    var ms = samples * 1000.0 / rate;
                    audioSeconds += ms / 1000;
                    if (FakeAudio.Rms(buffer.AsSpan(0, length), muLaw) >= VoiceRms)
                    {
                        voicedMs += ms;
                    }

                    if (fault == FakeFault.DropMidStream && voicedMs >= DropAfterVoicedMs)
                    {
                        context.Abort();
                        return;
                    }

                    if (voicedMs >= 200 * (interimsSent + 1) && _script.TryPeek(out var upcoming))
                    {
                        interimsSent++;
                        var words = upcoming.Split(' ');
                        var partial = string.Join(' ', words.Take(Math.Min(words.Length, interimsSent)));
                        await SendAsync(socket, send, Results(partial, false, false, false, segmentStart, audioSeconds - segmentStart)).ConfigureAwait(false);
                    }

                    continue;
                }

                var text = Encoding.UTF8.GetString(buffer, 0, length);
                using var doc = JsonDocument.Parse(text);
                switch (doc.RootElement.GetProperty("type").GetString())
                {
                    case "KeepAlive":
                        Interlocked.Increment(ref _keepAlives);
                        break;
                    case "Finalize":
                        Interlocked.Increment(ref _finalizes);
                        var heard = voicedMs >= MinVoicedMs && _script.TryDequeue(out var utterance) ? utterance : "";
                        var start = segmentStart;
                        var end = audioSeconds;
                        voicedMs = 0;
                        interimsSent = 0;
                        segmentStart = audioSeconds;
                        pending.Add(Task.Run(async () =>
                        {
                            await Task.Delay(FinalLatency).ConfigureAwait(false);
                            if (fault == FakeFault.MalformedChunk)
                            {
                                await SendAsync(socket, send, "{\"type\":\"Results\",\"channel\":").ConfigureAwait(false);
                                await SendAsync(socket, send, "{\"type\":\"Results\",\"is_final\":true}").ConfigureAwait(false);
                            }

                            var words = heard.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                            if (SplitFinal && words.Length > 1)
                            {
                                var half = words.Length / 2;
                                var middle = start + (end - start) / 2;
                                await SendAsync(socket, send, Results(string.Join(' ', words[..half]), true, false, false, start, middle - start)).ConfigureAwait(false);
                                await SendAsync(socket, send, Results(string.Join(' ', words[half..]), true, true, true, middle, end - middle)).ConfigureAwait(false);
                            }
                            else
                            {
                                await SendAsync(socket, send, Results(heard, true, heard.Length > 0, true, start, end - start)).ConfigureAwait(false);
                            }
                        }));
                        break;
                    case "CloseStream":
                        await Task.WhenAll(pending).ConfigureAwait(false);
                        await SendAsync(socket, send, JsonSerializer.Serialize(new { type = "Metadata", request_id = Guid.NewGuid(), created = DateTime.UtcNow, duration = audioSeconds, channels = 1 })).ConfigureAwait(false);
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None).ConfigureAwait(false);
                        return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "NET-0001", CancellationToken.None).ConfigureAwait(false);
        }
        catch (WebSocketException)
        {
        }
    }

    private static string Results(string transcript, bool isFinal, bool speechFinal, bool fromFinalize, double start, double duration)
    {
        var words = transcript.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var step = words.Length == 0 ? 0 : duration / words.Length;
        return JsonSerializer.Serialize(new
        {
            type = "Results",
            channel_index = new[] { 0, 1 },
            duration,
            start,
            is_final = isFinal,
            speech_final = speechFinal,
            from_finalize = fromFinalize,
            channel = new
            {
                alternatives = new[]
                {
                    new
                    {
                        transcript,
                        confidence = 0.98,
                        words = words.Select((w, i) => new { word = w.ToLowerInvariant(), start = start + i * step, end = start + (i + 1) * step, confidence = 0.98, punctuated_word = w }),
                    },
                },
            },
            metadata = new { request_id = "fake" },
        });
    }

    private static async Task SendAsync(WebSocket socket, SemaphoreSlim gate, string json)
    {
        await gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            gate.Release();
        }
    }
}
