using System.Text.Json;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Testing;
using Xunit.Abstractions;

namespace Vox.Integration.Tests;

/// <summary>A real call over the native protocol to a real worker started by the silo, on the offline voice stack (no network).</summary>
public sealed class WorkerCallTests(ITestOutputHelper output)
{
    private static BotDefinition Receptionist => new()
    {
        Name = "Receptionist",
        FirstMessage = "Hello, thanks for calling Vox dental. How can I help?",
        FarewellMessage = "Thank you for calling. Goodbye!",
        ScriptedReplies =
        [
            new ScriptedReply { Keywords = ["appointment", "tomorrow", "book"], Reply = "Tomorrow we have a free slot at ten in the morning." },
        ],
        TurnTaking = new TurnTakingSettings { EndOfTurnSilenceMs = 600 },
    };

    [Fact]
    public async Task Offline_call_greets_answers_and_records_transcript_metrics_and_recording()
    {
        await using var cluster = await TestCluster.StartAsync("sqlite", 1, new Dictionary<string, string> { ["Fleet:LocalWorkers"] = "1", ["Fleet:LocalWorkerBasePort"] = "0" });
        var tenant = await cluster.Tenants.CreateTenantAsync("dental", null, CancellationToken.None);
        var grains = cluster.Grains(0);
        await grains.GetGrain<IBotGrain>("bot_dental").CreateAsync(tenant.Id, Receptionist, CancellationToken.None);
        var pool = grains.GetGrain<ICapacityGrain>("default");
        await WaitForAsync(async () => (await pool.GetSnapshotAsync(CancellationToken.None)).Idle == 1, TimeSpan.FromSeconds(90), "the local worker registers");

        var call = grains.GetGrain<ICallGrain>("call_e2e");
        await call.StartAsync(new CallStart(tenant.Id, "bot_dental", CallDirection.Inbound, "vox", "+14155550100", "+14155550199"), CancellationToken.None);
        var reserved = await pool.ReserveAsync(new ReservationRequest(tenant.Id, "call_e2e", CallDirection.Inbound), CancellationToken.None);
        Assert.True(reserved.Granted);

        // Bounds for a busy host, not expectations: on a loaded machine the offline recogniser falls behind the caller and
        // the answers come late, not never (docs/testing.md).
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await using var caller = await VoxMediaClient.ConnectAsync(reserved.Worker!.MediaUrl, "call_e2e", TestCluster.Token, 16000, cts.Token);
        var clips = Manifest.Load();
        var question = clips.Single(c => c.Id == "utt00");
        var goodbye = clips.Single(c => c.Id == "utt04");
        await WaitForAsync(() => Task.FromResult(caller.EventsOfType("transcript").Count >= 1), TimeSpan.FromSeconds(60), "the greeting plays");
        await caller.StreamAsync(await question.ReadAsync(16000), TimeSpan.FromSeconds(1), cts.Token);
        await WaitForAsync(() => Task.FromResult(BotSaid(caller, "Tomorrow we have a free slot at ten in the morning.")), TimeSpan.FromSeconds(90), "the bot answers the question");
        // "no thank you, that is all, goodbye": the offline responder says the farewell and calls end_call; the worker
        // hangs up once the farewell has played, while the caller is still sending silence.
        var goodbyeAt = caller.Now;
        await caller.StreamAsync(await goodbye.ReadAsync(16000), TimeSpan.FromSeconds(8), cts.Token);
        await Task.WhenAny(caller.Completion, Task.Delay(TimeSpan.FromSeconds(90)));
        foreach (var (at, message) in caller.Events)
        {
            output.WriteLine($"{at.TotalSeconds,7:0.00} s {message}");
        }

        Assert.True(caller.Completion.IsCompleted, "the worker closes the call after the farewell");
        Assert.NotEmpty(caller.Audio);
        var end = caller.EventsOfType("end").Single();
        Assert.Equal(EndReasons.BotHangup, end.GetProperty("reason").GetString());
        // The assistant's transcript is sent once its audio has played, so the farewell's arrives just before the end.
        Assert.True(BotSaid(caller, "Thank you for calling. Goodbye!"), "the farewell is spoken");
        var endAt = caller.Events.First(e => e.Message.GetProperty("type").GetString() == "end").At;
        var farewellAudio = caller.Audio.Where(a => a.At >= goodbyeAt && a.At <= endAt).Sum(a => a.Samples.Length) / 16000.0;
        output.WriteLine($"farewell audio {farewellAudio:0.00} s, call ended {(endAt - goodbyeAt).TotalSeconds:0.00} s after the caller began the goodbye");
        Assert.True(farewellAudio >= 1.0, $"the farewell is played before the hang-up ({farewellAudio:0.00} s of audio)");

        CallRecord record = null!;
        await WaitForAsync(async () => (record = await call.GetAsync(null, CancellationToken.None)).ResultId is not null, TimeSpan.FromSeconds(60), "the result is delivered");
        var turns = await call.GetTurnsAsync(null, CancellationToken.None);
        foreach (var t in turns)
        {
            output.WriteLine($"{t.Role,-9} {t.StartMs,6}-{t.EndMs,6} {(t.Interrupted ? "[cut] " : "")}{t.Text}");
        }

        var users = turns.Where(t => t.Role == "user").ToList();
        Assert.Equal(2, users.Count);
        output.WriteLine($"WER utt00 {WordErrorRate.Compute(question.Text, users[0].Text):0.00}, utt04 {WordErrorRate.Compute(goodbye.Text, users[1].Text):0.00}");
        Assert.Contains("tomorrow", users[0].Text, StringComparison.Ordinal);
        Assert.Equal("Hello, thanks for calling Vox dental. How can I help?", turns[0].Text);
        Assert.Contains(turns, t => t.Role == "assistant" && t.Text == "Tomorrow we have a free slot at ten in the morning.");
        Assert.Equal("Thank you for calling. Goodbye!", turns[^1].Text);
        Assert.False(turns[^1].Interrupted);
        Assert.Equal((CallState.Ended, EndReasons.BotHangup), (record.State, record.EndReason));
        Assert.NotNull(record.RecordingRef);
        var metrics = record.Metrics!.Value.GetProperty("turns");
        output.WriteLine(metrics.ToString());
        Assert.True(metrics.EnumerateArray().Count(m => m.TryGetProperty("voiceToVoiceMs", out _)) >= 2, "per-turn metrics on the call record");
        Assert.Equal(1, (await pool.GetSnapshotAsync(CancellationToken.None)).Idle);
    }

    private static bool BotSaid(VoxMediaClient caller, string text) => caller.Events.Any(e => IsBotTranscript(e.Message, text));

    private static bool IsBotTranscript(JsonElement message, string text) =>
        message.GetProperty("type").GetString() == "transcript" && message.TryGetProperty("role", out var role) && role.GetString() == "assistant" &&
        message.TryGetProperty("text", out var said) && said.GetString() == text;

    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Timed out waiting until {what}.");
    }
}
