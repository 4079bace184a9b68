using Vox.MediaWorker.Audio;

namespace Vox.MediaWorker.Rtp;

/// <summary>
/// Tells a person from an answering machine by the first seconds of audio after answer, 20 ms frames at 8 kHz: a
/// person says a short "hello?" and waits; a machine talks on (greeting longer than <c>maxGreetingMs</c>) and beeps.
/// The beep is a steady single tone (Goertzel power at 350-2000 Hz holding most of the frame's energy) for 160 ms.
/// After a machine verdict, keep feeding frames: <see cref="BeepHeard"/> and <see cref="SilenceMs"/> say when to speak.
/// </summary>
public sealed class AnsweringMachineDetector(int maxGreetingMs = 2500, int humanPauseMs = 800, int decideWithinMs = 5000)
{
    private const int FrameMs = 20;
    private const double SpeechDbfs = -35;
    private int _elapsedMs;
    private int _speechMs;
    private int _talkStartMs = -1;
    private int _silenceMs;
    private int _toneFrames;
    private bool _heardSpeech;

    /// <summary>The verdict so far.</summary>
    public AmdVerdict Verdict { get; private set; }

    /// <summary>True once a beep was heard.</summary>
    public bool BeepHeard { get; private set; }

    /// <summary>Milliseconds of silence since the last sound.</summary>
    public int SilenceMs => _silenceMs;

    /// <summary>Feeds one 20 ms frame; returns the verdict so far.</summary>
    public AmdVerdict Process(ReadOnlySpan<short> frame)
    {
        _elapsedMs += FrameMs;
        var loud = Pcm16.Dbfs(frame) > SpeechDbfs;
        _toneFrames = loud && IsTone(frame) ? _toneFrames + 1 : 0;
        if (_toneFrames >= 8)
        {
            BeepHeard = true;
            Verdict = AmdVerdict.Machine;
        }

        if (loud)
        {
            _heardSpeech = true;
            _silenceMs = 0;
            // A greeting is measured from its first sound, across the short breaths between words.
            _talkStartMs = _talkStartMs < 0 ? _elapsedMs - FrameMs : _talkStartMs;
            _speechMs = _elapsedMs - _talkStartMs;
        }
        else
        {
            _silenceMs += FrameMs;
            if (_silenceMs >= humanPauseMs)
            {
                _talkStartMs = -1;
                _speechMs = 0;
            }
        }

        if (Verdict != AmdVerdict.Undecided)
        {
            return Verdict;
        }

        if (_speechMs >= maxGreetingMs)
        {
            Verdict = AmdVerdict.Machine;
        }
        else if (_heardSpeech && _silenceMs >= humanPauseMs)
        {
            Verdict = AmdVerdict.Human;
        }
        else if (_elapsedMs >= decideWithinMs)
        {
            Verdict = AmdVerdict.Human;
        }

        return Verdict;
    }

    private static bool IsTone(ReadOnlySpan<short> frame)
    {
        double total = 0;
        foreach (var s in frame)
        {
            total += (double)s * s;
        }

        if (total <= 0)
        {
            return false;
        }

        double best = 0;
        for (var f = 350; f <= 2000; f += 25)
        {
            best = Math.Max(best, Goertzel(frame, f));
        }

        // A pure tone's Goertzel power is about N/2 times its energy; speech spreads far below that.
        return best / (total * frame.Length / 2.0) > 0.6;
    }

    private static double Goertzel(ReadOnlySpan<short> frame, int frequency)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * frequency / RtpCodec.SampleRate);
        double s1 = 0, s2 = 0;
        foreach (var sample in frame)
        {
            var s0 = sample + coefficient * s1 - s2;
            s2 = s1;
            s1 = s0;
        }

        return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    }
}
