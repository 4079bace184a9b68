using System.Globalization;
using System.Text;

namespace Vox.Gateway.Sip.Sdp;

/// <summary>An SDP session description (RFC 4566), as much of it as an audio call needs.</summary>
public sealed record SessionDescription(string? ConnectionAddress, IReadOnlyList<SdpMedia> Media)
{
    /// <summary>Parses SDP text; false when there is no usable m= line.</summary>
    public static bool TryParse(string text, out SessionDescription description)
    {
        description = null!;
        string? sessionAddress = null;
        var media = new List<SdpMedia>();
        string? type = null, protocol = null, address = null, direction = null;
        var port = 0;
        var formats = new List<int>();
        var maps = new Dictionary<int, string>();
        void Flush()
        {
            if (type is not null)
            {
                media.Add(new SdpMedia(type, port, protocol!, formats, maps, direction ?? "sendrecv", address) { HasDirection = direction is not null });
            }
        }

        string? sessionDirection = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length < 2 || line[1] != '=')
            {
                continue;
            }

            var value = line[2..];
            switch (line[0])
            {
                case 'c':
                    var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (parts.Length >= 3)
                    {
                        var host = parts[2].Split('/')[0];
                        if (type is null)
                        {
                            sessionAddress = host;
                        }
                        else
                        {
                            address = host;
                        }
                    }

                    break;
                case 'm':
                    Flush();
                    var m = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (m.Length < 3 || !int.TryParse(m[1].Split('/')[0], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
                    {
                        return false;
                    }

                    type = m[0];
                    protocol = m[2];
                    formats = [];
                    maps = [];
                    address = null;
                    direction = null;
                    foreach (var f in m.Skip(3))
                    {
                        if (int.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out var pt) && pt < 128)
                        {
                            formats.Add(pt);
                        }
                    }

                    break;
                case 'a':
                    if (value.StartsWith("rtpmap:", StringComparison.Ordinal))
                    {
                        var space = value.IndexOf(' ');
                        if (space > 7 && int.TryParse(value.AsSpan(7, space - 7), NumberStyles.None, CultureInfo.InvariantCulture, out var pt))
                        {
                            maps[pt] = value[(space + 1)..].Trim();
                        }
                    }
                    else if (value is "sendrecv" or "sendonly" or "recvonly" or "inactive")
                    {
                        if (type is null)
                        {
                            sessionDirection = value;
                        }
                        else
                        {
                            direction = value;
                        }
                    }

                    break;
            }
        }

        Flush();
        if (media.Count == 0)
        {
            return false;
        }

        if (sessionDirection is not null)
        {
            media = media.Select(x => x.Direction == "sendrecv" && !x.HasDirection ? x with { Direction = sessionDirection } : x).ToList();
        }

        description = new SessionDescription(sessionAddress, media);
        return true;
    }

    /// <summary>
    /// Writes an audio description for <paramref name="address"/>:<paramref name="port"/> with the given payload types
    /// (G.711 and telephone-event get their rtpmap lines), 20 ms packets and a direction.
    /// </summary>
    public static string Write(long sessionVersion, string address, int port, IEnumerable<int> payloadTypes, int? dtmfPayloadType, string direction = "sendrecv",
        IReadOnlyList<SdpMedia>? rejectedAfter = null)
    {
        var pts = payloadTypes.ToList();
        var all = dtmfPayloadType is { } d ? pts.Append(d).ToList() : pts;
        var sb = new StringBuilder();
        sb.Append("v=0\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"o=vox {sessionVersion} {sessionVersion} IN IP4 {address}\r\n");
        sb.Append("s=Vox\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"c=IN IP4 {address}\r\n");
        sb.Append("t=0 0\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"m=audio {port} RTP/AVP {string.Join(' ', all)}\r\n");
        foreach (var pt in pts)
        {
            sb.Append(pt switch { 0 => "a=rtpmap:0 PCMU/8000\r\n", 8 => "a=rtpmap:8 PCMA/8000\r\n", _ => "" });
        }

        if (dtmfPayloadType is { } dtmf)
        {
            sb.Append(CultureInfo.InvariantCulture, $"a=rtpmap:{dtmf} telephone-event/8000\r\n");
            sb.Append(CultureInfo.InvariantCulture, $"a=fmtp:{dtmf} 0-16\r\n");
        }

        sb.Append("a=ptime:20\r\n");
        sb.Append("a=").Append(direction).Append("\r\n");
        foreach (var other in rejectedAfter ?? [])
        {
            // RFC 3264 section 6: an answer keeps every m= line; one it declines gets port 0.
            sb.Append(CultureInfo.InvariantCulture, $"m={other.Type} 0 {other.Protocol} {(other.Formats.Count > 0 ? other.Formats[0] : 0)}\r\n");
        }

        return sb.ToString();
    }
}
