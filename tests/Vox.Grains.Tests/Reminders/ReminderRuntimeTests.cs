using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vox.Grains.Cluster;
using Vox.Grains.Reminders;
using Vox.Testing;

namespace Vox.Grains.Tests.Reminders;

public sealed class ReminderRuntimeTests
{
    private sealed class ProbeHandler(int workMs) : IReminderHandler
    {
        private int _running;

        public int MaxConcurrent;
        public int Fired;

        public string GrainType => "probe";

        public async Task ReceiveReminderAsync(string grainKey, string name, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _running);
            InterlockedMax(ref MaxConcurrent, now);
            Interlocked.Increment(ref Fired);
            await Task.Delay(workMs, cancellationToken);
            Interlocked.Decrement(ref _running);
        }

        private static void InterlockedMax(ref int target, int value)
        {
            int seen;
            while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
            {
            }
        }
    }

    private static ReminderRuntime Runtime(GrainTestContext ctx, IReminderHandler handler, int claimTtlMs = 5_000) =>
        new(ctx.Store, [handler], new SiloIdentity(), Options.Create(new ReminderOptions { ClaimTtlMs = claimTtlMs }), TimeProvider.System, NullLogger<ReminderRuntime>.Instance);

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Due_reminder_fires_and_is_rescheduled_one_period_later(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var registry = new ReminderRegistry(ctx.Store);
        await registry.RegisterOrUpdateAsync("probe", "k", "tick", TimeSpan.Zero, TimeSpan.FromSeconds(30), CancellationToken.None);
        var handler = new ProbeHandler(0);
        var runtime = Runtime(ctx, handler);
        Assert.Equal(1, await runtime.RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await runtime.RunOnceAsync(CancellationToken.None));
        var info = Assert.Single(await registry.ListAsync(CancellationToken.None));
        Assert.Equal(1, info.FireCount);
        Assert.InRange((info.NextDueAt - info.LastFiredAt!.Value).TotalSeconds, 25, 31);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Two_silos_polling_together_never_run_one_reminder_at_once(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var registry = new ReminderRegistry(ctx.Store);
        await registry.RegisterOrUpdateAsync("probe", "k", "tick", TimeSpan.Zero, TimeSpan.FromMilliseconds(50), CancellationToken.None);
        var handler = new ProbeHandler(30);
        var a = Runtime(ctx, handler);
        var b = Runtime(ctx, handler);
        var deadline = DateTime.UtcNow.AddSeconds(3);
        await Task.WhenAll(Loop(a), Loop(b));
        Assert.Equal(1, handler.MaxConcurrent);
        Assert.True(handler.Fired >= 5, $"fired {handler.Fired} times");
        var overlapping = await ctx.Store.ReadAsync((c, ct) => c.ExecuteScalarAsync<long>("""
            SELECT count(*) FROM reminder_runs r1 JOIN reminder_runs r2 ON r1.id < r2.id
            WHERE r2.started_at < r1.finished_at AND r1.started_at < r2.finished_at
            """), CancellationToken.None);
        Assert.Equal(0, overlapping);

        async Task Loop(ReminderRuntime runtime)
        {
            while (DateTime.UtcNow < deadline)
            {
                await runtime.RunOnceAsync(CancellationToken.None);
                await Task.Delay(10);
            }
        }
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task A_claim_left_by_a_dead_silo_is_taken_over_after_it_lapses(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var registry = new ReminderRegistry(ctx.Store);
        await registry.RegisterOrUpdateAsync("probe", "k", "tick", TimeSpan.Zero, TimeSpan.FromSeconds(30), CancellationToken.None);
        // The "dead" silo's claim: taken, never completed.
        await ctx.Store.WriteAsync((c, t, ct) => c.ExecuteAsync(ctx.Store.Sql(
            "UPDATE reminders SET claimed_by = 'dead', claim_token = 'x', claim_expires_at = {now} + 800"), transaction: t), CancellationToken.None);
        var handler = new ProbeHandler(0);
        var survivor = Runtime(ctx, handler);
        Assert.Equal(0, await survivor.RunOnceAsync(CancellationToken.None));
        await Task.Delay(1_000);
        Assert.Equal(1, await survivor.RunOnceAsync(CancellationToken.None));
        Assert.Equal(1, handler.Fired);
    }
}
