using System.Text;
using Vox.Grains.Calls;
using Vox.Testing;
using Xunit.Abstractions;

namespace Vox.Integration.Tests.Ingress;

/// <summary>
/// Real calls through the gateway's WebSocket ingress to a real worker, one per carrier, each by a fake carrier speaking
/// that carrier's documented protocol: the greeting arrives in the carrier's format and chunking, its mark is echoed once
/// played, a question gets an answer, barging into the answer brings the carrier's own clear, and the call record shows
/// the transcript.
/// </summary>
[Collection(IngressCollection.Name)]
public sealed class CarrierCallTests(IngressFixture fixture, ITestOutputHelper output)
{
    private const string Greeting = "Hello, thanks for calling Vox dental. How can I help?";

    [Fact]
    public async Task Exotel_call_at_16k_with_basic_auth_gets_chunked_pcm_marks_clear_and_transcript()
    {
        var url = fixture.Url("exotel").Replace("sample-rate=8000", "sample-rate=16000", StringComparison.Ordinal);
        url = url[..url.IndexOf("&token=", StringComparison.Ordinal)];
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"EXOTEL_API_KEY:{fixture.Secret}"));
        await RunCallAsync(new ExotelCaller(16000), url, basic, "exotel", wire =>
        {
            Assert.All(wire, bytes => Assert.True(bytes % ExotelChunk == 0 && bytes >= 3200, $"Exotel chunk of {bytes} bytes"));
        });
    }

    [Fact]
    public async Task Twilio_call_gets_mulaw_frames_marks_clear_and_transcript()
    {
        var (_, turns) = await RunCallAsync(new TwilioCaller(), fixture.Url("twilio"), null, "twilio", wire => Assert.All(wire, bytes => Assert.Equal(160, bytes)),
            async (caller, ct) =>
            {
                // A keypad press reaches the pipeline as a DTMF frame; the bot's action for 1 answers it.
                await ((TwilioCaller)caller).SendDtmfAsync('1', ct);
                await caller.StreamAsync(ReadOnlyMemory<short>.Empty, TimeSpan.FromSeconds(60), ct, () => caller.Marks.Count(m => m.EchoedAt is not null) >= 2);

                // 0 asks for a transfer, which a Twilio media stream cannot carry: the bot says so and the call goes on
                // (it used to end 'transferred' with nothing transferred).
                await ((TwilioCaller)caller).SendDtmfAsync('0', ct);
                await caller.StreamAsync(ReadOnlyMemory<short>.Empty, TimeSpan.FromSeconds(60), ct, () => caller.Marks.Count(m => m.EchoedAt is not null) >= 4);
                Assert.Null(caller.Closed.Status);
            });
        Assert.Contains(turns, t => t.Role == "user" && t.Text == "[dtmf 1]");
        Assert.Contains(turns, t => t.Role == "assistant" && t.Text == IngressFixture.DtmfReply);
        Assert.Contains(turns, t => t.Role == "user" && t.Text == "[dtmf 0]");
        Assert.Contains(turns, t => t.Role == "assistant" && t.Text == IngressFixture.TransferReply);
        Assert.Contains(turns, t => t.Role == "assistant" && t.Text == Vox.MediaWorker.Pipeline.Processors.ResponderProcessor.TransferFailedMessage);
    }

    [Fact]
    public async Task Vonage_call_gets_640_byte_frames_notify_clear_and_transcript()
    {
        await RunCallAsync(new VonageCaller(16000), fixture.Url("vonage"), null, "vonage", wire => Assert.All(wire, bytes => Assert.Equal(640, bytes)));
    }

    [Fact]
    public async Task ICallMate_call_gets_320_byte_frames_marks_clear_and_transcript()
    {
        await RunCallAsync(new ICallMateCaller(), fixture.Url("iCallMate"), null, "icallmate", wire => Assert.All(wire, bytes => Assert.Equal(320, bytes)));
    }

    private const int ExotelChunk = 320;

    private async Task<(CallRecord Record, IReadOnlyList<TranscriptTurn> Turns)> RunCallAsync(CarrierCaller caller, string url, string? authorization, string transport,
        Action<IReadOnlyList<int>> assertWire, Func<CarrierCaller, CancellationToken, Task>? afterGreeting = null)
    {
        var outputBefore = fixture.Cluster.Silos[0].Output.Length;
        try
        {
            return await RunCallCoreAsync(caller, url, authorization, transport, assertWire, afterGreeting);
        }
        catch
        {
            // The silo's log during this call, with its workers' warnings (a recogniser behind the caller, a refused call).
            output.WriteLine("silo output during the call:");
            output.WriteLine(fixture.Cluster.Silos[0].Output[outputBefore..]);
            throw;
        }
    }

    private async Task<(CallRecord Record, IReadOnlyList<TranscriptTurn> Turns)> RunCallCoreAsync(CarrierCaller caller, string url, string? authorization, string transport,
        Action<IReadOnlyList<int>> assertWire, Func<CarrierCaller, CancellationToken, Task>? afterGreeting)
    {
        await fixture.WaitIdleAsync();
        // Waits are bounds for a busy host, not expectations: each ends as soon as its condition holds. On a loaded machine
        // the offline recogniser falls behind the caller and the answer comes late, not never (docs/testing.md).
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var clips = Manifest.Load();
        // 16 kHz: the clean clip pocketsphinx hears best; 8 kHz: the noisy one it hears at all (docs/offline-voice.md).
        var question = await clips.Single(c => c.Id == "utt00").ReadAsync(caller.SampleRate, caller.SampleRate == 8000 ? "snr20" : "clean");
        var interruption = await clips.Single(c => c.Id == "utt06").ReadAsync(caller.SampleRate);
        await using (caller)
        {
            await caller.ConnectAsync(url, authorization, cts.Token);

            // The greeting plays and its mark comes back echoed once it has played; the caller line is silent meanwhile.
            await caller.StreamAsync(ReadOnlyMemory<short>.Empty, TimeSpan.FromSeconds(60), cts.Token, () => caller.Marks.Any(m => m.EchoedAt is not null));
            output.WriteLine($"closed: {caller.Closed.Status} {caller.Closed.Reason}; audio {caller.Audio.Count}; texts {string.Join(" | ", caller.Texts.Where(t => !t.Contains("\"media\"", StringComparison.Ordinal)))}");

            var greetingMark = Assert.Single(caller.Marks);
            Assert.Equal("turn-1", greetingMark.Name);
            var greetingAudio = caller.Audio.ToList();
            Assert.NotEmpty(greetingAudio);
            var greetingLength = TimeSpan.FromTicks(greetingAudio.Sum(a => a.Duration.Ticks));
            Assert.True(greetingLength > TimeSpan.FromSeconds(2), $"greeting of {greetingLength.TotalSeconds:0.00} s");
            Assert.True(greetingMark.ReceivedAt >= greetingAudio[^1].At, "the mark follows the greeting's audio");
            Assert.True(greetingMark.EchoedAt >= greetingAudio[0].At + greetingLength - TimeSpan.FromMilliseconds(40),
                $"mark echoed at {greetingMark.EchoedAt?.TotalSeconds:0.00} s, before the audio from {greetingAudio[0].At.TotalSeconds:0.00} s had played");

            if (afterGreeting is not null)
            {
                await afterGreeting(caller, cts.Token);
            }

            // A question, then silence until the answer has played for half a second; then the caller talks over it.
            var heard = caller.Audio.Count;
            await caller.StreamAsync(question, TimeSpan.FromSeconds(90), cts.Token, () => caller.Audio.Count - heard >= 25 * (caller is ExotelCaller ? 0.2 : 1));
            Assert.True(caller.Audio.Count > heard, "the bot answers the question");
            await caller.StreamAsync(interruption, TimeSpan.FromSeconds(20), cts.Token, () => !caller.Clears.IsEmpty);
            Assert.False(caller.Clears.IsEmpty, "barging in brings the carrier's clear message");

            await caller.HangUpAsync(cts.Token);
            await Task.WhenAny(caller.Completion, Task.Delay(TimeSpan.FromSeconds(30), cts.Token));
            Assert.True(caller.Completion.IsCompleted, "the call closes after the caller hangs up");
        }

        foreach (var text in caller.Texts.Where(t => !t.Contains("\"media\"", StringComparison.Ordinal)))
        {
            output.WriteLine(text);
        }

        assertWire(caller.Audio.Select(a => a.WireBytes).ToList());
        var (record, turns) = await fixture.LatestCallAsync(withResult: true);
        foreach (var t in turns)
        {
            output.WriteLine($"{t.Role,-9} {t.StartMs,6}-{t.EndMs,6} {(t.Interrupted ? "[cut] " : "")}{t.Text}");
        }

        Assert.Equal((transport, CallState.Ended, EndReasons.CallerHangup), (record.Transport, record.State, record.EndReason));
        Assert.Equal(Greeting, turns[0].Text);
        Assert.Contains(turns, t => t.Role == "user" && t.Text.Length > 0);
        Assert.Contains(turns, t => t.Role == "assistant" && t.Interrupted);
        if (caller.SampleRate == 16000)
        {
            Assert.Contains(turns, t => t.Role == "user" && t.Text.Contains("tomorrow", StringComparison.Ordinal));
        }

        await fixture.WaitIdleAsync();
        return (record, turns);
    }
}
