using Vox.Grains.Numbers;

namespace Vox.Gateway.Api.Contracts;

/// <summary>A phone number and the bot that answers it.</summary>
public sealed record PhoneNumberResponse(string Id, string Number, string? BotId, string? Label, string? Trunk, DateTimeOffset CreatedAt)
{
    internal static PhoneNumberResponse From(PhoneNumber number) =>
        new(number.Id, number.Number, number.BotId, number.Label, number.Trunk, number.CreatedAt);
}
