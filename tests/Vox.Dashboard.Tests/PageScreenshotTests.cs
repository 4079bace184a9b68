using System.Text.Json;
using Microsoft.Playwright;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Xunit.Abstractions;

namespace Vox.Dashboard.Tests;

/// <summary>Every page renders at desktop and phone sizes without sideways scrolling; a screenshot of each is kept.</summary>
[Collection(DashboardCollection.Name)]
public sealed class PageScreenshotTests(DashboardFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData(1280, 800)]
    [InlineData(390, 844)]
    public async Task Every_page_renders_without_horizontal_overflow(int width, int height)
    {
        var callId = $"call_shot_{width}";
        await CompletedCallAsync(callId);
        var size = $"{width}x{height}";

        var anonymous = await fixture.NewPageAsync(width, height);
        await anonymous.GotoAsync("/dashboard/login");
        await CheckAsync(anonymous, "login", size);

        var page = await fixture.SignedInPageAsync(fixture.AdminKey, width, height);
        (string Url, string Page)[] pages =
        [
            ("/dashboard/fleet", "fleet"),
            ("/dashboard/live", "live"),
            ("/dashboard/calls", "calls"),
            ($"/dashboard/calls/{callId}", "call"),
            ("/dashboard/latency?window=1h", "latency"),
            ("/dashboard/campaigns", "campaigns"),
            ("/dashboard/bots", "bots"),
            ($"/dashboard/bots/bot_clinic?tenantId={fixture.TenantA.Id}", "bot"),
        ];
        foreach (var (url, name) in pages)
        {
            await page.GotoAsync(url);
            await CheckAsync(page, name, size);
        }

        await page.GotoAsync("/dashboard/campaigns");
        await page.WaitForSelectorAsync("#campaigns :text('No campaigns')");
        await page.GotoAsync("/dashboard/latency?window=1h");
        await page.WaitForSelectorAsync("#latency-table tbody tr");
        Assert.True(await page.Locator("#latency-table tbody tr").CountAsync() >= 4, "percentile rows per stage");
    }

    private async Task CheckAsync(IPage page, string name, string size)
    {
        await page.WaitForSelectorAsync($"body[data-page='{name}']");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new PageWaitForLoadStateOptions { Timeout = 3_000 }).ContinueWith(_ => { }, TaskScheduler.Default);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        output.WriteLine($"{name} {size}: overflow {overflow}px");
        await DashboardFixture.ScreenshotAsync(page, $"{name}-{size}");
        Assert.True(overflow <= 0, $"page {name} at {size} scrolls sideways by {overflow}px");
        Assert.Equal(0, await page.Locator(".error:not(:empty)").CountAsync());
    }

    // An ended call with transcript, per-turn metrics and usage, as a worker would complete it.
    private async Task CompletedCallAsync(string callId)
    {
        var call = fixture.Grains.GetGrain<ICallGrain>(callId);
        await call.StartAsync(new CallStart(fixture.TenantA.Id, "bot_clinic", CallDirection.Inbound, "vox", "+14155550155", "+14155550199"), CancellationToken.None);
        await call.TransitionAsync(CallState.InProgress, null, CancellationToken.None);
        var metrics = JsonSerializer.SerializeToElement(new
        {
            turns = new object[]
            {
                new { turnId = 0, llmTimeToFirstTokenMs = 2.0, ttsTimeToFirstByteMs = 140.0 },
                new { turnId = 1, endOfUtteranceDelayMs = 610.0, sttFinalDelayMs = 95.0, llmTimeToFirstTokenMs = 4.0, ttsTimeToFirstByteMs = 120.0, voiceToVoiceMs = 860.0 },
            },
            usage = new Dictionary<string, double> { ["offline.tts_characters"] = 120, ["offline.stt_seconds"] = 4.5 },
        });
        await call.CompleteAsync(new CallResult($"res_{callId}", EndReasons.CallerHangup,
            [new TranscriptTurn(0, "assistant", "Hello, thanks for calling Vox dental. How can I help?", 0, 3000),
             new TranscriptTurn(1, "user", "can I book an appointment for tomorrow", 3500, 6000),
             new TranscriptTurn(2, "assistant", "Tomorrow we have a free slot at ten in the morning.", 6900, 9800)],
            Metrics: metrics), CancellationToken.None);
    }
}
