namespace Vox.Gateway.Sip.Sdp;

/// <summary>One m= section: media type, port, protocol, payload types, rtpmap names, direction and its own c= address.</summary>
public sealed record SdpMedia(
    string Type,
    int Port,
    string Protocol,
    IReadOnlyList<int> Formats,
    IReadOnlyDictionary<int, string> RtpMaps,
    string Direction,
    string? ConnectionAddress)
{
    /// <summary>True when the m= section had its own direction attribute.</summary>
    public bool HasDirection { get; init; }

    /// <summary>The payload type whose rtpmap names <paramref name="encoding"/> (e.g. <c>telephone-event/8000</c>), or null.</summary>
    public int? FindFormat(string encoding) =>
        RtpMaps.Where(m => m.Value.StartsWith(encoding, StringComparison.OrdinalIgnoreCase) && Formats.Contains(m.Key)).Select(m => (int?)m.Key).FirstOrDefault();
}
