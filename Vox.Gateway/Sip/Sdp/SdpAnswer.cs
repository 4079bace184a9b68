namespace Vox.Gateway.Sip.Sdp;

/// <summary>What negotiating an offer decided: the codec and telephone-event types, the far end's RTP address, hold.</summary>
public sealed record SdpAnswer(int PayloadType, int? DtmfPayloadType, string RemoteAddress, int RemotePort, string Direction)
{
    /// <summary>True when the far end put the call on hold (sendonly or inactive).</summary>
    public bool OnHold => Direction is "sendonly" or "inactive";

    /// <summary>Our direction in reply to the offer's (RFC 3264 section 6.1).</summary>
    public string AnswerDirection => Direction switch { "sendonly" => "recvonly", "recvonly" => "sendonly", "inactive" => "inactive", _ => "sendrecv" };

    /// <summary>
    /// Picks from an offer: the first audio m= line over RTP/AVP, the first of its formats that is PCMU or PCMA (the
    /// offerer's preference order), and telephone-event if offered. Null when nothing fits (answer 488).
    /// </summary>
    public static SdpAnswer? Negotiate(SessionDescription offer, out int mediaIndex)
    {
        mediaIndex = -1;
        for (var i = 0; i < offer.Media.Count; i++)
        {
            var media = offer.Media[i];
            if (media.Type != "audio" || media.Port == 0 || !media.Protocol.StartsWith("RTP/AVP", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            int? codec = null;
            foreach (var pt in media.Formats)
            {
                if (pt is 0 or 8 || (pt >= 96 && media.RtpMaps.TryGetValue(pt, out var name) && (name.StartsWith("PCMU/8000", StringComparison.OrdinalIgnoreCase) || name.StartsWith("PCMA/8000", StringComparison.OrdinalIgnoreCase))))
                {
                    codec = pt is 0 or 8 ? pt : (media.RtpMaps[pt].StartsWith("PCMA", StringComparison.OrdinalIgnoreCase) ? 8 : 0);
                    break;
                }
            }

            var address = media.ConnectionAddress ?? offer.ConnectionAddress;
            if (codec is null || address is null)
            {
                continue;
            }

            mediaIndex = i;
            return new SdpAnswer(codec.Value, media.FindFormat("telephone-event/8000"), address, media.Port, media.Direction);
        }

        return null;
    }
}
