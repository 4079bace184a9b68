using Vox.MediaWorker.Pipeline.Processors;

namespace Vox.MediaWorker.Tests.Pipeline;

public sealed class SentenceSplitterTests
{
    [Theory]
    [InlineData("Hello there. How are you? I am", new[] { "Hello there.", "How are you?" }, " I am")]
    [InlineData("Dr. Smith will see you. Bye", new[] { "Dr. Smith will see you." }, " Bye")]
    [InlineData("No end yet", new string[0], "No end yet")]
    [InlineData("Wow! Great.", new[] { "Wow!" }, " Great.")]
    public void Split_cuts_after_sentence_punctuation_followed_by_space(string text, string[] sentences, string rest)
    {
        var (found, remainder) = SentenceSplitter.Split(text);
        Assert.Equal(sentences, found);
        Assert.Equal(rest, remainder);
    }
}
