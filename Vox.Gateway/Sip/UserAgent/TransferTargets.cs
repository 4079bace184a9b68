using Vox.Gateway.Agi;
using Vox.Gateway.Sip.Messages;

namespace Vox.Gateway.Sip.UserAgent;

/// <summary>Where a call may be transferred: an E.164 number or a <c>sip:</c>/<c>sips:</c> URI that is safe to put in a Refer-To header.</summary>
public static class TransferTargets
{
    /// <summary>What a valid target looks like, for error messages.</summary>
    public const string Rule = "Must be an E.164 number (+ then 7 to 15 digits) or a sip:/sips: URI.";

    /// <summary>Longest target accepted.</summary>
    public const int MaxLength = 256;

    /// <summary>
    /// The target as it goes into the REFER: a SIP URI as given (trimmed), a number as E.164; null when it is neither, or when
    /// it holds control characters (a CR or LF would let it forge SIP headers).
    /// </summary>
    public static string? Normalize(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw) || raw.Length > MaxLength || raw.Any(char.IsControl))
        {
            return null;
        }

        var target = raw.Trim();
        if (target.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) || target.StartsWith("sips:", StringComparison.OrdinalIgnoreCase))
        {
            return SipUri.TryParse(target, out var uri) && uri.Scheme is "sip" or "sips" ? target : null;
        }

        return AgiNumbers.ToE164(target);
    }
}
