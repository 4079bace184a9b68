using System.Text.Json;
using Vox.Grains.Calls;
using Vox.Testing;
using Xunit.Abstractions;

namespace Vox.Integration.Tests.Ingress;

/// <summary>
/// The widget demo page in headless Chromium with a fake microphone fed a fixture: the greeting plays through the
/// playback worklet, the caller's words reach the bot through the capture worklet, and the transcript shows on the page.
/// A screenshot is kept in <c>artifacts/test-results/</c>.
/// </summary>
[Collection(IngressCollection.Name)]
public sealed class WidgetBrowserTests(IngressFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Widget_demo_in_chromium_plays_the_greeting_and_shows_the_callers_transcript()
    {
        await fixture.WaitIdleAsync();
        // Bounds for a busy host, not expectations: on a loaded machine the offline recogniser falls behind the caller and
        // the transcript comes late, not never (docs/testing.md).
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var question = Manifest.Load().Single(c => c.Id == "utt00");
        // The microphone (Chromium may start it at launch, not at getUserMedia): silence while the greeting plays, the question, then silence while the bot answers.
        var wav = Path.Combine(Directory.CreateTempSubdirectory("vox-widget-").FullName, "microphone.wav");
        await WriteWavAsync(wav, 16000, [new short[16000 * 9], await question.ReadAsync(16000), new short[16000 * 10]]);

        await using var browser = await DevToolsSession.StartAsync(wav, cts.Token);
        await browser.SendAsync("Page.enable", null, cts.Token);
        await browser.SendAsync("Page.navigate", new { url = fixture.Url("widgetDemo") }, cts.Token);
        await WaitForPageAsync(browser, "window.voxWidget !== undefined", TimeSpan.FromSeconds(60), "the demo page loads", cts.Token);
        await browser.EvaluateAsync("window.voxWidget.button.click()", cts.Token);

        JsonElement state = default;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(150);
        while (DateTime.UtcNow < deadline)
        {
            state = await browser.EvaluateAsync("JSON.parse(JSON.stringify(window.voxWidget.state))", cts.Token);
            if (state.GetProperty("transcript").EnumerateArray().Any(t => t.GetProperty("role").GetString() == "user") || state.GetProperty("status").GetString() is "ended" or "error")
            {
                break;
            }

            await Task.Delay(250, cts.Token);
        }

        output.WriteLine(state.ToString());
        var pageText = (await browser.EvaluateAsync("document.querySelector('.vox-transcript').innerText", cts.Token)).GetString() ?? "";
        output.WriteLine(pageText);
        var artifacts = Path.Combine(RepoPaths.Root, "artifacts", "test-results");
        Directory.CreateDirectory(artifacts);
        await File.WriteAllBytesAsync(Path.Combine(artifacts, "widget-demo.png"), await browser.ScreenshotAsync(cts.Token), cts.Token);
        await browser.EvaluateAsync("window.voxWidget.stop()", cts.Token);

        Assert.Equal("live", state.GetProperty("status").GetString());
        Assert.True(state.GetProperty("samplesPlayed").GetInt32() >= 16000 * 2, "at least 2 s of the greeting played through the playback worklet");
        Assert.True(state.GetProperty("framesSent").GetInt32() > 250, "the capture worklet streamed the microphone");
        Assert.Contains("Bot: Hello, thanks for calling Vox dental. How can I help?", pageText, StringComparison.Ordinal);

        var (record, turns) = await fixture.LatestCallAsync(withResult: true);
        Assert.Equal("widget", record.Transport);
        var user = Assert.Single(turns, t => t.Role == "user");
        output.WriteLine($"WER utt00 through the browser: {WordErrorRate.Compute(question.Text, user.Text):0.00} (\"{user.Text}\")");
        Assert.Contains("You: " + user.Text, pageText, StringComparison.Ordinal);
        Assert.Contains("tomorrow", user.Text, StringComparison.Ordinal);
        await fixture.WaitIdleAsync();
    }

    private static async Task WaitForPageAsync(DevToolsSession browser, string condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if ((await browser.EvaluateAsync(condition, cancellationToken)).ValueKind == JsonValueKind.True)
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }

        Assert.Fail($"Timed out waiting until {what}.");
    }

    private static async Task WriteWavAsync(string path, int rate, IReadOnlyList<short[]> parts)
    {
        var samples = parts.SelectMany(p => p).ToArray();
        await using var file = File.Create(path);
        await using var writer = new BinaryWriter(file);
        writer.Write("RIFF"u8);
        writer.Write(36 + samples.Length * 2);
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(rate);
        writer.Write(rate * 2);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(samples.Length * 2);
        foreach (var s in samples)
        {
            writer.Write(s);
        }
    }
}
