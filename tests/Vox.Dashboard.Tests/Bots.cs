using Vox.Grains.Bots;

namespace Vox.Dashboard.Tests;

/// <summary>The bots of the two test tenants, on the offline voice stack.</summary>
internal static class Bots
{
    public static BotDefinition Receptionist => new()
    {
        Name = "Clinic receptionist",
        FirstMessage = "Hello, thanks for calling Vox dental. How can I help?",
        FarewellMessage = "Thank you for calling. Goodbye!",
        ScriptedReplies =
        [
            new ScriptedReply { Keywords = ["appointment", "tomorrow", "book"], Reply = "Tomorrow we have a free slot at ten in the morning." },
        ],
        TurnTaking = new TurnTakingSettings { EndOfTurnSilenceMs = 600 },
    };

    public static BotDefinition Garage => new()
    {
        Name = "Garage bookings",
        FirstMessage = "Garage B, how can we help?",
    };
}
