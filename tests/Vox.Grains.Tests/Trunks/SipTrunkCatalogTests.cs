using System.Security.Cryptography;
using Dapper;
using Vox.Grains.Secrets;
using Vox.Grains.Trunks;
using Vox.Testing;

namespace Vox.Grains.Tests.Trunks;

/// <summary>Tenants' stored SIP trunks on both stores: round trip, names unique per tenant, tenants apart, the password sealed.</summary>
public sealed class SipTrunkCatalogTests
{
    private static readonly SecretCipher Cipher = new(new SecretsOptions { Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) });

    private static SipTrunkInput Input(string name = "carrier", string? password = "s3cret-Digest!") => new()
    {
        Name = name,
        Address = "sip.carrier.example:5080",
        Transport = "TCP",
        AllowedSources = ["203.0.113.0/24", " 198.51.100.7 "],
        Username = "acme",
        Password = password,
    };

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Create_find_update_list_and_delete_with_the_password_sealed(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var tenant = await ctx.CreateTenantAsync();
        var catalog = new SipTrunkCatalog(ctx.Store, Cipher);

        var created = await catalog.CreateAsync(tenant, Input(), CancellationToken.None);
        Assert.StartsWith("trk_", created.Id, StringComparison.Ordinal);
        Assert.Equal(("carrier", "tcp", true), (created.Name, created.Transport, created.HasPassword));
        Assert.Equal(["203.0.113.0/24", "198.51.100.7"], created.AllowedSources);

        // Stored encrypted: the column never holds the password, and only FindAsync opens it.
        var sealedBytes = await ctx.Store.ReadAsync((c, ct) => c.QuerySingleAsync<byte[]>("SELECT password_sealed FROM sip_trunks"), CancellationToken.None);
        Assert.DoesNotContain("s3cret-Digest!", System.Text.Encoding.UTF8.GetString(sealedBytes), StringComparison.Ordinal);
        Assert.Equal("s3cret-Digest!", (await catalog.FindAsync(tenant, "carrier", true, CancellationToken.None))!.Password);
        Assert.Equal(created.Id, (await catalog.FindAsync(tenant, null, true, CancellationToken.None))!.Trunk.Id);
        // Without the password asked for it stays sealed: a silo lacking the key can still check a trunk's sources.
        var sealedFind = await new SipTrunkCatalog(ctx.Store, new SecretCipher(new SecretsOptions())).FindAsync(tenant, "carrier", false, CancellationToken.None);
        Assert.Equal((true, (string?)null), (sealedFind!.Trunk.HasPassword, sealedFind.Password));

        // A replace without a password keeps it; "" removes it.
        var kept = await catalog.UpdateAsync(tenant, created.Id, Input() with { Address = "10.0.0.5", Password = null }, CancellationToken.None);
        Assert.Equal(("10.0.0.5", true), (kept.Address, kept.HasPassword));
        Assert.Equal("s3cret-Digest!", (await catalog.FindAsync(tenant, "carrier", true, CancellationToken.None))!.Password);
        var removed = await catalog.UpdateAsync(tenant, created.Id, Input() with { Password = "" }, CancellationToken.None);
        Assert.False(removed.HasPassword);
        Assert.Null((await catalog.FindAsync(tenant, "carrier", true, CancellationToken.None))!.Password);
        await catalog.UpdateAsync(tenant, created.Id, Input(), CancellationToken.None);
        var noUser = await catalog.UpdateAsync(tenant, created.Id, Input() with { Username = null, Password = null }, CancellationToken.None);
        Assert.Equal((null, false), (noUser.Username, noUser.HasPassword));

        var second = await catalog.CreateAsync(tenant, Input("backup", password: null) with { Username = null }, CancellationToken.None);
        Assert.Equal([second.Id, created.Id], (await catalog.ListAsync(tenant, 10, null, CancellationToken.None)).Items.Select(t => t.Id));
        await catalog.DeleteAsync(tenant, created.Id, CancellationToken.None);
        Assert.Null(await catalog.FindAsync(tenant, "carrier", true, CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => catalog.GetAsync(tenant, created.Id, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Names_are_unique_in_a_tenant_and_tenants_do_not_see_each_others_trunks(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var (a, b) = (await ctx.CreateTenantAsync(), await ctx.CreateTenantAsync());
        var catalog = new SipTrunkCatalog(ctx.Store, Cipher);
        var trunk = await catalog.CreateAsync(a, Input(), CancellationToken.None);

        var taken = await Assert.ThrowsAsync<ConflictException>(() => catalog.CreateAsync(a, Input(), CancellationToken.None));
        Assert.Equal(("trunk_name_taken", "name"), (taken.Code, taken.Field));
        var other = await catalog.CreateAsync(b, Input(), CancellationToken.None);
        var two = await catalog.CreateAsync(b, Input("two"), CancellationToken.None);
        await Assert.ThrowsAsync<ConflictException>(() => catalog.UpdateAsync(b, two.Id, Input(), CancellationToken.None));

        await Assert.ThrowsAsync<NotFoundException>(() => catalog.GetAsync(b, trunk.Id, CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => catalog.UpdateAsync(b, trunk.Id, Input(), CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => catalog.DeleteAsync(b, trunk.Id, CancellationToken.None));
        Assert.Equal(other.Id, (await catalog.FindAsync(b, "carrier", true, CancellationToken.None))!.Trunk.Id);
        Assert.Equal(3, await ctx.CountAsync("sip_trunks"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Bad_input_or_a_password_without_a_key_writes_nothing(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var tenant = await ctx.CreateTenantAsync();
        var catalog = new SipTrunkCatalog(ctx.Store, Cipher);

        foreach (var bad in new[] { Input() with { Name = "no spaces" }, Input() with { Address = "host:99999" }, Input() with { Transport = "sctp" },
            Input() with { AllowedSources = ["not-an-ip"] }, Input() with { Username = null } })
        {
            await Assert.ThrowsAsync<VoxException>(() => catalog.CreateAsync(tenant, bad, CancellationToken.None));
        }

        var keyless = new SipTrunkCatalog(ctx.Store, new SecretCipher(new SecretsOptions()));
        var missing = await Assert.ThrowsAsync<VoxException>(() => keyless.CreateAsync(tenant, Input(), CancellationToken.None));
        Assert.Equal("secrets_key_missing", missing.Code);
        Assert.Equal(0, await ctx.CountAsync("sip_trunks"));
        Assert.False((await keyless.CreateAsync(tenant, Input(password: null), CancellationToken.None)).HasPassword);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task A_trunk_numbers_use_cannot_be_deleted_or_renamed_until_they_move(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var tenant = await ctx.CreateTenantAsync();
        var catalog = new SipTrunkCatalog(ctx.Store, Cipher);
        var numbers = new Vox.Grains.Numbers.PhoneNumberCatalog(ctx.Store);
        var trunk = await catalog.CreateAsync(tenant, Input(), CancellationToken.None);
        var number = await numbers.CreateAsync(tenant, new Vox.Grains.Numbers.PhoneNumberInput { Number = "+14155550123", Trunk = "carrier" }, CancellationToken.None);

        var delete = await Assert.ThrowsAsync<ConflictException>(() => catalog.DeleteAsync(tenant, trunk.Id, CancellationToken.None));
        Assert.Equal("trunk_in_use", delete.Code);
        Assert.Contains("+14155550123", delete.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ConflictException>(() => catalog.UpdateAsync(tenant, trunk.Id, Input("renamed"), CancellationToken.None));
        Assert.Equal("sip.carrier.example:5080", (await catalog.UpdateAsync(tenant, trunk.Id, Input() with { Address = "sip.carrier.example:5080" }, CancellationToken.None)).Address);

        await numbers.UpdateAsync(tenant, number.Id, new Vox.Grains.Numbers.PhoneNumberInput { Number = "+14155550123" }, CancellationToken.None);
        Assert.Equal("renamed", (await catalog.UpdateAsync(tenant, trunk.Id, Input("renamed"), CancellationToken.None)).Name);
        await catalog.DeleteAsync(tenant, trunk.Id, CancellationToken.None);
        Assert.Equal(0, await ctx.CountAsync("sip_trunks"));
    }

    [Theory]
    [InlineData("sip.carrier.example", "sip.carrier.example", 5060)]
    [InlineData("sip.carrier.example:5080", "sip.carrier.example", 5080)]
    [InlineData("203.0.113.9:5061", "203.0.113.9", 5061)]
    [InlineData("[2001:db8::1]:5070", "2001:db8::1", 5070)]
    [InlineData("[2001:db8::1]", "2001:db8::1", 5060)]
    public void Addresses_split_into_host_and_port(string address, string host, int port) =>
        Assert.Equal((host, port), SipTrunkRules.SplitAddress(address));

    [Theory]
    [InlineData("")]
    [InlineData("host:0")]
    [InlineData("host:abc")]
    [InlineData("-bad-.example")]
    [InlineData("[2001:db8::1")]
    [InlineData("[not-v6]:5060")]
    [InlineData("sip:user@host")]
    [InlineData("host name")]
    public void Bad_addresses_do_not_split(string address) => Assert.Null(SipTrunkRules.SplitAddress(address));
}
