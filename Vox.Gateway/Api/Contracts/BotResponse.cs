using Vox.Grains.Bots;

namespace Vox.Gateway.Api.Contracts;

/// <summary>A bot as the API shows it: the definition sent on create or replace, with its id and version.</summary>
public sealed record BotResponse(string Id, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, BotDefinition Definition)
{
    internal static BotResponse From(BotRecord bot) => new(bot.Id, bot.Version, bot.CreatedAt, bot.UpdatedAt, bot.Definition);
}
