using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Grains.Dashboard;
using Vox.Grains.Store;
using Vox.Grains.Tenants;
using Vox.Grains.Webhooks;
using Vox.Testing;

namespace Vox.Dashboard.Tests;

/// <summary>The dashboard's store queries on both dialects (no browser): scoping, live filter, volume, deliveries, foreign tables.</summary>
public sealed class DashboardReadModelTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Calls_are_scoped_to_the_tenant_filtered_live_and_paged(string dialect)
    {
        await using var ctx = await StoreContext.CreateAsync(dialect);
        for (var i = 0; i < 5; i++)
        {
            await ctx.CallAsync($"call_a{i}", ctx.A.Id, "bot_a", end: i % 2 == 0);
        }

        await ctx.CallAsync("call_b0", ctx.B.Id, "bot_b", end: false);

        var all = await ctx.Reads.ListCallsAsync(new DashboardCallQuery { TenantId = ctx.A.Id, Limit = 3 }, CancellationToken.None);
        Assert.Equal(3, all.Items.Count);
        Assert.All(all.Items, c => Assert.Equal(ctx.A.Id, c.TenantId));
        var rest = await ctx.Reads.ListCallsAsync(new DashboardCallQuery { TenantId = ctx.A.Id, Limit = 3, Cursor = all.NextCursor }, CancellationToken.None);
        Assert.Equal(2, rest.Items.Count);
        Assert.Null(rest.NextCursor);
        Assert.Empty(all.Items.Select(c => c.Id).Intersect(rest.Items.Select(c => c.Id)));

        var live = await ctx.Reads.ListCallsAsync(new DashboardCallQuery { TenantId = ctx.A.Id, LiveOnly = true }, CancellationToken.None);
        Assert.Equal(["call_a1", "call_a3"], live.Items.Select(c => c.Id).Order());
        var everyTenant = await ctx.Reads.ListCallsAsync(new DashboardCallQuery { LiveOnly = true }, CancellationToken.None);
        Assert.Equal(["call_a1", "call_a3", "call_b0"], everyTenant.Items.Select(c => c.Id).Order());
        var byNumber = await ctx.Reads.ListCallsAsync(new DashboardCallQuery { TenantId = ctx.B.Id, Number = "+14155550100", State = CallState.Queued }, CancellationToken.None);
        Assert.Equal("call_b0", Assert.Single(byNumber.Items).Id);

        var volume = await ctx.Reads.CallsPerMinuteAsync(ctx.A.Id, DateTimeOffset.UtcNow.AddMinutes(-5), CancellationToken.None);
        Assert.Equal(5, volume.Sum(v => v.Inbound + v.Outbound));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Call_deliveries_are_those_of_the_call_and_tenant(string dialect)
    {
        await using var ctx = await StoreContext.CreateAsync(dialect);
        await new WebhookCatalog(ctx.Store, new Vox.Grains.Secrets.SecretCipher(new Vox.Grains.Secrets.SecretsOptions())).CreateAsync(ctx.A.Id, new WebhookEndpointInput { Url = "https://hooks.example.com/vox", EventTypes = ["*"] }, CancellationToken.None);
        await ctx.CallAsync("call_a0", ctx.A.Id, "bot_a", end: true);
        await ctx.CallAsync("call_a1", ctx.A.Id, "bot_a", end: false);

        var deliveries = await ctx.Reads.CallDeliveriesAsync(ctx.A.Id, "call_a0", CancellationToken.None);
        Assert.Equal([WebhookEventTypes.CallStarted, WebhookEventTypes.CallCompleted], deliveries.Select(d => d.EventType));
        Assert.Single(await ctx.Reads.CallDeliveriesAsync(ctx.A.Id, "call_a1", CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => ctx.Reads.CallDeliveriesAsync(ctx.B.Id, "call_a0", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Campaigns_table_is_scoped_by_tenant_and_a_lease_table_without_tenant_is_for_admins_only(string dialect)
    {
        await using var ctx = await StoreContext.CreateAsync(dialect);
        Assert.Empty((await ctx.Reads.ReadTableAsync("campaigns", ctx.A.Id, 10, CancellationToken.None))!.Rows);
        Assert.Null(await ctx.Reads.ReadTableAsync("campaign_leases", ctx.A.Id, 10, CancellationToken.None));
        await ctx.Store.StatementAsync((c, ct) => c.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE campaign_leases (campaign_id TEXT PRIMARY KEY, holder TEXT NOT NULL, epoch BIGINT NOT NULL)", cancellationToken: ct)), CancellationToken.None);
        await ctx.Store.StatementAsync((c, ct) => c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO campaigns (id, tenant_id, name, bot_id, calls_per_minute, max_concurrent, retry_policy, calling_windows, status, created_at, updated_at) " +
            "VALUES ('cmp_a', @A, 'Recall', 'bot_a', 30, 5, '{}', '[]', 'draft', 1, 1), ('cmp_b', @B, 'Renewals', 'bot_b', 30, 5, '{}', '[]', 'draft', 1, 1); " +
            "INSERT INTO campaign_leases (campaign_id, holder, epoch) VALUES ('cmp_a', 'silo_1', 3)", new { A = ctx.A.Id, B = ctx.B.Id }, cancellationToken: ct)), CancellationToken.None);

        var mine = await ctx.Reads.ReadTableAsync("campaigns", ctx.A.Id, 10, CancellationToken.None);
        Assert.Equal(["id", "tenant_id", "name"], mine!.Columns.Take(3));
        Assert.Contains("lease_epoch", mine.Columns);
        Assert.Equal("cmp_a", Assert.Single(mine.Rows)[0]);
        Assert.Equal(2, (await ctx.Reads.ReadTableAsync("campaigns", null, 10, CancellationToken.None))!.Rows.Count);
        // Leases carry no tenant: cluster admins only.
        Assert.Empty((await ctx.Reads.ReadTableAsync("campaign_leases", ctx.A.Id, 10, CancellationToken.None))!.Rows);
        Assert.Equal(["cmp_a", "silo_1", "3"], Assert.Single((await ctx.Reads.ReadTableAsync("campaign_leases", null, 10, CancellationToken.None))!.Rows));
        await Assert.ThrowsAsync<ArgumentException>(() => ctx.Reads.ReadTableAsync("api_keys", null, 10, CancellationToken.None));
    }

    private sealed class StoreContext : IAsyncDisposable
    {
        private StoreContext(IGrainStore store, Tenant a, Tenant b)
        {
            Store = store;
            A = a;
            B = b;
            Reads = new DashboardReadModel(store);
            Grains = new StoreGrainFactory(store, null, NullLoggerFactory.Instance);
        }

        public IGrainStore Store { get; }

        public Tenant A { get; }

        public Tenant B { get; }

        public DashboardReadModel Reads { get; }

        public IGrainFactory Grains { get; }

        public static async Task<StoreContext> CreateAsync(string dialect)
        {
            var (store, _) = await TestDatabases.NewMigratedStoreAsync(dialect);
            var tenants = new TenantDirectory(store, NullLogger<TenantDirectory>.Instance);
            var context = new StoreContext(store, await tenants.CreateTenantAsync("a", null, CancellationToken.None), await tenants.CreateTenantAsync("b", null, CancellationToken.None));
            await context.Grains.GetGrain<IBotGrain>("bot_a").CreateAsync(context.A.Id, new BotDefinition { Name = "A" }, CancellationToken.None);
            await context.Grains.GetGrain<IBotGrain>("bot_b").CreateAsync(context.B.Id, new BotDefinition { Name = "B" }, CancellationToken.None);
            return context;
        }

        public async Task CallAsync(string id, string tenantId, string botId, bool end)
        {
            var call = Grains.GetGrain<ICallGrain>(id);
            await call.StartAsync(new CallStart(tenantId, botId, CallDirection.Inbound, "vox", "+14155550100", "+14155550199"), CancellationToken.None);
            if (end)
            {
                await call.CompleteAsync(new CallResult($"res_{id}", EndReasons.CallerHangup, []), CancellationToken.None);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }
}
