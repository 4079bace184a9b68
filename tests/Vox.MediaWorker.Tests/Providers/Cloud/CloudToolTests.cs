using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Vox.Fakes;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Knowledge;

namespace Vox.MediaWorker.Tests.Providers.Cloud;

/// <summary>Must-hold 2: tools in a live pipeline with the real clients and fakes.</summary>
public sealed class CloudToolTests
{
    private static JsonElement Schema(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public async Task Search_knowledge_results_reach_the_model_and_its_answer_is_spoken()
    {
        var knowledge = new ScriptedKnowledge(CloudCallHarness.TenantId, "kb_1",
            new KnowledgeHit("chk_1", "doc_1", "Opening hours", "On Saturday we are open from 9 am to 1 pm.", 1.5));
        var bot = CloudCallHarness.Bot(b => b with { KnowledgeBaseId = "kb_1" });
        await using var h = await CloudCallHarness.StartAsync(bot, fakes =>
        {
            fakes.Deepgram.Say("when are you open on saturday");
            fakes.OpenAi.Respond = body => FakeOpenAi.ToolResults(body) is { Count: > 0 } results
                ? FakeCompletion.Say("We are open " + (results[0].Contains("9 am to 1 pm", StringComparison.Ordinal) ? "from nine to one" : "I do not know") + " on Saturday.")
                : FakeCompletion.Call(new FakeToolCall("search_knowledge", """{"query":"saturday opening hours"}"""));
        }, knowledge);

        await h.SpeakAsync(await CloudCallHarness.SpeechAsync(16000), TimeSpan.FromMilliseconds(900));
        await h.WaitForBotTurnsAsync(1);

        Assert.Equal((CloudCallHarness.TenantId, "kb_1", "saturday opening hours"), Assert.Single(knowledge.Searches));
        var asked = h.Fakes.OpenAi.Requests.ToList();
        Assert.Equal(2, asked.Count);
        Assert.Contains(asked[0].GetProperty("tools").EnumerateArray(), t => t.GetProperty("function").GetProperty("name").GetString() == "search_knowledge");
        Assert.Contains("9 am to 1 pm", Assert.Single(FakeOpenAi.ToolResults(asked[1])), StringComparison.Ordinal);
        Assert.Equal("We are open from nine to one on Saturday.", h.Call.Transcript.Turns.Last(t => t.Role == "assistant").Text);
        Assert.Contains(h.Tools.Events, e => e is { Tool: "search_knowledge", Ok: true });
        KeyLeakAssert.NoKeys(h);
    }

    [Fact]
    public async Task Custom_http_tool_round_trips_against_a_local_server_with_the_secret_header()
    {
        var seen = new ConcurrentQueue<(string? Authorization, string Body)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        await using var crm = builder.Build();
        crm.MapPost("/orders/lookup", async (HttpRequest request) =>
        {
            var body = await new StreamReader(request.Body).ReadToEndAsync();
            seen.Enqueue((request.Headers.Authorization.ToString(), body));
            return Results.Json(new { order = "4567", status = "shipped", eta = "Tuesday" });
        });
        await crm.StartAsync();
        var url = crm.Urls.First() + "/orders/lookup";
        var bot = CloudCallHarness.Bot(b => b with
        {
            Tools =
            [
                new ToolDefinition
                {
                    Name = "lookup_order", Type = "http", Url = url, Method = "POST", Description = "Looks up an order",
                    Headers = new Dictionary<string, string> { ["Authorization"] = "Bearer {{secret:crm_token}}" },
                    Parameters = Schema("""{"type":"object","properties":{"order":{"type":"string","pattern":"^[0-9]+$"}},"required":["order"],"additionalProperties":false}"""),
                    TimeoutMs = 2000,
                },
            ],
        });
        await using var h = await CloudCallHarness.StartAsync(bot, fakes =>
        {
            fakes.Deepgram.Say("where is my order four five six seven");
            fakes.OpenAi.Respond = body => FakeOpenAi.ToolResults(body) is { Count: > 0 } results
                ? FakeCompletion.Say("Your order is " + JsonDocument.Parse(results[0]).RootElement.GetProperty("status").GetString() + ".")
                : FakeCompletion.Call(new FakeToolCall("lookup_order", """{"order":"4567"}"""));
        });

        await h.SpeakAsync(await CloudCallHarness.SpeechAsync(16000), TimeSpan.FromMilliseconds(900));
        await h.WaitForBotTurnsAsync(1);

        var (authorization, sent) = Assert.Single(seen);
        Assert.Equal("Bearer " + CloudCallHarness.Keys["crm_token"], authorization);
        Assert.Equal("4567", JsonDocument.Parse(sent).RootElement.GetProperty("order").GetString());
        Assert.Equal("Your order is shipped.", h.Call.Transcript.Turns.Last(t => t.Role == "assistant").Text);
        Assert.Contains(h.Tools.Events, e => e is { Tool: "lookup_order", Type: "http", Ok: true });
        KeyLeakAssert.NoKeys(h);
    }

    [Fact]
    public async Task End_call_hangs_up_after_the_goodbye_has_played()
    {
        var bot = CloudCallHarness.Bot(b => b with { Tools = [new ToolDefinition { Name = "end_call", Type = "end_call" }] });
        await using var h = await CloudCallHarness.StartAsync(bot, fakes =>
        {
            fakes.Deepgram.Say("that is all thank you bye");
            fakes.OpenAi.Respond = _ => new FakeCompletion("Goodbye and have a lovely day.", [new FakeToolCall("end_call", """{"reason":"caller is done"}""")]);
        });

        await h.SpeakAsync(await CloudCallHarness.SpeechAsync(16000), TimeSpan.FromMilliseconds(900));
        var reason = await h.Ended.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var endedAt = h.Call.Clock.Now;

        Assert.Equal(EndReasons.BotHangup, reason);
        var goodbye = h.Call.Transcript.Turns.Last(t => t.Role == "assistant");
        Assert.Equal("Goodbye and have a lovely day.", goodbye.Text);
        // Six words of 80 ms each: all 24 frames went out before the hang-up.
        var frames = h.Transport.Frames.ToList();
        Assert.True(frames.Count >= 24, $"only {frames.Count} frames of the goodbye were played");
        Assert.True(frames[^1].At <= endedAt);
        KeyLeakAssert.NoKeys(h);
    }

    [Fact]
    public async Task Transfer_call_invokes_the_transport_transfer_after_the_message()
    {
        var bot = CloudCallHarness.Bot(b => b with { Tools = [new ToolDefinition { Name = "transfer_call", Type = "transfer_call", Destination = "+15550100" }] });
        await using var h = await CloudCallHarness.StartAsync(bot, fakes =>
        {
            fakes.Deepgram.Say("can you transfer me to a human");
            fakes.OpenAi.Respond = _ => new FakeCompletion("Connecting you to a colleague now.", [new FakeToolCall("transfer_call", """{"reason":"asked for a human"}""")]);
        });

        await h.SpeakAsync(await CloudCallHarness.SpeechAsync(16000), TimeSpan.FromMilliseconds(900));
        var reason = await h.Ended.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(EndReasons.Transferred, reason);
        var (destination, at) = Assert.Single(h.Control.Transfers);
        Assert.Equal("+15550100", destination);
        Assert.True(h.Transport.Frames.Last().At <= at, "the transfer happened before the message had played");
        Assert.Equal("Connecting you to a colleague now.", h.Call.Transcript.Turns.Last(t => t.Role == "assistant").Text);
        KeyLeakAssert.NoKeys(h);
    }

    [Fact]
    public async Task A_slow_tool_gets_the_filler_phrase_spoken_while_it_runs()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        await using var slow = builder.Build();
        slow.MapGet("/availability", async () =>
        {
            await Task.Delay(1200);
            return Results.Json(new { slots = new[] { "10:00" } });
        });
        await slow.StartAsync();
        var bot = CloudCallHarness.Bot(b => b with
        {
            Tools = [new ToolDefinition { Name = "availability", Type = "http", Method = "GET", Url = slow.Urls.First() + "/availability", FillerPhrase = "One moment while I check", FillerAfterMs = 200 }],
        });
        await using var h = await CloudCallHarness.StartAsync(bot, fakes =>
        {
            fakes.Deepgram.Say("any slots tomorrow");
            fakes.OpenAi.Respond = body => FakeOpenAi.ToolResults(body) is { Count: > 0 }
                ? FakeCompletion.Say("The first free slot is at ten.")
                : FakeCompletion.Call(new FakeToolCall("availability", "{}"));
        });

        await h.SpeakAsync(await CloudCallHarness.SpeechAsync(16000), TimeSpan.FromMilliseconds(900));
        await h.WaitForBotTurnsAsync(1);

        Assert.Equal("One moment while I check. The first free slot is at ten.", h.Call.Transcript.Turns.Last(t => t.Role == "assistant").Text);
        var second = h.Fakes.OpenAi.Requests.Last();
        var assistant = second.GetProperty("messages").EnumerateArray().Last(m => m.GetProperty("role").GetString() == "assistant");
        Assert.Equal("availability", assistant.GetProperty("tool_calls")[0].GetProperty("function").GetProperty("name").GetString());
    }
}
