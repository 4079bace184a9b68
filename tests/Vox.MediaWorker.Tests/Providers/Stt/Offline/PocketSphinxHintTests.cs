using System.Text;
using Vox.Grains.Bots;
using Vox.MediaWorker.Providers.Llm;
using Vox.MediaWorker.Providers.Stt.Offline;
using Vox.Testing;
using Xunit.Abstractions;

namespace Vox.MediaWorker.Tests.Providers.Stt.Offline;

/// <summary>The offline recogniser favouring a bot's expected phrases, and what the offline responder then decides.</summary>
[Collection(OfflineSpeechCollection.Name)]
public sealed class PocketSphinxHintTests(PocketSphinxFixture sphinx, ITestOutputHelper output)
{
    // A support-desk bot as an operator would write it: keywords of its scripted replies, not the test sentences.
    private static readonly BotDefinition SupportBot = new()
    {
        Name = "Support desk",
        FarewellMessage = "Thanks for calling, goodbye!",
        ScriptedReplies =
        [
            new ScriptedReply { Keywords = ["appointment", "book an appointment"], Reply = "I can book that for you." },
            new ScriptedReply { Keywords = ["opening hours", "open"], Reply = "We are open nine to five." },
            new ScriptedReply { Keywords = ["human agent", "transfer me"], Reply = "Let me find someone." },
            new ScriptedReply { Keywords = ["order number"], Reply = "Let me look that order up." },
            new ScriptedReply { Keywords = ["cancel my subscription"], Reply = "I can help you cancel." },
            new ScriptedReply { Keywords = ["premium plan", "how much", "cost"], Reply = "Premium is ten dollars a month." },
        ],
    };

    [Fact]
    public void Hint_model_is_a_normalised_bigram_model_of_the_known_words()
    {
        List<string[]> sentences = HintLanguageModel.Sentences(["Cancel my subscription!", "good-bye", "call Zyxvort now"], w => w != "zyxvort");
        Assert.Equal([["cancel", "my", "subscription"], ["good", "bye"], ["call"], ["now"]], sentences);

        string arpa = HintLanguageModel.ToArpa(sentences)!;
        Assert.Contains("ngram 1=9", arpa, StringComparison.Ordinal);
        Assert.Contains("ngram 2=11", arpa, StringComparison.Ordinal);

        // Every history's seen bigrams plus its back-off mass over unseen words sums to one.
        var unigrams = new Dictionary<string, (double LogP, double LogBackoff)>();
        var bigrams = new List<(string First, string Second, double LogP)>();
        string section = "";
        foreach (string line in arpa.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('\\'))
            {
                section = line;
                continue;
            }

            string[] parts = line.Split(' ');
            if (section == "\\1-grams:")
            {
                unigrams[parts[1]] = (double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture),
                    parts.Length > 2 ? double.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture) : 0);
            }
            else if (section == "\\2-grams:")
            {
                bigrams.Add((parts[1], parts[2], double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        Assert.Equal(1, unigrams.Where(u => u.Key != "<s>").Sum(u => Math.Pow(10, u.Value.LogP)), 3);
        foreach (IGrouping<string, (string First, string Second, double LogP)> history in bigrams.GroupBy(b => b.First))
        {
            double seen = history.Sum(b => Math.Pow(10, b.LogP));
            double unseen = unigrams.Where(u => u.Key != "<s>" && history.All(b => b.Second != u.Key)).Sum(u => Math.Pow(10, u.Value.LogP));
            Assert.Equal(1, seen + (Math.Pow(10, unigrams[history.Key].LogBackoff) * unseen), 3);
        }
    }

    [Fact]
    public void Expected_phrases_join_hints_keywords_and_goodbyes()
    {
        IReadOnlyList<string> phrases = OfflineResponder.ExpectedPhrases(SupportBot with { SpeechHints = ["Vox Premium"] });

        Assert.Contains("Vox Premium", phrases);
        Assert.Contains("cancel my subscription", phrases);
        Assert.Contains("goodbye", phrases);
        Assert.Contains("that is all", phrases);
    }

    [Fact]
    public async Task With_the_bots_phrases_the_goodbye_clip_ends_the_call_and_no_other_clip_does()
    {
        IReadOnlyList<string> hints = OfflineResponder.ExpectedPhrases(SupportBot);
        var responder = new OfflineResponder(SupportBot);
        var rows = new List<(SpeechClip Clip, double Wer, string Text, bool EndsCall)>();
        // 16 kHz only, to keep the run short; docs/offline-voice.md has the 8 kHz figures.
        SpeechClip[] clips = SpeechFixtures.Clips.Where(c => c.SampleRate == 16000).ToArray();
        Transcription[] results = await Transcription.RunEachAsync(sphinx.SpeechToText, clips, hints);
        foreach ((SpeechClip clip, Transcription result) in clips.Zip(results))
        {
            rows.Add((clip, WordErrorRate.Compute(clip.Text, result.Text), result.Text, await EndsCallAsync(responder, result.Text)));
        }

        var report = new StringBuilder();
        report.AppendLine($"{"clip",-6} {"condition",-10} {"WER",5} {"end_call",8}  hypothesis | reference");
        foreach ((SpeechClip clip, double wer, string text, bool endsCall) in rows)
        {
            report.AppendLine($"{clip.Id,-6} {Key(clip),-10} {wer,5:F2} {(endsCall ? "yes" : ""),8}  {text} | {clip.Text}");
        }

        foreach (IGrouping<string, (SpeechClip Clip, double Wer, string Text, bool EndsCall)> condition in rows.GroupBy(r => Key(r.Clip)))
        {
            report.AppendLine($"mean WER with hints {condition.Key,-10} {condition.Average(r => r.Wer):F3}");
        }

        output.WriteLine(report.ToString());

        // The goodbye clip, clean and at 20 dB SNR, is heard as a goodbye at 16 kHz; a false hang-up is worse than a
        // missed goodbye (the caller can say it again), so no other clip at 16 kHz may end the call.
        Assert.All(rows.Where(r => r.Clip.Id == "utt04" && r.Clip.Condition is "clean" or "snr20"),
            r => Assert.True(r.EndsCall, $"{Key(r.Clip)} heard as '{r.Text}'"));
        Assert.All(rows.Where(r => r.Clip.Id != "utt04"), r => Assert.False(r.EndsCall, $"{r.Clip.Id} {Key(r.Clip)} heard as '{r.Text}'"));
    }

    private static async Task<bool> EndsCallAsync(OfflineResponder responder, string said)
    {
        var request = new LanguageModelRequest([new ChatMessage("user", said)], []);
        await foreach (LanguageModelEvent e in responder.StreamAsync(request, CancellationToken.None))
        {
            if (e is ToolCallRequest { Name: "end_call" })
            {
                return true;
            }
        }

        return false;
    }

    private static string Key(SpeechClip clip) => $"{clip.Condition}_{clip.SampleRate / 1000}k";
}
