using Vox.Grains.Campaigns;

namespace Vox.Grains.Tests.Campaigns;

public sealed class LaunchPlannerTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly CallingWindow[] Weekdays9To17 = [.. new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday }
        .Select(d => new CallingWindow(d, new TimeOnly(9, 0), new TimeOnly(17, 0)))];

    [Theory]
    [InlineData(30, 0, 5, 5, 0, 50, 5)]
    [InlineData(30, 28, 5, 5, 0, 50, 2)]
    [InlineData(30, 0, 1, 5, 0, 50, 1)]
    [InlineData(30, 0, 5, 5, 4, 50, 1)]
    [InlineData(30, 0, 5, 5, 0, 2, 2)]
    [InlineData(30, 31, 5, 5, 0, 2, 0)]
    public void Budget_is_the_least_of_pacing_concurrency_and_capacity(int cpm, int lastMinute, int tickCap, int max, int active, int free, int expected) =>
        Assert.Equal(expected, LaunchPlanner.Budget(cpm, lastMinute, tickCap, max, active, free));

    [Fact]
    public void Free_outbound_slots_keep_the_inbound_reserve()
    {
        Assert.Equal(3, LaunchPlanner.FreeOutboundSlots(4, 4, 0.25));
        Assert.Equal(0, LaunchPlanner.FreeOutboundSlots(4, 1, 0.25));
        Assert.Equal(10, LaunchPlanner.FreeOutboundSlots(10, 10, 0));
    }

    [Fact]
    public void Per_tick_cap_spreads_a_minute_of_calls_over_its_ticks() =>
        Assert.Equal(1, LaunchPlanner.PerTickCap(30, TimeSpan.FromSeconds(2)));

    [Fact]
    public void Window_is_judged_in_the_contacts_zone()
    {
        var mondayNoonUtc = new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero); // 07:00 in New York
        Assert.False(LaunchPlanner.IsOpen(Weekdays9To17, NewYork, mondayNoonUtc));
        Assert.True(LaunchPlanner.IsOpen(Weekdays9To17, NewYork, mondayNoonUtc.AddHours(2)));
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 14, 0, 0, TimeSpan.Zero), LaunchPlanner.NextOpening(Weekdays9To17, NewYork, mondayNoonUtc));
    }

    [Fact]
    public void Next_opening_after_friday_close_is_monday_morning()
    {
        var fridayEvening = new DateTimeOffset(2026, 1, 9, 23, 0, 0, TimeSpan.Zero); // 18:00 Friday in New York
        Assert.Equal(new DateTimeOffset(2026, 1, 12, 14, 0, 0, TimeSpan.Zero), LaunchPlanner.NextOpening(Weekdays9To17, NewYork, fridayEvening));
        Assert.Null(LaunchPlanner.NextOpening([new CallingWindow(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(9, 0))], NewYork, fridayEvening));
    }

    [Fact]
    public void After_outcome_retries_while_under_the_rules_maximum_and_answered_is_final()
    {
        var now = DateTimeOffset.UnixEpoch;
        var policy = new RetryPolicy(new RetryRule(60, 3), new RetryRule(120, 2), new RetryRule(10, 1), new RetryRule(30, 1));
        Assert.Equal((ContactStates.Pending, now.AddSeconds(60)), LaunchPlanner.AfterOutcome(policy, AttemptOutcomes.Busy, 2, now, TimeSpan.FromSeconds(2)));
        Assert.Equal(ContactStates.Failed, LaunchPlanner.AfterOutcome(policy, AttemptOutcomes.Busy, 3, now, TimeSpan.FromSeconds(2)).State);
        Assert.Equal(ContactStates.Failed, LaunchPlanner.AfterOutcome(policy, AttemptOutcomes.Voicemail, 1, now, TimeSpan.FromSeconds(2)).State);
        Assert.Equal(ContactStates.Completed, LaunchPlanner.AfterOutcome(policy, AttemptOutcomes.Answered, 1, now, TimeSpan.FromSeconds(2)).State);
        Assert.Equal((ContactStates.Pending, now.AddSeconds(2)), LaunchPlanner.AfterOutcome(policy, AttemptOutcomes.NotLaunched, 3, now, TimeSpan.FromSeconds(2)));
    }
}
