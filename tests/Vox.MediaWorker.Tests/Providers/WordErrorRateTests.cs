using Vox.Testing;
namespace Vox.MediaWorker.Tests.Providers;

public sealed class WordErrorRateTests
{
    [Theory]
    [InlineData("Hello, world!", "hello world", 0.0)]
    [InlineData("no thank you, that is all", "no thank you that is", 1 / 6.0)]
    [InlineData("yes that works", "yes it works", 1 / 3.0)]
    [InlineData("one two", "one two three four", 1.0)]
    [InlineData("one two three", "", 1.0)]
    [InlineData("I'd like", "i'd like", 0.0)]
    public void Compute_counts_word_edits_over_reference_length(string reference, string hypothesis, double expected)
    {
        Assert.Equal(expected, WordErrorRate.Compute(reference, hypothesis), 6);
    }
}
