using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using Vox.Grains;
using Vox.Grains.Capacity;
using Vox.Grains.Internal;

namespace Vox.Integration.Tests;

/// <summary>Many silo processes reserving slots of one pool grain at once: no slot is ever handed out twice.</summary>
public sealed class CapacityContentionTests
{
    private const int Workers = 20;
    private const int Requests = 500;

    [Theory]
    [InlineData("postgres", 3)]
    [InlineData("sqlite", 1)]
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
        // What the pool holds, asked through another silo than the first.
        var held = (await cluster.Grains(silos - 1).GetGrain<ICapacityGrain>("default").GetSnapshotAsync(CancellationToken.None)).Workers
            .Where(w => w.CallId is not null).Select(w => (w.WorkerId, CallId: w.CallId!)).ToList();
        Assert.Equal(Workers, held.Select(h => h.CallId).Distinct().Count());
        Assert.Equal(Workers, held.Select(h => h.WorkerId).Distinct().Count());
    }

    [Theory]
    [InlineData("postgres", 3)]
    [InlineData("sqlite", 1)]
    public async Task Concurrent_reservations_across_silos_respect_the_tenant_cap(string dialect, int silos)
    {
        await using var cluster = await TestCluster.StartAsync(dialect, silos, new Dictionary<string, string> { ["Fleet:InboundReserveRatio"] = "0" });
        var tenant = await cluster.Tenants.CreateTenantAsync("capped", 5, CancellationToken.None);
        await RegisterWorkersAsync(cluster, "capped");

        var results = await ReserveConcurrentlyAsync(cluster, "capped", tenant.Id, silos);

        Assert.Equal(5, results.Count(r => r.Granted));
        Assert.All(results.Where(r => !r.Granted), r => Assert.Equal(ReservationOutcome.TenantLimit, r.Outcome));
        var active = (await cluster.Grains(0).GetGrain<ICapacityGrain>("capped").GetSnapshotAsync(CancellationToken.None)).Workers.Count(w => w.TenantId == tenant.Id);
        Assert.Equal(5, active);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("sqlite")]
    public async Task Reservation_batches_over_the_internal_api_answer_each_request_in_order_and_refuse_bad_batches(string dialect)
    {
        await using var cluster = await TestCluster.StartAsync(dialect, 1, new Dictionary<string, string> { ["Fleet:InboundReserveRatio"] = "0" });
        var tenant = (await cluster.Tenants.CreateTenantAsync("batch", null, CancellationToken.None)).Id;
        await RegisterWorkersAsync(cluster, "default");
        var http = cluster.Http(0);
        var path = InternalApi.ReservationBatches("default");

        // A reservation, one without a call id, the first one's call again, and another call: one answer each, in order.
        using (var response = await PostAsync(http, path, JsonContent.Create(new ReservationBatchRequest(
        [
            new ReservationRequest(tenant, "b1", CallDirection.Inbound),
            new ReservationRequest(tenant, " ", CallDirection.Inbound),
            new ReservationRequest(tenant, "b1", CallDirection.Inbound),
            new ReservationRequest(tenant, "b2", CallDirection.Inbound),
        ]), options: VoxJson.Options)))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var items = (await response.Content.ReadFromJsonAsync<ReservationBatchResponse>(VoxJson.Options))!.Results;
            Assert.Equal(4, items.Count);
            Assert.True(items[0].Result!.Granted);
            Assert.Null(items[1].Result);
            Assert.Equal("invalid_request", items[1].Error);
            Assert.Contains("callId", items[1].Detail);
            Assert.Equal(items[0].Result!.Worker!.WorkerId, items[2].Result!.Worker!.WorkerId);
            Assert.True(items[3].Result!.Granted);
            Assert.NotEqual(items[0].Result!.Worker!.WorkerId, items[3].Result!.Worker!.WorkerId);
        }

        // Bad batches are refused whole with a problem that says what is wrong, and reserve nothing.
        var tooMany = new ReservationBatchRequest(Enumerable.Range(0, InternalApi.MaxReservationBatch + 1)
            .Select(i => new ReservationRequest(tenant, $"x{i}", CallDirection.Inbound)).ToList());
        foreach (var (content, expected) in new (HttpContent, string)[]
        {
            (new StringContent("""{"requests":[]}""", Encoding.UTF8, "application/json"), "at least one request"),
            (JsonContent.Create(tooMany, options: VoxJson.Options), "at most 256"),
            (new StringContent("""{"requests":[{"tenantId":""", Encoding.UTF8, "application/json"), ""),
            (new StringContent("""{"requests":[{"tenantId":"t","callId":"c","direction":"sideways"}]}""", Encoding.UTF8, "application/json"), ""),
        })
        {
            using var refused = await PostAsync(http, path, content);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains(expected, await refused.Content.ReadAsStringAsync());
        }

        using (var anonymous = await http.PostAsync(path, JsonContent.Create(tooMany, options: VoxJson.Options)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        var pool = cluster.Grains(0).GetGrain<ICapacityGrain>("default");
        Assert.Equal(2, (await pool.GetSnapshotAsync(CancellationToken.None)).Workers.Count(w => w.CallId is not null));

        // The worker-side grain splits what exceeds one request (300 > 256): the 18 free slots go to 18 distinct calls, the
        // rest are told there is no capacity. (Which 18 is not fixed: the two requests it sends may reach the pool in either order.)
        var many = Enumerable.Range(0, 300).Select(i => new ReservationRequest(tenant, $"m{i:000}", CallDirection.Inbound)).ToList();
        var results = await pool.ReserveManyAsync(many, CancellationToken.None);
        Assert.Equal(300, results.Count);
        var granted = results.Where(r => r.Granted).ToList();
        Assert.Equal(Workers - 2, granted.Count);
        Assert.Equal(Workers - 2, granted.Select(r => r.Worker!.WorkerId).Distinct().Count());
        Assert.All(results.Where(r => !r.Granted), r => Assert.Equal(ReservationOutcome.NoCapacity, r.Outcome));
        var held = (await pool.GetSnapshotAsync(CancellationToken.None)).Workers.Where(w => w.CallId is not null).Select(w => w.CallId!).ToHashSet();
        Assert.Equal(Workers, held.Count);
        Assert.All(many.Where((_, i) => results[i].Granted), r => Assert.Contains(r.CallId, held));
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.Add(InternalApi.TokenHeader, TestCluster.Token);
        return http.SendAsync(request);
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
