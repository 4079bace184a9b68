using Vox.MediaWorker.Rtp;
using Vox.Testing;

namespace Vox.MediaWorker.Tests.Rtp;

public sealed class AnsweringMachineDetectorTests
{
    [Fact]
    public async Task Short_hello_then_a_pause_is_a_person()
    {
        var detector = new AnsweringMachineDetector();
        // The clip's first 0.9 s of speech (it starts at 1.0 s), then the person waits.
        var hello = (await Clip("utt00"))[..(8000 * 19 / 10)];
        Assert.Equal(AmdVerdict.Human, Feed(detector, hello.Concat(new short[8000 * 2]).ToArray()));
    }

    [Fact]
    public async Task Long_greeting_is_a_machine_and_its_beep_is_heard()
    {
        var detector = new AnsweringMachineDetector();
        var greeting = (await Clip("utt00")).Concat(await Clip("utt01")).ToArray();
        Assert.Equal(AmdVerdict.Machine, Feed(detector, greeting));
        Assert.False(detector.BeepHeard);
        var beep = Enumerable.Range(0, 8000 / 4).Select(i => (short)(12000 * Math.Sin(2 * Math.PI * 1000 * i / 8000.0))).ToArray();
        Feed(detector, beep);
        Assert.True(detector.BeepHeard);
    }

    [Fact]
    public void Silence_until_the_limit_counts_as_a_person()
    {
        var detector = new AnsweringMachineDetector(decideWithinMs: 3000);
        Assert.Equal(AmdVerdict.Human, Feed(detector, new short[8000 * 3]));
    }

    private static AmdVerdict Feed(AnsweringMachineDetector detector, short[] audio)
    {
        for (var i = 0; i + 160 <= audio.Length; i += 160)
        {
            if (detector.Process(audio.AsSpan(i, 160)) != AmdVerdict.Undecided && !(detector.Verdict == AmdVerdict.Machine && !detector.BeepHeard))
            {
                return detector.Verdict;
            }
        }

        return detector.Verdict;
    }

    private static async Task<short[]> Clip(string id) => await Manifest.Load().Single(c => c.Id == id).ReadAsync(8000);
}
