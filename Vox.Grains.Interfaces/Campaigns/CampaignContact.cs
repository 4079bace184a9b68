namespace Vox.Grains.Campaigns;

/// <summary>A contact of a campaign and where it stands.</summary>
public sealed record CampaignContact(string Id, string Phone, string? Name, string TimeZone, IReadOnlyDictionary<string, string> Variables, string State, int Attempts, DateTimeOffset NextAttemptAt, string? LastOutcome);
