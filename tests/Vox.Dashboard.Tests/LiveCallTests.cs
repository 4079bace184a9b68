using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Testing;
using Xunit.Abstractions;

namespace Vox.Dashboard.Tests;

/// <summary>A real call over the native protocol to the silo's local worker, watched in Chromium from start to playback.</summary>
[Collection(DashboardCollection.Name)]
public sealed class LiveCallTests(DashboardFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Placed_call_shows_live_within_2s_then_transcript_and_playable_recording_after_hangup()
    {
        var page = await fixture.SignedInPageAsync(fixture.AdminKey);
        await page.GotoAsync("/dashboard/live");
        await page.WaitForSelectorAsync("#live-calls .empty:text('No calls in progress'), #live-table");
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        const string callId = "call_dash_e2e";
        var pool = fixture.Grains.GetGrain<ICapacityGrain>("default");
        var call = fixture.Grains.GetGrain<ICallGrain>(callId);
        var clock = Stopwatch.StartNew();
        await call.StartAsync(new CallStart(fixture.TenantA.Id, "bot_clinic", CallDirection.Inbound, "vox", "+14155550100", "+14155550199"), CancellationToken.None);
        var row = $"tr.live-call[data-call-id='{callId}']";
        await page.WaitForSelectorAsync(row, new PageWaitForSelectorOptions { Timeout = 5_000 });
        var shown = clock.Elapsed;
        output.WriteLine($"live row shown {shown.TotalMilliseconds:0} ms after the call was placed");
        Assert.True(shown < TimeSpan.FromSeconds(2), $"the call showed under live calls after {shown.TotalMilliseconds:0} ms");

        var reserved = await pool.ReserveAsync(new ReservationRequest(fixture.TenantA.Id, callId, CallDirection.Inbound), CancellationToken.None);
        Assert.True(reserved.Granted);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var caller = await VoxMediaClient.ConnectAsync(reserved.Worker!.MediaUrl, callId, DashboardFixture.ClusterToken, 16000, cts.Token);
        await page.WaitForSelectorAsync($"{row} .badge.in_progress");

        await page.ClickAsync($"{row} a:text('Watch')");
        await page.WaitForSelectorAsync("#watch:not([hidden]) #transcript");
        await DashboardFixture.ScreenshotAsync(page, "live-call-in-progress");

        // The worker publishes each turn as it happens: the greeting, then the caller's question, appear while the call runs.
        var question = Manifest.Load().Single(c => c.Id == "utt00");
        await Eventually.WaitForAsync(() => Task.FromResult(caller.EventsOfType("transcript").Count >= 1), TimeSpan.FromSeconds(20), "the greeting plays");
        await page.WaitForSelectorAsync("#transcript .turn.assistant:text('Hello, thanks for calling Vox dental')", new PageWaitForSelectorOptions { Timeout = 15_000 });
        await caller.StreamAsync(await question.ReadAsync(16000), TimeSpan.FromSeconds(1), cts.Token);
        await page.WaitForSelectorAsync("#transcript .turn.user", new PageWaitForSelectorOptions { Timeout = 20_000 });
        Assert.Equal(CallState.InProgress, (await call.GetAsync(null, CancellationToken.None)).State);
        await DashboardFixture.ScreenshotAsync(page, "live-call-transcript");

        // An admin hangs up: the worker carrying the call ends it and closes the caller's socket.
        await page.ClickAsync($"{row} button.hangup");
        await page.ClickAsync($"{row} button.hangup:text('Confirm hang-up')");
        await Task.WhenAny(caller.Completion, Task.Delay(TimeSpan.FromSeconds(20)));
        Assert.True(caller.Completion.IsCompleted, "the worker closed the caller's socket");
        Assert.Equal(EndReasons.OperatorHangup, caller.EventsOfType("end").Single().GetProperty("reason").GetString());
        await page.WaitForSelectorAsync(row, new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached, Timeout = 20_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was not reloaded");
        await Eventually.WaitForAsync(async () => (await call.GetAsync(null, CancellationToken.None)).ResultId is not null, TimeSpan.FromSeconds(20), "the result is delivered");
        Assert.Equal(EndReasons.OperatorHangup, (await call.GetAsync(null, CancellationToken.None)).EndReason);

        await page.ClickAsync("nav a:text('Call log')");
        await page.ClickAsync($"tr.call-row[data-call-id='{callId}'] a");
        await page.WaitForSelectorAsync("body[data-page='call']");
        await page.WaitForSelectorAsync("#transcript .turn.user");
        var playback = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const audio = document.getElementById('recording');
              audio.muted = true;
              await audio.play();
              // Playback advances with the page's clock, which a busy machine slows: wait for progress, not a fixed time.
              for (let waited = 0; audio.currentTime <= 0.2 && !audio.error && waited < 15000; waited += 100) {
                await new Promise(resolve => setTimeout(resolve, 100));
              }
              return { time: audio.currentTime, duration: audio.duration, error: audio.error ? audio.error.code : 0 };
            }
            """);
        output.WriteLine($"playback {playback}");
        Assert.Equal(0, playback.GetProperty("error").GetInt32());
        Assert.True(playback.GetProperty("duration").GetDouble() > 1, "the recording has a duration");
        Assert.True(playback.GetProperty("time").GetDouble() > 0.2, "the recording plays");
        Assert.True(await page.Locator("#latency-chart svg rect").CountAsync() > 0, "the per-turn latency chart has bars");
        await DashboardFixture.ScreenshotAsync(page, "call-detail-after-hangup");
    }

    [Fact]
    public async Task Stored_turns_stream_into_the_watch_panel_and_admin_hangup_ends_the_call()
    {
        const string callId = "call_dash_turns";
        var call = fixture.Grains.GetGrain<ICallGrain>(callId);
        await call.StartAsync(new CallStart(fixture.TenantA.Id, "bot_clinic", CallDirection.Outbound, "vox", "+14155550111", "+14155550122"), CancellationToken.None);
        await call.TransitionAsync(CallState.InProgress, null, CancellationToken.None);
        var page = await fixture.SignedInPageAsync(fixture.AdminKey);
        await page.GotoAsync($"/dashboard/live?call={callId}");
        await page.WaitForSelectorAsync("#transcript .empty");
        await page.EvaluateAsync("() => { window.__sameDocument = true; }");

        await call.AppendTurnsAsync([new TranscriptTurn(0, "assistant", "Good morning, this is the clinic.", 0, 1800)], CancellationToken.None);
        await page.WaitForSelectorAsync("#transcript .turn.assistant:text('Good morning, this is the clinic.')");
        await call.AppendTurnsAsync([new TranscriptTurn(1, "user", "I would like to move my appointment.", 2500, 4200)], CancellationToken.None);
        await page.WaitForSelectorAsync("#transcript .turn.user:text('I would like to move my appointment.')");
        Assert.Equal(2, await page.Locator("#transcript .turn").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was not reloaded");

        var hangup = page.Locator($"button.hangup[data-call-id='{callId}']");
        await hangup.ClickAsync();
        await page.WaitForSelectorAsync($"button.hangup[data-call-id='{callId}']:text('Confirm hang-up')");
        await hangup.ClickAsync();
        await page.WaitForSelectorAsync($"tr.live-call[data-call-id='{callId}']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Detached });
        var record = await call.GetAsync(null, CancellationToken.None);
        Assert.Equal((CallState.Ended, EndReasons.Cancelled), (record.State, record.EndReason));
    }
}
