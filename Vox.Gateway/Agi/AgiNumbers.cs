using Vox.Grains.Numbers;

namespace Vox.Gateway.Agi;

/// <summary>Turns what a PBX or trunk puts in an extension or SIP user part into an E.164 number.</summary>
public static class AgiNumbers
{
    /// <summary><c>+14155550100</c>, <c>14155550100</c> or <c>0014155550100</c> to <c>+14155550100</c>; null when it is not a number.</summary>
    public static string? ToE164(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var digits = raw.Trim().Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        if (digits.StartsWith("00", StringComparison.Ordinal))
        {
            digits = "+" + digits[2..];
        }
        else if (!digits.StartsWith('+'))
        {
            digits = "+" + digits;
        }

        return E164.IsValid(digits) ? digits : null;
    }
}
