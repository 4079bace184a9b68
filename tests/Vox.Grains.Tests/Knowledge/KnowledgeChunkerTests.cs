using Vox.Grains.Knowledge;

namespace Vox.Grains.Tests.Knowledge;

/// <summary>Reading documents into heading paths and cutting them into overlapping chunks.</summary>
public sealed class KnowledgeChunkerTests
{
    [Fact]
    public void Markdown_headings_make_paths_and_new_chunks()
    {
        var blocks = KnowledgeDocumentReader.Read("text/markdown", "# Shop\n\n## Hours\nOpen at nine.\n\n## Returns\n- Keep the receipt\n- Within 30 days", "doc");
        var chunks = KnowledgeChunker.Chunk(blocks, 600, 1);

        Assert.Equal(["Shop > Hours", "Shop > Returns"], chunks.Select(c => c.Heading).ToArray());
        Assert.Equal("Keep the receipt. Within 30 days.", chunks[1].Text);
    }

    [Fact]
    public void Long_sections_split_at_sentences_with_overlap()
    {
        var text = string.Join(" ", Enumerable.Range(1, 12).Select(i => $"Sentence number {i} says something useful about the topic."));
        var chunks = KnowledgeChunker.Chunk([new KnowledgeBlock("Topic", text)], 200, 1);

        Assert.True(chunks.Count >= 3);
        Assert.All(chunks, c => Assert.True(c.Text.Length <= 200 + 60, c.Text));
        for (var i = 1; i < chunks.Count; i++)
        {
            var lastOfPrevious = KnowledgeChunker.Sentences(chunks[i - 1].Text).Last();
            Assert.StartsWith(lastOfPrevious, chunks[i].Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Csv_rows_become_labelled_sentences_under_their_first_cell()
    {
        var blocks = KnowledgeDocumentReader.Read("text/csv", "item,price\n\"Tea, green\",3\nCoffee,\"4\"\"\"\n", "menu");
        Assert.Equal([("menu > Tea, green", "item: Tea, green. price: 3."), ("menu > Coffee", "item: Coffee. price: 4\".")], blocks.Select(b => (b.Heading, b.Text)).ToArray());
    }

    [Fact]
    public void Html_drops_scripts_and_tags_and_keeps_heading_paths()
    {
        var blocks = KnowledgeDocumentReader.Read("text/html", "<h1>A</h1><script>var x = '<p>no</p>';</script><h2>B</h2><p>Fish &amp; <b>chips</b>.</p>", "page");
        var block = Assert.Single(blocks);
        Assert.Equal(("A > B", "Fish & chips."), (block.Heading, block.Text));
    }

    [Theory]
    [InlineData("text/markdown; charset=utf-8", "x", "text/markdown")]
    [InlineData("application/octet-stream", "notes.md", "text/markdown")]
    [InlineData("", "prices.csv", "text/csv")]
    [InlineData("application/pdf", "x.pdf", null)]
    public void Content_types_are_normalised(string type, string name, string? expected) => Assert.Equal(expected, KnowledgeDocumentReader.Normalize(type, name));
}
