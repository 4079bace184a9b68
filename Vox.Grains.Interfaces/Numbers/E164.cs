namespace Vox.Grains.Numbers;

/// <summary>E.164 telephone number rules (ITU-T E.164: at most 15 digits, no leading zero country code).</summary>
public static class E164
{
    /// <summary>True when <paramref name="value"/> is <c>+</c> followed by 7 to 15 digits, the first not 0.</summary>
    public static bool IsValid(string? value)
    {
        if (value is null || value.Length < 8 || value.Length > 16 || value[0] != '+' || value[1] == '0')
        {
            return false;
        }

        for (var i = 1; i < value.Length; i++)
        {
            if (!char.IsAsciiDigit(value[i]))
            {
                return false;
            }
        }

        return true;
    }
}
