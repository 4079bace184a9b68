using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Vox.Grains.Bots;
using Vox.MediaWorker.Calls;
using Vox.MediaWorker.Pipeline;
using Vox.MediaWorker.Pipeline.Frames;
using Vox.MediaWorker.Pipeline.Processors;
using Vox.MediaWorker.Providers.Stt;
using Vox.MediaWorker.Tests.Audio;

namespace Vox.MediaWorker.Tests.Pipeline;

/// <summary>
/// The STT processor with a recogniser whose finals the test releases by hand, as a recogniser that fell behind the
/// caller (a busy host) delivers them: late, after more audio, after an interruption, or never.
/// </summary>
public sealed class SttProcessorTests
{
    private const int Rate = 16000;

    /// <summary>A recognition session that hears nothing by itself: the test emits its events.</summary>
    private sealed class HeldStt : ISpeechToTextSession
    {
        private readonly Channel<TranscriptEvent> _events = Channel.CreateUnbounded<TranscriptEvent>();
        private readonly ConcurrentQueue<short> _firstSamples = new();
        private long _samples;
        private int _finalizeRequests;

        public bool SpeechOnly { get; init; }

        public long SamplesReceived => Interlocked.Read(ref _samples);

        /// <summary>The first sample of each chunk received, in order (the harness numbers its 20 ms frames that way).</summary>
        public IEnumerable<short> ChunkMarks => _firstSamples;

        public int FinalizeRequests => Volatile.Read(ref _finalizeRequests);

        public ValueTask SendAudioAsync(ReadOnlyMemory<short> samples, CancellationToken cancellationToken)
        {
            // Frames come whole, or cut where the pre-roll ring wraps: mark each 20 ms frame by its first sample.
            for (var i = 0; i < samples.Length; i += Rate / 50)
            {
                _firstSamples.Enqueue(samples.Span[i]);
            }

            Interlocked.Add(ref _samples, samples.Length);
            return ValueTask.CompletedTask;
        }

        public ValueTask FinalizeAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _finalizeRequests);
            return ValueTask.CompletedTask;
        }

        /// <summary>The final of an utterance whose words span <paramref name="from"/> to <paramref name="to"/> seconds of session audio.</summary>
        public void Final(string text, double from, double to) =>
            _events.Writer.TryWrite(new TranscriptEvent(text, IsFinal: true, SpeechFinal: true, TimeSpan.FromSeconds(from), TimeSpan.FromSeconds(to)));

        public IAsyncEnumerable<TranscriptEvent> ReadEventsAsync(CancellationToken cancellationToken) => _events.Reader.ReadAllAsync(cancellationToken);

        public ValueTask DisposeAsync()
        {
            _events.Writer.TryComplete();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class Harness : IAsyncDisposable
    {
        private readonly CancellationTokenSource _cts = new(TimeSpan.FromSeconds(30));
        private readonly Task _running;
        private readonly Task _reading;

        public Harness(bool speechOnly = false)
        {
            Session = new HeldStt { SpeechOnly = speechOnly };
            var bot = new BotRuntimeConfig("bot_1", "ten_1", 1, new BotDefinition { Name = "Test" }, DateTimeOffset.UnixEpoch);
            Call = new CallContext("call_t", bot, Rate, Time);
            Stt = new SttProcessor(Call, Session, NullLogger<SttProcessor>.Instance);
            Pipeline = new CallPipeline([Stt], (frame, _) =>
            {
                Seen.Enqueue(frame);
                return ValueTask.CompletedTask;
            });
            _running = Pipeline.RunAsync(_cts.Token);
            _reading = Stt.ReadTranscriptsAsync(_cts.Token);
        }

        public FakeTimeProvider Time { get; } = new();

        public HeldStt Session { get; }

        public CallContext Call { get; }

        public SttProcessor Stt { get; }

        public CallPipeline Pipeline { get; }

        public ConcurrentQueue<Frame> Seen { get; } = new();

        public IEnumerable<string> UserTurns => Seen.OfType<UserTurnFrame>().Select(t => t.Text);

        public CancellationToken Token => _cts.Token;

        /// <summary>Frames of caller audio pushed so far.</summary>
        public int FramesPushed { get; private set; }

        /// <summary>
        /// Caller audio, <paramref name="seconds"/> of it (silence does as well as speech here: the recogniser is the test),
        /// each 20 ms frame filled with its number.
        /// </summary>
        public async Task AudioAsync(double seconds)
        {
            var frames = (int)(seconds * 50);
            for (var i = 0; i < frames; i++)
            {
                var frame = new short[Rate / 50];
                Array.Fill(frame, (short)FramesPushed++);
                await Pipeline.PushAsync(new InputAudioFrame(frame, Rate, TimeSpan.Zero), Token);
            }
        }

        /// <summary>A frame through the pipeline, then a marker behind it, so it has been handled when this returns.</summary>
        public async Task PushAsync(Frame frame)
        {
            await Pipeline.PushAsync(frame, Token);
            await PassMarkerAsync((char)('a' + _markers++ % 26));
        }

        private int _markers;

        /// <summary>The VAD ends the caller's turn; returns once the recogniser was asked for its final.</summary>
        public async Task EndTurnAsync(double speechEndedAt)
        {
            var requests = Session.FinalizeRequests;
            var at = TimeSpan.FromSeconds(speechEndedAt);
            await Pipeline.PushAsync(new EndOfTurnFrame(at, at + TimeSpan.FromMilliseconds(600)), Token);
            await WaitUntilAsync(() => Session.FinalizeRequests > requests, "the recogniser is asked for the final");
        }

        /// <summary>Sends a frame through the processor's data loop and waits until it comes out: the loop is free.</summary>
        public async Task PassMarkerAsync(char digit)
        {
            await Pipeline.PushAsync(new DtmfFrame(digit, TimeSpan.Zero), Token);
            await WaitUntilAsync(() => Seen.OfType<DtmfFrame>().Any(f => f.Digit == digit), $"marker {digit} passes the STT processor");
        }

        public async ValueTask DisposeAsync()
        {
            await _cts.CancelAsync();
            await Quietly(_running);
            await Quietly(_reading);
            _cts.Dispose();
        }

        private static async Task Quietly(Task task)
        {
            try
            {
                await task;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    [Fact]
    public async Task A_final_that_comes_long_after_the_turn_ended_still_ends_that_turn()
    {
        await using var h = new Harness();
        await h.AudioAsync(2);
        await h.EndTurnAsync(1.8);

        // The recogniser works through a backlog: ten seconds pass (the processor used to give up after two), and the
        // caller's audio and other frames keep passing meanwhile.
        h.Time.Advance(TimeSpan.FromSeconds(10));
        await h.AudioAsync(1);
        await h.PassMarkerAsync('1');
        await WaitUntilAsync(() => h.Session.SamplesReceived == 3 * Rate, "the audio after the turn reaches the recogniser");
        Assert.Empty(h.UserTurns);
        Assert.Equal(1, h.Stt.TurnsAwaitingFinal);

        h.Session.Final("i would like an appointment tomorrow", 0.4, 1.7);
        await WaitUntilAsync(() => h.UserTurns.Any(), "the turn is emitted");

        Assert.Equal(["i would like an appointment tomorrow"], h.UserTurns);
        var turn = Assert.Single(h.Call.Transcript.Turns);
        Assert.Equal(("user", "i would like an appointment tomorrow", 1800L), (turn.Role, turn.Text, turn.EndMs));
        Assert.Equal(10_000.0, h.Call.Metrics.Get(1)!.SttFinalDelayMs);
        Assert.Equal(TimeSpan.FromSeconds(10), h.Call.LastActivity);
        Assert.Equal(0, h.Stt.TurnsAwaitingFinal);
    }

    [Fact]
    public async Task A_late_final_is_its_own_turn_and_is_not_joined_to_the_next_one()
    {
        await using var h = new Harness();
        await h.AudioAsync(2);
        await h.EndTurnAsync(1.8);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await h.AudioAsync(2);
        await h.EndTurnAsync(3.8);

        // Both finals come after the second turn ended, in order.
        h.Session.Final("first question", 0.5, 1.7);
        h.Session.Final("second question", 2.5, 3.7);
        await WaitUntilAsync(() => h.UserTurns.Count() == 2, "both turns are emitted");

        Assert.Equal(["first question", "second question"], h.UserTurns);
        Assert.Equal([1800L, 3800L], h.Call.Transcript.Turns.Select(t => t.EndMs));
    }

    [Fact]
    public async Task An_interruption_while_a_turn_waits_for_its_final_neither_drops_the_turn_nor_the_audio_after_it()
    {
        await using var h = new Harness();
        await h.AudioAsync(2);
        await h.EndTurnAsync(1.8);

        // The caller talks over the bot while the recogniser is still behind: the interruption passes, the caller's new
        // audio reaches the recogniser, and the earlier turn still gets its words.
        await h.Pipeline.PushAsync(new InterruptionFrame(TimeSpan.FromSeconds(2)), h.Token);
        await WaitUntilAsync(() => h.Seen.OfType<InterruptionFrame>().Any(), "the interruption passes");
        await h.AudioAsync(1);
        await WaitUntilAsync(() => h.Session.SamplesReceived == 3 * Rate, "the audio after the interruption reaches the recogniser");

        h.Session.Final("what time do you open", 0.3, 1.7);
        await WaitUntilAsync(() => h.UserTurns.Any(), "the turn is emitted");
        Assert.Equal(["what time do you open"], h.UserTurns);
    }

    [Fact]
    public async Task A_turn_whose_final_never_comes_is_given_up_when_a_final_for_later_audio_arrives()
    {
        await using var h = new Harness();
        await h.AudioAsync(2);
        await h.EndTurnAsync(1.8);
        await h.AudioAsync(2);
        await h.EndTurnAsync(3.8);

        // The provider lost the first turn's final: the second one's words end past the first turn's audio.
        h.Session.Final("second question", 2.5, 3.7);
        await WaitUntilAsync(() => h.UserTurns.Any(), "the second turn is emitted");

        Assert.Equal(["second question"], h.UserTurns);
        Assert.Equal(3800L, Assert.Single(h.Call.Transcript.Turns).EndMs);
        Assert.Equal(0, h.Stt.TurnsAwaitingFinal);
    }

    [Fact]
    public async Task An_empty_final_ends_its_turn_as_nothing_heard_and_the_next_final_goes_to_the_next_turn()
    {
        await using var h = new Harness();
        await h.AudioAsync(2);
        await h.EndTurnAsync(1.8);
        h.Session.Final("", 0, 2);
        await WaitUntilAsync(() => h.Stt.TurnsAwaitingFinal == 0, "the first turn is answered");
        await h.AudioAsync(2);
        await h.EndTurnAsync(3.8);
        h.Session.Final("yes please", 2.4, 3.6);
        await WaitUntilAsync(() => h.UserTurns.Any(), "the second turn is emitted");

        Assert.Equal(["yes please"], h.UserTurns);
    }

    [Fact]
    public async Task A_recogniser_that_hears_only_speech_gets_the_second_before_the_caller_spoke_and_nothing_between_turns()
    {
        await using var h = new Harness(speechOnly: true);
        await h.AudioAsync(5);                                                        // frames 0-249: the greeting plays
        await h.PushAsync(new UserStartedSpeakingFrame(TimeSpan.FromSeconds(4.9)));
        await h.AudioAsync(2);                                                        // 250-349: the caller speaks
        await h.PushAsync(new UserStoppedSpeakingFrame(TimeSpan.FromSeconds(7)));
        await h.AudioAsync(0.6);                                                      // 350-379: the end-of-turn silence
        await h.EndTurnAsync(7);
        await h.AudioAsync(3);                                                        // 380-529: the bot answers
        await h.PassMarkerAsync('#');

        // The pre-roll (frames 200-249), the speech and the silence up to the end of the turn, in order, and nothing else.
        Assert.Equal(Enumerable.Range(200, 180).Select(i => (short)i), h.Session.ChunkMarks);
        Assert.Equal(1, h.Session.FinalizeRequests);
    }

    [Fact]
    public async Task Speech_that_resumes_before_the_vad_heard_silence_is_sent_even_after_the_turn_ended()
    {
        await using var h = new Harness(speechOnly: true);
        await h.PushAsync(new UserStartedSpeakingFrame(TimeSpan.Zero));
        await h.AudioAsync(2);                                                        // frames 0-99
        // The turn ends while the VAD is still in its hangover, and the caller goes on without a new onset.
        await h.EndTurnAsync(1.5);
        await h.AudioAsync(1);                                                        // 100-149
        await h.PushAsync(new UserStoppedSpeakingFrame(TimeSpan.FromSeconds(3)));
        await h.AudioAsync(1);                                                        // 150-199: silence, not sent
        await h.PassMarkerAsync('#');

        Assert.Equal(Enumerable.Range(0, 150).Select(i => (short)i), h.Session.ChunkMarks);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        // Generous: the test machine may be busy; nothing here measures speed.
        for (var i = 0; i < 1200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition(), $"Timed out waiting until {what}.");
    }
}
