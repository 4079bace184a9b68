using System.Text;
using Vox.MediaWorker.Transports;

namespace Vox.MediaWorker.Tests.Transports;

public sealed class WebSocketCloseReasonTests
{
    [Fact]
    public void Fit_keeps_a_short_reason_whole()
    {
        Assert.Equal("call set-up failed (providers): boom", WebSocketCloseReason.Fit("call set-up failed (providers): boom"));
    }

    [Fact]
    public void Fit_cuts_a_long_reason_to_123_utf8_bytes_without_splitting_a_character()
    {
        // 'é' is 2 bytes and '€' 3: 121 ASCII bytes then "é€" would split the euro sign at byte 123.
        var reason = new string('a', 121) + "é€ and more";

        var fitted = WebSocketCloseReason.Fit(reason);

        Assert.Equal(new string('a', 121) + "é", fitted);
        Assert.True(Encoding.UTF8.GetByteCount(fitted) <= WebSocketCloseReason.MaxBytes);
    }
}
