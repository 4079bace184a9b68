using System.Text;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Vox.Grains.Tenants;
using Vox.Testing;

namespace Vox.Grains.Tests.Tenants;

public sealed class TenantDirectoryTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Bootstrap_creates_one_admin_key_only_on_the_first_start(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var directory = new TenantDirectory(ctx.Store, NullLogger<TenantDirectory>.Instance);
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => directory.EnsureBootstrapAsync(CancellationToken.None)));
        var created = Assert.Single(results, r => r is not null)!;
        Assert.True(created.Info.IsAdmin);
        var principal = await directory.AuthenticateAsync(created.Key, CancellationToken.None);
        Assert.Equal((created.Info.TenantId, true), (principal!.TenantId, principal.IsAdmin));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Keys_are_stored_hashed_and_only_the_prefix_is_listed(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var directory = new TenantDirectory(ctx.Store, NullLogger<TenantDirectory>.Instance);
        var tenant = await directory.CreateTenantAsync("Acme", null, CancellationToken.None);
        var key = await directory.CreateApiKeyAsync(tenant.Id, "ci", false, CancellationToken.None);
        Assert.StartsWith(key.Info.Prefix + "_", key.Key);
        var stored = await ctx.Store.ReadAsync((c, ct) => c.QueryAsync<(string Prefix, byte[] KeyHash, string Name)>("SELECT prefix, key_hash, name FROM api_keys"), CancellationToken.None);
        var row = Assert.Single(stored);
        Assert.DoesNotContain(key.Key, row.Prefix + Encoding.UTF8.GetString(row.KeyHash) + row.Name);
        Assert.Equal(32, row.KeyHash.Length);
        Assert.Equal(key.Info.Prefix, Assert.Single(await directory.ListApiKeysAsync(tenant.Id, CancellationToken.None)).Prefix);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Wrong_malformed_or_revoked_keys_do_not_authenticate(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var directory = new TenantDirectory(ctx.Store, NullLogger<TenantDirectory>.Instance);
        var tenant = await directory.CreateTenantAsync("Acme", null, CancellationToken.None);
        var key = await directory.CreateApiKeyAsync(tenant.Id, "ci", false, CancellationToken.None);
        var tampered = key.Key[..^1] + (key.Key[^1] == 'A' ? 'B' : 'A');
        Assert.Null(await directory.AuthenticateAsync(tampered, CancellationToken.None));
        Assert.Null(await directory.AuthenticateAsync("not-a-key", CancellationToken.None));
        Assert.NotNull(await directory.AuthenticateAsync(key.Key, CancellationToken.None));
        await directory.RevokeApiKeyAsync(tenant.Id, key.Info.Id, CancellationToken.None);
        Assert.Null(await directory.AuthenticateAsync(key.Key, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Revoking_another_tenants_key_is_not_found(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var directory = new TenantDirectory(ctx.Store, NullLogger<TenantDirectory>.Instance);
        var a = await directory.CreateTenantAsync("A", null, CancellationToken.None);
        var b = await directory.CreateTenantAsync("B", null, CancellationToken.None);
        var key = await directory.CreateApiKeyAsync(a.Id, "k", false, CancellationToken.None);
        await Assert.ThrowsAsync<NotFoundException>(() => directory.RevokeApiKeyAsync(b.Id, key.Info.Id, CancellationToken.None));
        Assert.NotNull(await directory.AuthenticateAsync(key.Key, CancellationToken.None));
    }
}
