using Vox.Grains.Bots;
using Vox.Grains.Campaigns;

namespace Vox.Grains.Tests.Campaigns;

public sealed class PromptTemplateTests
{
    [Fact]
    public void Apply_fills_prompt_and_first_message_from_var_metadata_and_leaves_unknown_placeholders()
    {
        var bot = new BotRuntimeConfig("bot_1", "ten_1", 1,
            new BotDefinition { Name = "b", SystemPrompt = "You call {{name}} about the {{ plan }} plan. {{missing}}", FirstMessage = "Hello {{name}}!" }, DateTimeOffset.UnixEpoch);
        var metadata = new Dictionary<string, string> { ["var.name"] = "Ana", ["var.plan"] = "gold", ["campaign_epoch"] = "3", ["name"] = "not a variable" };

        var filled = PromptTemplate.Apply(bot, metadata);

        Assert.Equal("You call Ana about the gold plan. {{missing}}", filled.Definition.SystemPrompt);
        Assert.Equal("Hello Ana!", filled.Definition.FirstMessage);
        Assert.Same(bot, PromptTemplate.Apply(bot, new Dictionary<string, string> { ["sip_trunk"] = "a" }));
    }
}
