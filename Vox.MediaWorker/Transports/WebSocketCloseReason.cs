using System.Text;

namespace Vox.MediaWorker.Transports;

/// <summary>Close reasons as a WebSocket can carry them.</summary>
public static class WebSocketCloseReason
{
    /// <summary>The most UTF-8 bytes a close frame's reason may have (RFC 6455 5.5: 125 bytes of payload, 2 of them the status).</summary>
    public const int MaxBytes = 123;

    /// <summary><paramref name="reason"/> cut to <see cref="MaxBytes"/> UTF-8 bytes, never inside a character.</summary>
    public static string Fit(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (Encoding.UTF8.GetByteCount(reason) <= MaxBytes)
        {
            return reason;
        }

        var length = 0;
        var bytes = 0;
        foreach (var rune in reason.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > MaxBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            length += rune.Utf16SequenceLength;
        }

        return reason[..length];
    }
}
