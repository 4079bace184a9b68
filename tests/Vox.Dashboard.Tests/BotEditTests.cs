using Vox.Grains.Bots;

namespace Vox.Dashboard.Tests;

/// <summary>Editing a bot from the browser stores a new version; the test-call button opens the browser widget.</summary>
[Collection(DashboardCollection.Name)]
public sealed class BotEditTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Saving_the_bot_form_stores_a_new_version_with_the_edits()
    {
        var bot = fixture.Grains.GetGrain<IBotGrain>("bot_edit");
        await bot.CreateAsync(fixture.TenantA.Id, new BotDefinition { Name = "Front desk", FirstMessage = "Hi!", ScriptedReplies = [new ScriptedReply { Keywords = ["hours"], Reply = "Nine to five." }] }, CancellationToken.None);
        var page = await fixture.SignedInPageAsync(fixture.OperatorKeyA);
        await page.GotoAsync("/dashboard/bots/bot_edit");
        await page.WaitForSelectorAsync("body[data-page='bot']");
        Assert.Equal("/widget/bot_edit/demo", await page.GetAttributeAsync("#test-call", "href"));

        await page.FillAsync("input[name=firstMessage]", "Good morning, front desk speaking.");
        await page.FillAsync("textarea[name=systemPrompt]", "You are the front desk of a dental clinic.");
        await page.FillAsync("input[name=ttsVoice]", "en-us+f3");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("#bot-status:text('Saved as version 2')");

        var saved = await bot.GetAsync(fixture.TenantA.Id, CancellationToken.None);
        Assert.Equal(2, saved.Version);
        Assert.Equal("Good morning, front desk speaking.", saved.Definition.FirstMessage);
        Assert.Equal("You are the front desk of a dental clinic.", saved.Definition.SystemPrompt);
        Assert.Equal("en-us+f3", saved.Definition.Tts.Voice);
        Assert.Equal("Nine to five.", Assert.Single(saved.Definition.ScriptedReplies).Reply);
    }
}
