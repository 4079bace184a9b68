using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Vox.Fakes;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.MediaWorker.Providers.Llm;
using Vox.MediaWorker.Providers.OpenAi;

namespace Vox.MediaWorker.Tests.Providers.Cloud;

/// <summary>Post-call analysis through the bot's model (the OpenAI-compatible client against the fake).</summary>
public sealed class PostCallAnalyzerTests
{
    private static readonly TranscriptTurn[] Turns =
    [
        new(0, "assistant", "Hello, Riverside Clinic.", 0, 1000, false),
        new(1, "user", "I'd like to book a blood test on Friday. My name is Ana.", 1500, 4000, false),
        new(2, "assistant", "Booked for Friday at nine.", 4500, 6000, false),
    ];

    private static PostCallAnalysisSettings Settings => new()
    {
        StructuredDataSchema = JsonDocument.Parse("""{"type":"object","properties":{"name":{"type":"string"},"day":{"type":"string"}},"required":["name","day"]}""").RootElement.Clone(),
        SuccessRubric = "The caller got an appointment.",
    };

    private static async Task<JsonElement?> AnalyzeAsync(FakeProviderServer fakes, HttpClient http)
    {
        var model = new OpenAiCompatibleLanguageModel("openai", new OpenAiEndpointOptions { BaseUrl = fakes.BaseUrl + "v1", DefaultModel = "gpt-fake" }, fakes.OpenAi.ApiKey, [], http,
            new LanguageModelOptions(), TimeProvider.System, NullLogger.Instance);
        var bot = new BotDefinition { Name = "Clinic", Analysis = Settings, Llm = new ProviderSelection { Provider = "openai" } };
        return await new PostCallAnalyzer(NullLogger<PostCallAnalyzer>.Instance).AnalyzeAsync(model, bot, Turns, CancellationToken.None);
    }

    [Fact]
    public async Task Summary_structured_data_and_success_come_back_as_one_object()
    {
        await using var fakes = await FakeProviderServer.StartAsync();
        using var http = new HttpClient();
        fakes.OpenAi.FirstTokenLatency = TimeSpan.Zero;
        fakes.OpenAi.Respond = _ => FakeCompletion.Say("""{"summary": "Ana booked a blood test for Friday.", "structuredData": {"name": "Ana", "day": "Friday"}, "success": {"successful": true, "reason": "booked"}}""");

        var analysis = (await AnalyzeAsync(fakes, http))!.Value;

        Assert.Equal("Ana booked a blood test for Friday.", analysis.GetProperty("summary").GetString());
        Assert.Equal("Friday", analysis.GetProperty("structuredData").GetProperty("day").GetString());
        Assert.True(analysis.GetProperty("success").GetProperty("successful").GetBoolean());
        var request = Assert.Single(fakes.OpenAi.Requests);
        Assert.Equal("json_object", request.GetProperty("response_format").GetProperty("type").GetString());
        Assert.Contains("Ana", request.GetProperty("messages")[1].GetProperty("content").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_that_breaks_the_schema_is_kept_with_the_violations_named()
    {
        await using var fakes = await FakeProviderServer.StartAsync();
        using var http = new HttpClient();
        fakes.OpenAi.FirstTokenLatency = TimeSpan.Zero;
        fakes.OpenAi.Respond = _ => FakeCompletion.Say("""{"summary": "s", "structuredData": {"name": 7}}""");

        var analysis = (await AnalyzeAsync(fakes, http))!.Value;

        var errors = analysis.GetProperty("structuredDataErrors").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("$.day: required", errors);
        Assert.Contains("$.name: expected string, got integer", errors);
    }
}
