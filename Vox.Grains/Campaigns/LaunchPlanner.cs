namespace Vox.Grains.Campaigns;

/// <summary>
/// The campaign's decisions with no I/O: how many calls a tick may launch, whether a contact's calling window is open
/// (in its own IANA zone), and what an attempt's outcome does to the contact.
/// </summary>
public static class LaunchPlanner
{
    /// <summary>How far ahead <see cref="NextOpening"/> looks: a week covers every weekday window.</summary>
    private const int LookAheadDays = 8;

    /// <summary>
    /// The launch budget: the least of the pacing tokens left in the last minute (capped per tick so a minute's
    /// calls spread over it), the room under max concurrent, and the outbound slots free above the inbound reserve.
    /// </summary>
    public static int Budget(int callsPerMinute, int launchedLastMinute, int perTickCap, int maxConcurrent, int active, int freeOutboundSlots) =>
        Math.Max(0, Math.Min(Math.Min(callsPerMinute - launchedLastMinute, perTickCap), Math.Min(maxConcurrent - active, freeOutboundSlots)));

    /// <summary>How many calls a tick of <paramref name="tick"/> may launch at most at <paramref name="callsPerMinute"/> (at least one).</summary>
    public static int PerTickCap(int callsPerMinute, TimeSpan tick) =>
        Math.Max(1, (int)Math.Ceiling(callsPerMinute * tick.TotalMilliseconds / 60_000));

    /// <summary>
    /// Slots an outbound call may still take: the capacity grain grants outbound only while more than
    /// ceil(total x reserve) slots are idle, so that many stay for inbound calls.
    /// </summary>
    public static int FreeOutboundSlots(int total, int idle, double inboundReserveRatio) =>
        Math.Max(0, idle - (int)Math.Ceiling(total * inboundReserveRatio));

    /// <summary>True when <paramref name="now"/> falls in a window in <paramref name="timeZone"/> (no windows: always open).</summary>
    public static bool IsOpen(IReadOnlyList<CallingWindow> windows, TimeZoneInfo timeZone, DateTimeOffset now)
    {
        if (windows.Count == 0)
        {
            return true;
        }

        var local = TimeZoneInfo.ConvertTime(now, timeZone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        return windows.Any(w => w.Day == local.DayOfWeek && time >= w.Start && time < w.End);
    }

    /// <summary>The first instant at or after <paramref name="now"/> when a window is open, null if no window ever opens.</summary>
    public static DateTimeOffset? NextOpening(IReadOnlyList<CallingWindow> windows, TimeZoneInfo timeZone, DateTimeOffset now)
    {
        if (IsOpen(windows, timeZone, now))
        {
            return now;
        }

        var localToday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, timeZone).DateTime);
        DateTimeOffset? best = null;
        for (var day = 0; day < LookAheadDays; day++)
        {
            var date = localToday.AddDays(day);
            foreach (var window in windows.Where(w => w.Day == date.DayOfWeek && w.Start < w.End))
            {
                var opening = ToInstant(date.ToDateTime(window.Start), timeZone);
                if (opening > now && (best is null || opening < best))
                {
                    best = opening;
                }
            }

            if (best is not null)
            {
                return best;
            }
        }

        return best;
    }

    /// <summary>
    /// What <paramref name="outcome"/> does to a contact that has now had <paramref name="attempts"/> counted attempts:
    /// answered is final, an unanswered outcome is retried after its delay while attempts stay under its maximum.
    /// </summary>
    public static (string State, DateTimeOffset NextAttemptAt) AfterOutcome(RetryPolicy policy, string outcome, int attempts, DateTimeOffset now, TimeSpan notLaunchedDelay)
    {
        if (outcome == AttemptOutcomes.NotLaunched)
        {
            return (ContactStates.Pending, now + notLaunchedDelay);
        }

        var rule = policy.For(outcome);
        if (rule is null)
        {
            return (ContactStates.Completed, now);
        }

        return attempts < rule.MaxAttempts
            ? (ContactStates.Pending, now + TimeSpan.FromSeconds(rule.DelaySeconds))
            : (ContactStates.Failed, now);
    }

    private static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo timeZone)
    {
        // A window opening inside a DST gap opens when the clock jumps past it.
        while (timeZone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        return new DateTimeOffset(local, timeZone.GetUtcOffset(local));
    }
}
