using Dapper;
using Vox.Testing;

namespace Vox.Grains.Tests.Store;

public sealed class GrainStoreTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Migrate_twice_applies_each_migration_once(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        await ctx.Store.MigrateAsync(CancellationToken.None);
        Assert.Equal(Vox.Grains.Store.MigrationScript.Load(ctx.Store.Dialect).Count, await ctx.CountAsync("schema_migrations"));
        Assert.Equal(0, await ctx.CountAsync("workers"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Now_token_reads_the_database_clock_in_epoch_milliseconds(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        var now = await ctx.Store.ReadAsync((c, ct) => c.ExecuteScalarAsync<long>(ctx.Store.Sql("SELECT {now}")), CancellationToken.None);
        Assert.InRange(now - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), -5_000, 5_000);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Write_that_throws_rolls_back(string dialect)
    {
        await using var ctx = await GrainTestContext.CreateAsync(dialect);
        await Assert.ThrowsAsync<InvalidOperationException>(() => ctx.Store.WriteAsync<int>(async (c, t, ct) =>
        {
            await c.ExecuteAsync(ctx.Store.Sql("INSERT INTO tenants (id, name, created_at) VALUES ('t1', 'x', {now})"), transaction: t);
            throw new InvalidOperationException("boom");
        }, CancellationToken.None));
        Assert.Equal(0, await ctx.CountAsync("tenants"));
    }

    [Fact]
    public async Task Concurrent_migrations_on_one_sqlite_file_from_two_stores_both_succeed()
    {
        var options = TestDatabases.NewStore("sqlite");
        var a = new Vox.Grains.Store.SqliteGrainStore(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<Vox.Grains.Store.SqliteGrainStore>.Instance);
        var b = new Vox.Grains.Store.SqliteGrainStore(options, Microsoft.Extensions.Logging.Abstractions.NullLogger<Vox.Grains.Store.SqliteGrainStore>.Instance);
        await Task.WhenAll(a.MigrateAsync(CancellationToken.None), b.MigrateAsync(CancellationToken.None));
        var count = await a.ReadAsync((c, ct) => c.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_migrations"), CancellationToken.None);
        Assert.Equal(Vox.Grains.Store.MigrationScript.Load(Vox.Grains.Store.StoreDialect.Sqlite).Count, count);
        var mode = await a.ReadAsync((c, ct) => c.ExecuteScalarAsync<string>("PRAGMA journal_mode"), CancellationToken.None);
        Assert.Equal("wal", mode);
    }
}
