namespace Vox.Gateway.Sip.Messages;

/// <summary>A CSeq value: sequence number (below 2^31) and method.</summary>
public sealed record CSeqHeader(long Number, string Method)
{
    /// <summary>Parses <c>4711 INVITE</c>; false when malformed or out of range.</summary>
    public static bool TryParse(string? value, out CSeqHeader cseq)
    {
        cseq = null!;
        if (value is null)
        {
            return false;
        }

        var span = value.AsSpan().Trim();
        var space = span.IndexOfAny(' ', '\t');
        if (space <= 0 || !SipToken.IsDigits(span[..space]) || space > 10 || !long.TryParse(span[..space], out var number) || number >= 1L << 31)
        {
            return false;
        }

        var method = span[space..].Trim();
        if (!SipToken.IsToken(method))
        {
            return false;
        }

        cseq = new CSeqHeader(number, method.ToString());
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Number} {Method}";
}
