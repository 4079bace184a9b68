using Vox.Grains.Bots;
using Vox.Testing;

namespace Vox.Grains.Tests.Bots;

public sealed class BotGrainTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Update_bumps_the_version_and_keeps_the_old_definition(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var tenant = await ctx.CreateTenantAsync();
        var bot = ctx.Grains.GetGrain<IBotGrain>("bot_a");
        var created = await bot.CreateAsync(tenant, new BotDefinition { Name = "Receptionist", FirstMessage = "Hello" }, CancellationToken.None);
        var updated = await bot.UpdateAsync(tenant, created.Definition with { FirstMessage = "Hi there" }, expectedVersion: 1, CancellationToken.None);
        Assert.Equal((1, 2), (created.Version, updated.Version));
        Assert.Equal("Hi there", (await bot.GetAsync(tenant, CancellationToken.None)).Definition.FirstMessage);
        Assert.Equal(2, await ctx.CountAsync("bot_versions", "bot_id = 'bot_a'"));
        var runtime = await bot.GetRuntimeConfigAsync(CancellationToken.None);
        Assert.Equal((2, "Hi there", tenant), (runtime.Version, runtime.Definition.FirstMessage, runtime.TenantId));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Update_with_a_stale_version_is_a_conflict_and_changes_nothing(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var tenant = await ctx.CreateTenantAsync();
        var bot = ctx.Grains.GetGrain<IBotGrain>("bot_a");
        await bot.CreateAsync(tenant, new BotDefinition { Name = "A" }, CancellationToken.None);
        await bot.UpdateAsync(tenant, new BotDefinition { Name = "B" }, 1, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<ConflictException>(() => bot.UpdateAsync(tenant, new BotDefinition { Name = "C" }, 1, CancellationToken.None));
        Assert.Equal("version_mismatch", ex.Code);
        Assert.Equal("B", (await bot.GetAsync(tenant, CancellationToken.None)).Definition.Name);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Another_tenant_sees_the_bot_as_not_found(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var owner = await ctx.CreateTenantAsync();
        var stranger = await ctx.CreateTenantAsync();
        var bot = ctx.Grains.GetGrain<IBotGrain>("bot_a");
        await bot.CreateAsync(owner, new BotDefinition { Name = "A" }, CancellationToken.None);
        await Assert.ThrowsAsync<NotFoundException>(() => bot.GetAsync(stranger, CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => bot.UpdateAsync(stranger, new BotDefinition { Name = "X" }, null, CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => bot.DeleteAsync(stranger, CancellationToken.None));
        Assert.Equal("A", (await bot.GetAsync(owner, CancellationToken.None)).Definition.Name);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Deleted_bot_has_no_runtime_config_and_is_not_listed(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var tenant = await ctx.CreateTenantAsync();
        var bot = ctx.Grains.GetGrain<IBotGrain>("bot_a");
        await bot.CreateAsync(tenant, new BotDefinition { Name = "A" }, CancellationToken.None);
        await bot.DeleteAsync(tenant, CancellationToken.None);
        await Assert.ThrowsAsync<NotFoundException>(() => bot.GetRuntimeConfigAsync(CancellationToken.None));
        var page = await new BotCatalog(ctx.Store).ListAsync(tenant, 10, null, CancellationToken.None);
        Assert.Empty(page.Items);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Creating_an_existing_id_is_a_conflict(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var tenant = await ctx.CreateTenantAsync();
        var bot = ctx.Grains.GetGrain<IBotGrain>("bot_a");
        await bot.CreateAsync(tenant, new BotDefinition { Name = "A" }, CancellationToken.None);
        await Assert.ThrowsAsync<ConflictException>(() => bot.CreateAsync(tenant, new BotDefinition { Name = "A" }, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Listing_pages_newest_first_with_a_cursor_and_no_repeats(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var tenant = await ctx.CreateTenantAsync();
        for (var i = 0; i < 5; i++)
        {
            await ctx.Grains.GetGrain<IBotGrain>(Ids.New("bot")).CreateAsync(tenant, new BotDefinition { Name = $"b{i}" }, CancellationToken.None);
        }

        var catalog = new BotCatalog(ctx.Store);
        var first = await catalog.ListAsync(tenant, 2, null, CancellationToken.None);
        var second = await catalog.ListAsync(tenant, 2, first.NextCursor, CancellationToken.None);
        var third = await catalog.ListAsync(tenant, 2, second.NextCursor, CancellationToken.None);
        var all = first.Items.Concat(second.Items).Concat(third.Items).ToList();
        Assert.Equal(["b0", "b1", "b2", "b3", "b4"], all.Select(b => b.Definition.Name).Order());
        Assert.Equal(all.Select(b => b.CreatedAt).OrderDescending(), all.Select(b => b.CreatedAt));
        Assert.Null(third.NextCursor);
    }
}
