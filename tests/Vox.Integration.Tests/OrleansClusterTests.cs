using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Vox.Testing;
using Xunit.Abstractions;

namespace Vox.Integration.Tests;

/// <summary>Silo processes on one PostgreSQL form one Orleans cluster (ADO.NET clustering, Vox migration 0011), seen through <c>GET /v1/fleet</c>.</summary>
public sealed class OrleansClusterTests(ITestOutputHelper output)
{
    private sealed record Silo(string Address, string SiloName, string Status, DateTimeOffset? StartedAt, bool IsThisSilo);

    private sealed record Fleet(string? OrleansCluster, IReadOnlyList<Silo>? Silos);

    // Only the fields this test reads; the API's own options refuse members a record leaves out.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Three_silos_on_postgres_list_each_other_active_and_see_a_killed_silo_dead_within_15_seconds()
    {
        await using var cluster = await TestCluster.StartAsync("postgres", 3);
        var tenant = await cluster.Tenants.CreateTenantAsync("orleans-admin", null, CancellationToken.None);
        var key = (await cluster.Tenants.CreateApiKeyAsync(tenant.Id, "admin", true, CancellationToken.None)).Key;

        var names = new string[3];
        for (var i = 0; i < 3; i++)
        {
            var fleet = (await FleetAsync(cluster, i, key))!;
            Assert.Equal("vox-local", fleet.OrleansCluster);
            names[i] = Assert.Single(fleet.Silos!, s => s.IsThisSilo).SiloName;
        }

        Assert.Equal(3, names.Distinct().Count());
        await Eventually.WaitForAsync(async () =>
        {
            for (var i = 0; i < 3; i++)
            {
                var active = (await FleetAsync(cluster, i, key))!.Silos!.Where(s => s.Status == "Active").Select(s => s.SiloName).ToHashSet();
                if (!active.SetEquals(names))
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromSeconds(30), "each silo lists all three silos as Active");

        var clock = Stopwatch.StartNew();
        cluster.Silos[2].Kill();
        await Eventually.WaitForAsync(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                // While the killed silo's grains (the pool's, say) move to a survivor, the fleet view may answer 503 for a moment.
                var fleet = await FleetAsync(cluster, i, key, allowMoving: true);
                if (fleet is null || fleet.Silos!.Single(s => s.SiloName == names[2]).Status != "Dead"
                    || fleet.Silos!.Count(s => s.Status == "Active") != 2)
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromSeconds(15), "both survivors list the killed silo as Dead");
        output.WriteLine($"killed silo declared Dead after {clock.Elapsed.TotalSeconds:0.00} s");
    }

    private static async Task<Fleet?> FleetAsync(TestCluster cluster, int silo, string key, bool allowMoving = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/fleet");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await cluster.Http(silo).SendAsync(request);
        if (allowMoving && response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
        {
            Assert.NotNull(response.Headers.RetryAfter);
            return null;
        }

        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Fleet>(Json))!;
    }
}
