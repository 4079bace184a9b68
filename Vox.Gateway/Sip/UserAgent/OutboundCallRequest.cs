namespace Vox.Gateway.Sip.UserAgent;

/// <summary>
/// An outbound call to place: the bot, who to call, the caller id shown, the trunk and free-form metadata; <see cref="CallId"/>
/// fixes the call's id (a campaign attempt's), otherwise a new one is made.
/// </summary>
public sealed record OutboundCallRequest(string BotId, string To, string? From, string? Trunk, IReadOnlyDictionary<string, string>? Metadata, string? CallId = null);
