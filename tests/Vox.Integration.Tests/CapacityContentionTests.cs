using Dapper;
using Vox.Grains.Capacity;

namespace Vox.Integration.Tests;

/// <summary>Many silo processes reserving slots from one store at once: no slot is ever handed out twice.</summary>
public sealed class CapacityContentionTests
{
    private const int Workers = 20;
    private const int Requests = 500;

    [Theory]
    [InlineData("postgres", 3)]
    [InlineData("sqlite", 2)]
    public async Task Concurrent_reservations_across_silos_grant_exactly_the_registered_slots(string dialect, int silos)
    {
        await using var cluster = await TestCluster.StartAsync(dialect, silos, new Dictionary<string, string> { ["Fleet:InboundReserveRatio"] = "0" });
        var tenant = await cluster.Tenants.CreateTenantAsync("load", null, CancellationToken.None);
        await RegisterWorkersAsync(cluster, "default");

        var results = await ReserveConcurrentlyAsync(cluster, "default", tenant.Id, silos);

        var granted = results.Where(r => r.Granted).ToList();
        Assert.Equal(Workers, granted.Count);
        Assert.Equal(Workers, granted.Select(r => r.Worker!.WorkerId).Distinct().Count());
        Assert.All(results.Where(r => !r.Granted), r =>
        {
            Assert.Equal(ReservationOutcome.NoCapacity, r.Outcome);
            Assert.Contains("No capacity", r.Message);
        });
        var held = (await cluster.Store.ReadAsync((c, ct) => c.QueryAsync<(string WorkerId, string CallId)>(
            "SELECT worker_id, call_id FROM workers WHERE pool = 'default' AND call_id IS NOT NULL"), CancellationToken.None)).ToList();
        Assert.Equal(Workers, held.Select(h => h.CallId).Distinct().Count());
        Assert.Equal(Workers, held.Select(h => h.WorkerId).Distinct().Count());
    }

    [Theory]
    [InlineData("postgres", 3)]
    [InlineData("sqlite", 2)]
    public async Task Concurrent_reservations_across_silos_respect_the_tenant_cap(string dialect, int silos)
    {
        await using var cluster = await TestCluster.StartAsync(dialect, silos, new Dictionary<string, string> { ["Fleet:InboundReserveRatio"] = "0" });
        var tenant = await cluster.Tenants.CreateTenantAsync("capped", 5, CancellationToken.None);
        await RegisterWorkersAsync(cluster, "capped");

        var results = await ReserveConcurrentlyAsync(cluster, "capped", tenant.Id, silos);

        Assert.Equal(5, results.Count(r => r.Granted));
        Assert.All(results.Where(r => !r.Granted), r => Assert.Equal(ReservationOutcome.TenantLimit, r.Outcome));
        var active = await cluster.Store.ReadAsync((c, ct) => c.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM workers WHERE tenant_id = @T", new { T = tenant.Id }), CancellationToken.None);
        Assert.Equal(5, active);
    }

    private static async Task RegisterWorkersAsync(TestCluster cluster, string pool)
    {
        var capacity = cluster.Grains(0).GetGrain<ICapacityGrain>(pool);
        for (var i = 0; i < Workers; i++)
        {
            await capacity.RegisterWorkerAsync(new WorkerRegistration($"{pool}-w{i:00}", "loadhost", $"ws://127.0.0.1:{10_000 + i}/media", "127.0.0.1"), CancellationToken.None);
        }
    }

    private static async Task<ReservationResult[]> ReserveConcurrentlyAsync(TestCluster cluster, string pool, string tenantId, int silos)
    {
        var grains = Enumerable.Range(0, silos).Select(i => cluster.Grains(i).GetGrain<ICapacityGrain>(pool)).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, Requests).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await grains[i % silos].ReserveAsync(new ReservationRequest(tenantId, $"call-{i:000}", CallDirection.Inbound), CancellationToken.None);
        })).ToList();
        start.SetResult();
        return await Task.WhenAll(tasks);
    }
}
