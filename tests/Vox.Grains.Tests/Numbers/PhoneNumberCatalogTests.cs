using Vox.Grains.Bots;
using Vox.Grains.Numbers;
using Vox.Testing;

namespace Vox.Grains.Tests.Numbers;

public sealed class PhoneNumberCatalogTests
{
    [Theory]
    [InlineData("+14155550123", true)]
    [InlineData("+442071234567", true)]
    [InlineData("14155550123", false)]
    [InlineData("+0123456789", false)]
    [InlineData("+1415555012345678", false)]
    [InlineData("+1 415 555 0123", false)]
    [InlineData("+123456", false)]
    public void E164_accepts_only_plus_and_7_to_15_digits(string number, bool valid) => Assert.Equal(valid, E164.IsValid(number));

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task A_number_is_unique_across_tenants_and_routes_to_its_bot(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var a = await ctx.CreateTenantAsync();
        var b = await ctx.CreateTenantAsync();
        await ctx.Grains.GetGrain<IBotGrain>("bot_a").CreateAsync(a, new BotDefinition { Name = "A" }, CancellationToken.None);
        var catalog = new PhoneNumberCatalog(ctx.Store);
        await catalog.CreateAsync(a, new PhoneNumberInput { Number = "+14155550123", BotId = "bot_a" }, CancellationToken.None);
        var ex = await Assert.ThrowsAsync<ConflictException>(() => catalog.CreateAsync(b, new PhoneNumberInput { Number = "+14155550123" }, CancellationToken.None));
        Assert.Equal("number", ex.Field);
        Assert.Equal("bot_a", (await catalog.FindByNumberAsync("+14155550123", CancellationToken.None))!.BotId);
        Assert.Null(await catalog.FindByNumberAsync("+14155550999", CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Invalid_number_or_foreign_bot_writes_nothing(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var a = await ctx.CreateTenantAsync();
        var b = await ctx.CreateTenantAsync();
        await ctx.Grains.GetGrain<IBotGrain>("bot_b").CreateAsync(b, new BotDefinition { Name = "B" }, CancellationToken.None);
        var catalog = new PhoneNumberCatalog(ctx.Store);
        await Assert.ThrowsAsync<VoxException>(() => catalog.CreateAsync(a, new PhoneNumberInput { Number = "555-0123" }, CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => catalog.CreateAsync(a, new PhoneNumberInput { Number = "+14155550123", BotId = "bot_b" }, CancellationToken.None));
        Assert.Equal(0, await ctx.CountAsync("phone_numbers"));
    }
}
