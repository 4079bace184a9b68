using Dapper;
using Vox.Grains.Calls;
using Vox.Testing;

namespace Vox.Grains.Tests.Campaigns;

public sealed class CampaignLeaseRaceTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Holders_racing_for_the_lease_never_launch_an_attempt_twice_nor_exceed_max_concurrent(string dialect)
    {
        await using var rig = await CampaignTestRig.CreateAsync(dialect, leaseTtlMs: 500);
        var grain = await rig.StartAsync(rig.Spec(600, 4), CampaignTestRig.Contacts(60));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var finished = false;
        var staleLaunches = new System.Collections.Concurrent.ConcurrentQueue<(long Stamped, long Current)>();
        rig.Dialer.BeforeDial = async dial =>
        {
            var current = await rig.Ctx.Store.ReadAsync((c, ct) => c.ExecuteScalarAsync<long>("SELECT lease_epoch FROM campaigns WHERE id = @Id", new { Id = grain.Key }), CancellationToken.None);
            if (current != dial.Epoch)
            {
                staleLaunches.Enqueue((dial.Epoch, current));
            }
        };

        // Four "silos" drive the same campaign; each sometimes stalls between taking the lease and launching, past the
        // lease TTL, so the lease changes hands while the stalled one still holds its old epoch.
        var holders = Enumerable.Range(0, 4).Select(h => Task.Run(async () =>
        {
            var random = new Random(h);
            var campaign = rig.Campaigns.Create(grain.Key);
            while (!stop.IsCancellationRequested && !Volatile.Read(ref finished))
            {
                var holder = $"silo-{h}";
                var epoch = await campaign.AcquireLeaseAsync(holder, CancellationToken.None);
                if (epoch is null)
                {
                    var tick = await campaign.TickAsync(holder, CancellationToken.None);
                    Volatile.Write(ref finished, Volatile.Read(ref finished) || tick.Finished);
                    await Task.Delay(random.Next(5, 40));
                    continue;
                }

                // A pause inside the tick (GC, a slow disk) longer than the lease: another holder takes over meanwhile.
                if (random.Next(6) == 0)
                {
                    await Task.Delay(700);
                }

                await campaign.SettleAsync(holder, epoch.Value, CancellationToken.None);
                await campaign.LaunchAsync(holder, epoch.Value, CancellationToken.None);
                var result = await campaign.TickAsync(holder, CancellationToken.None);
                Volatile.Write(ref finished, Volatile.Read(ref finished) || result.Finished);
                await Task.Delay(random.Next(5, 40));
            }
        })).ToList();
        var clock = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && !Volatile.Read(ref finished))
            {
                // Steps well under the 500 ms lease, so only the deliberate 700 ms stalls (not a busy host's scheduling
                // delay between a claim and its dial) let a lease lapse under a holder.
                rig.Time.Advance(TimeSpan.FromMilliseconds(250));
                await rig.Dialer.EndDueAsync(TimeSpan.FromSeconds(3), _ => EndReasons.CallerHangup);
                await Task.Delay(30);
            }
        });
        await Task.WhenAll([.. holders, clock]);

        var launches = rig.Dialer.Launches.ToList();
        Assert.Empty(staleLaunches);
        Assert.Equal(launches.Count, launches.Select(l => (l.Dial.ContactId, l.Dial.AttemptNo)).Distinct().Count());
        Assert.Equal(launches.Count, launches.Select(l => l.Dial.ContactId).Distinct().Count());
        Assert.InRange(rig.Dialer.MaxActive, 1, 4);
        Assert.True(launches.Select(l => l.Dial.Epoch).Distinct().Count() > 1, "the lease never changed hands");
        Assert.True(finished, $"only {launches.Count} of 60 contacts launched");
        Assert.Equal(60, launches.Count);
    }
}
