using Vox.Grains.Webhooks;

namespace Vox.Grains.Tests.Webhooks;

public sealed class WebhookBackoffTests
{
    [Fact]
    public void Default_schedule_doubles_from_ten_seconds_and_caps_at_ten_minutes()
    {
        var options = new WebhookOptions();
        var seconds = Enumerable.Range(1, 9).Select(n => WebhookBackoff.Delay(n, options, unit: 0).TotalSeconds);
        Assert.Equal([10, 20, 40, 80, 160, 320, 600, 600, 600], seconds);
    }

    [Fact]
    public void Jitter_only_shortens_a_delay_by_at_most_the_ratio()
    {
        var options = new WebhookOptions { InitialBackoffMs = 1_000, MaxBackoffMs = 5_000, JitterRatio = 0.25 };
        Assert.Equal(4_000, WebhookBackoff.Delay(3, options, unit: 0).TotalMilliseconds);
        Assert.Equal(3_000, WebhookBackoff.Delay(3, options, unit: 1).TotalMilliseconds);
        Assert.Equal(3_500, WebhookBackoff.Delay(3, options, unit: 0.5).TotalMilliseconds);
    }

    [Fact]
    public void Huge_attempt_numbers_stay_at_the_cap()
    {
        var options = new WebhookOptions();
        Assert.Equal(600, WebhookBackoff.Delay(10_000, options, unit: 0).TotalSeconds);
    }
}
