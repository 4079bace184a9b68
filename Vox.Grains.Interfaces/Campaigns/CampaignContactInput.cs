namespace Vox.Grains.Campaigns;

/// <summary>One validated contact to import: E.164 phone, name, IANA time zone and free template variables.</summary>
public sealed record CampaignContactInput(string Phone, string? Name, string TimeZone, IReadOnlyDictionary<string, string> Variables);
