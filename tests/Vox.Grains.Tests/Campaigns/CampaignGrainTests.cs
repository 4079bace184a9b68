using Vox.Grains.Calls;
using Vox.Grains.Campaigns;
using Vox.Grains.Capacity;
using Vox.Testing;

namespace Vox.Grains.Tests.Campaigns;

public sealed class CampaignGrainTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(2);

    /// <summary>Ticks <paramref name="grain"/> every 2 s of manual time, ending calls after <paramref name="callLength"/>, until it finishes.</summary>
    private static async Task<int> RunToCompletionAsync(CampaignTestRig rig, CampaignGrain grain, TimeSpan callLength, Func<string, string> reason, int maxTicks = 400, string holder = "silo-a")
    {
        for (var tick = 1; tick <= maxTicks; tick++)
        {
            var result = await grain.TickAsync(holder, CancellationToken.None);
            if (result.Finished)
            {
                return tick;
            }

            rig.Time.Advance(Tick);
            await rig.Dialer.EndDueAsync(callLength, reason);
        }

        throw new TimeoutException("The campaign did not complete.");
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Fifty_contacts_at_30_per_minute_and_5_concurrent_complete_within_pace_and_concurrency(string dialect)
    {
        await using var rig = await CampaignTestRig.CreateAsync(dialect);
        var grain = await rig.StartAsync(rig.Spec(30, 5), CampaignTestRig.Contacts(50));

        await RunToCompletionAsync(rig, grain, TimeSpan.FromSeconds(9), _ => EndReasons.CallerHangup);

        var launches = rig.Dialer.Launches.Select(l => l.At).OrderBy(t => t).ToList();
        Assert.Equal(50, launches.Count);
        var busiestMinute = launches.Max(start => launches.Count(t => t >= start && t < start.AddSeconds(60)));
        Assert.InRange(busiestMinute, 1, 30);
        Assert.InRange(rig.Dialer.MaxActive, 1, 5);
        var attempts = await grain.GetAttemptsAsync(rig.TenantId, null, CancellationToken.None);
        Assert.Equal(50, attempts.Count);
        Assert.All(attempts, a => Assert.Equal((1, AttemptOutcomes.Answered), (a.AttemptNo, a.Outcome)));
        var progress = await grain.GetProgressAsync(rig.TenantId, CancellationToken.None);
        Assert.Equal((CampaignStatus.Completed, 50), (progress.Status, progress.Contacts[ContactStates.Completed]));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Ticks_landing_on_silos_without_the_lease_do_not_slow_the_pace(string dialect)
    {
        await using var rig = await CampaignTestRig.CreateAsync(dialect);
        var grain = await rig.StartAsync(rig.Spec(30, 30), CampaignTestRig.Contacts(40));

        // Three silos share the reminder: only one tick in three reaches the lease holder.
        for (var tick = 0; tick < 45; tick++)
        {
            await grain.TickAsync($"silo-{tick % 3}", CancellationToken.None);

            rig.Time.Advance(TimeSpan.FromSeconds(2));
        }

        var launches = rig.Dialer.Launches.Select(l => l.At).OrderBy(t => t).ToList();
        var busiestMinute = launches.Max(start => launches.Count(t => t >= start && t < start.AddSeconds(60)));
        Assert.InRange(busiestMinute, 27, 30);
        Assert.Equal(["silo-0"], (await rig.Ctx.Store.ReadAsync((c, ct) => Dapper.SqlMapper.QueryAsync<string>(c, "SELECT DISTINCT holder FROM campaign_attempts"), CancellationToken.None)).ToList());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Busy_and_no_answer_are_retried_after_their_delay_up_to_the_maximum_and_voicemail_follows_its_own_rule(string dialect)
    {
        await using var rig = await CampaignTestRig.CreateAsync(dialect);
        var policy = new RetryPolicy(Busy: new RetryRule(60, 3), NoAnswer: new RetryRule(120, 2), Failed: new RetryRule(10, 1), Voicemail: new RetryRule(30, 2));
        var contacts = new[] { "+33610000001", "+33610000002", "+33610000003", "+33610000004" }
            .Select(p => new CampaignContactInput(p, null, "Europe/Paris", new Dictionary<string, string>())).ToList();
        var reasons = new Dictionary<string, string>
        {
            ["+33610000001"] = EndReasons.Busy, ["+33610000002"] = EndReasons.NoAnswer, ["+33610000003"] = EndReasons.Voicemail, ["+33610000004"] = EndReasons.Rejected,
        };
        var grain = await rig.StartAsync(rig.Spec(60, 5, policy), contacts);

        await RunToCompletionAsync(rig, grain, TimeSpan.FromSeconds(4), to => reasons[to]);

        var byPhone = rig.Dialer.Launches.GroupBy(l => l.Dial.To).ToDictionary(g => g.Key, g => g.Select(l => l.At).OrderBy(t => t).ToList());
        Assert.Equal([3, 2, 2, 1], reasons.Keys.Select(p => byPhone[p].Count));
        Assert.All(byPhone["+33610000001"].Zip(byPhone["+33610000001"].Skip(1)), p => Assert.True(p.Second - p.First >= TimeSpan.FromSeconds(60)));
        Assert.All(byPhone["+33610000002"].Zip(byPhone["+33610000002"].Skip(1)), p => Assert.True(p.Second - p.First >= TimeSpan.FromSeconds(120)));
        Assert.All(byPhone["+33610000003"].Zip(byPhone["+33610000003"].Skip(1)), p => Assert.InRange(p.Second - p.First, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(45)));
        var contactsAfter = await grain.GetContactsAsync(rig.TenantId, 0, 10, CancellationToken.None);
        Assert.All(contactsAfter, c => Assert.Equal(ContactStates.Failed, c.State));
        Assert.Equal([AttemptOutcomes.Busy, AttemptOutcomes.NoAnswer, AttemptOutcomes.Voicemail, AttemptOutcomes.Failed], contactsAfter.Select(c => c.LastOutcome));
        var attempts = await grain.GetAttemptsAsync(rig.TenantId, null, CancellationToken.None);
        Assert.Equal(8, attempts.Count);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Contacts_outside_their_calling_window_are_not_dialled_until_it_opens(string dialect)
    {
        await using var rig = await CampaignTestRig.CreateAsync(dialect);
        var mondays = new[] { new CallingWindow(DayOfWeek.Monday, new TimeOnly(9, 0), new TimeOnly(17, 0)) };
        var grain = await rig.StartAsync(rig.Spec(60, 5, windows: mondays),
        [
            new CampaignContactInput("+33610000001", "Paris", "Europe/Paris", new Dictionary<string, string>()),
            new CampaignContactInput("+12125550100", "New York", "America/New_York", new Dictionary<string, string>()),
        ]);

        // 08:00 UTC on Monday: 09:00 in Paris (open), 03:00 in New York.
        await grain.TickAsync("silo-a", CancellationToken.None);
        Assert.Equal(["+33610000001"], rig.Dialer.Launches.Select(l => l.Dial.To));

        rig.Time.Advance(new TimeSpan(5, 59, 0)); // 13:59 UTC, 08:59 in New York
        await grain.TickAsync("silo-a", CancellationToken.None);
        Assert.Single(rig.Dialer.Launches);

        rig.Time.Advance(TimeSpan.FromMinutes(1));
        await grain.TickAsync("silo-a", CancellationToken.None);
        Assert.Equal(["+33610000001", "+12125550100"], rig.Dialer.Launches.Select(l => l.Dial.To));
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 14, 0, 0, TimeSpan.Zero), rig.Dialer.Launches.Last().At);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Inbound_reserve_of_a_quarter_stops_launching_at_75_percent_of_capacity(string dialect)
    {
        await using var rig = await CampaignTestRig.CreateAsync(dialect, workers: 4, inboundReserve: 0.25, reserve: true);
        var grain = await rig.StartAsync(rig.Spec(120, 10), CampaignTestRig.Contacts(10));

        for (var i = 0; i < 5; i++)
        {
            await grain.TickAsync("silo-a", CancellationToken.None);
            rig.Time.Advance(Tick);
        }

        Assert.Equal(3, rig.Dialer.Launches.Count);
        var snapshot = await rig.Ctx.Grains.GetGrain<ICapacityGrain>("default").GetSnapshotAsync(CancellationToken.None);
        Assert.Equal(1, snapshot.Idle);
        var inbound = await rig.Ctx.Grains.GetGrain<ICapacityGrain>("default").ReserveAsync(new ReservationRequest(rig.TenantId, "inbound-1", CallDirection.Inbound), CancellationToken.None);
        Assert.True(inbound.Granted);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Stale_lease_holder_cannot_launch_after_another_holder_took_over(string dialect)
    {
        await using var rig = await CampaignTestRig.CreateAsync(dialect, leaseTtlMs: 500);
        var grain = await rig.StartAsync(rig.Spec(60, 5), CampaignTestRig.Contacts(5));
        var staleEpoch = await grain.AcquireLeaseAsync("silo-a", CancellationToken.None);
        Assert.Null(await grain.AcquireLeaseAsync("silo-b", CancellationToken.None));

        await Task.Delay(700);
        var epoch = await grain.AcquireLeaseAsync("silo-b", CancellationToken.None);
        Assert.Equal(staleEpoch + 1, epoch);

        Assert.Equal(0, await grain.LaunchAsync("silo-a", staleEpoch!.Value, CancellationToken.None));
        Assert.Empty(rig.Dialer.Launches);
        Assert.Equal(2, await grain.LaunchAsync("silo-b", epoch!.Value, CancellationToken.None)); // 60 a minute: two per 2 s tick
        Assert.All(rig.Dialer.Launches, l => Assert.Equal(epoch, l.Dial.Epoch));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task A_holder_dying_after_placing_a_call_but_before_recording_it_leaves_that_call_to_the_next_holder_and_no_redial(string dialect)
    {
        await using var rig = await CampaignTestRig.CreateAsync(dialect, leaseTtlMs: 500, orphanAfterMs: 1_000);
        var grain = await rig.StartAsync(rig.Spec(60, 5), CampaignTestRig.Contacts(4));
        var epoch = await grain.AcquireLeaseAsync("silo-a", CancellationToken.None);

        // silo-a's tick dies right after its first call went out: nothing after the dial runs.
        rig.Dialer.AfterDial = _ => throw new OperationCanceledException("silo-a died");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => grain.LaunchAsync("silo-a", epoch!.Value, CancellationToken.None));
        rig.Dialer.AfterDial = null;
        var first = Assert.Single(rig.Dialer.Launches);

        // Past the lease and the orphan age, silo-b takes over: the placed call is found under the attempt's fixed id,
        // so the attempt stays open until that call ends, and the contact is not dialled again.
        await Task.Delay(1_200);
        await RunToCompletionAsync(rig, grain, TimeSpan.FromSeconds(4), _ => EndReasons.BotHangup, holder: "silo-b");

        Assert.Equal(4, rig.Dialer.Launches.Select(l => l.Dial.ContactId).Distinct().Count());
        Assert.Single(rig.Dialer.Launches, l => l.Dial.ContactId == first.Dial.ContactId);
        var attempt = Assert.Single(await grain.GetAttemptsAsync(rig.TenantId, first.Dial.ContactId, CancellationToken.None));
        Assert.Equal((first.CallId, epoch!.Value, AttemptOutcomes.Answered), (attempt.CallId, attempt.Epoch, attempt.Outcome));
        Assert.Equal(4, (await grain.GetProgressAsync(rig.TenantId, CancellationToken.None)).Contacts[ContactStates.Completed]);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Do_not_call_numbers_are_never_dialled(string dialect)
    {
        await using var rig = await CampaignTestRig.CreateAsync(dialect);
        var contacts = CampaignTestRig.Contacts(3);
        await rig.Campaigns.AddDoNotCallAsync(rig.TenantId, [contacts[1].Phone], CancellationToken.None);
        var grain = await rig.StartAsync(rig.Spec(60, 5), contacts);

        await RunToCompletionAsync(rig, grain, TimeSpan.FromSeconds(2), _ => EndReasons.BotHangup);

        Assert.DoesNotContain(rig.Dialer.Launches, l => l.Dial.To == contacts[1].Phone);
        var progress = await grain.GetProgressAsync(rig.TenantId, CancellationToken.None);
        Assert.Equal((2, 1), (progress.Contacts[ContactStates.Completed], progress.Contacts[ContactStates.DoNotCall]));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Contact_variables_and_name_reach_the_dial(string dialect)
    {
        await using var rig = await CampaignTestRig.CreateAsync(dialect);
        var grain = await rig.StartAsync(rig.Spec(60, 5), CampaignTestRig.Contacts(1));
        await grain.TickAsync("silo-a", CancellationToken.None);
        var dial = Assert.Single(rig.Dialer.Launches).Dial;
        Assert.Equal(("Contact 0", "0"), (dial.Variables["name"], dial.Variables["i"]));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Import_merges_a_phone_already_in_the_campaign_and_other_tenants_do_not_see_it(string dialect)
    {
        await using var rig = await CampaignTestRig.CreateAsync(dialect, workers: 0);
        var grain = rig.Campaigns.Create(Ids.New("cmp"));
        await grain.CreateAsync(rig.TenantId, rig.Spec(), CancellationToken.None);
        Assert.Equal(new ContactImportResult(3, 0), await grain.ImportContactsAsync(rig.TenantId, CampaignTestRig.Contacts(3), CancellationToken.None));
        Assert.Equal(new ContactImportResult(1, 2), await grain.ImportContactsAsync(rig.TenantId, CampaignTestRig.Contacts(3).Skip(1).Append(CampaignTestRig.Contacts(4)[3]).ToList(), CancellationToken.None));
        Assert.Equal(4, (await grain.GetContactsAsync(rig.TenantId, 0, 10, CancellationToken.None)).Count);

        var other = await rig.Ctx.CreateTenantAsync();
        await Assert.ThrowsAsync<NotFoundException>(() => grain.GetAsync(other, CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => grain.ImportContactsAsync(other, CampaignTestRig.Contacts(1), CancellationToken.None));
        Assert.Empty(await rig.Campaigns.ListAsync(other, 10, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Paused_campaign_launches_nothing_and_resumes(string dialect)
    {
        await using var rig = await CampaignTestRig.CreateAsync(dialect);
        var grain = await rig.StartAsync(rig.Spec(60, 5), CampaignTestRig.Contacts(3));
        await grain.ChangeStatusAsync(rig.TenantId, CampaignStatus.Paused, CancellationToken.None);
        await grain.TickAsync("silo-a", CancellationToken.None);
        Assert.Empty(rig.Dialer.Launches);
        await Assert.ThrowsAsync<ConflictException>(() => grain.ChangeStatusAsync(rig.TenantId, CampaignStatus.Paused, CancellationToken.None));
        await grain.ChangeStatusAsync(rig.TenantId, CampaignStatus.Running, CancellationToken.None);
        await grain.TickAsync("silo-a", CancellationToken.None);
        Assert.Equal(2, rig.Dialer.Launches.Count);
    }
}
