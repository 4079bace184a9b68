using System.Net;
using System.Text.Json;
using Vox.Gateway.Tests.Support;
using Vox.Grains.Capacity;
using Vox.Testing;

namespace Vox.Gateway.Tests.Api;

public sealed class FleetApiTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Fleet_shows_totals_and_hides_other_tenants_calls(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var a = await host.CreateTenantAsync("A");
        var b = await host.CreateTenantAsync("B");
        var admin = await host.CreateTenantAsync("Operator", admin: true);
        var pool = host.Grains.GetGrain<ICapacityGrain>("default");
        await pool.RegisterWorkerAsync(new WorkerRegistration("w1", "host-1", "ws://10.0.0.1:7000/media", "10.0.0.1"), CancellationToken.None);
        await pool.RegisterWorkerAsync(new WorkerRegistration("w2", "host-2", "ws://10.0.0.2:7000/media", "10.0.0.2"), CancellationToken.None);
        var callId = await host.StartCallAsync(a.Id, await host.CreateBotAsync(a.Id));
        var reservation = await pool.ReserveAsync(new ReservationRequest(a.Id, callId, CallDirection.Inbound), CancellationToken.None);
        Assert.True(reservation.Granted, reservation.Message);

        var asA = await (await a.Client.GetAsync("/v1/fleet")).ReadJsonAsync(HttpStatusCode.OK);
        var asB = await (await b.Client.GetAsync("/v1/fleet")).ReadJsonAsync(HttpStatusCode.OK);
        var asAdmin = await (await admin.Client.GetAsync("/v1/fleet")).ReadJsonAsync(HttpStatusCode.OK);

        foreach (var view in new[] { asA, asB, asAdmin })
        {
            Assert.Equal("default", view.GetProperty("pool").GetString());
            Assert.Equal(2, view.GetProperty("total").GetInt32());
            Assert.Equal(1, view.GetProperty("idle").GetInt32());
            Assert.Equal(1, view.GetProperty("reserved").GetInt32());
            Assert.Equal(0, view.GetProperty("busy").GetInt32());
        }

        static JsonElement Reserved(JsonElement view) =>
            view.GetProperty("workers").EnumerateArray().Single(w => w.GetProperty("state").GetString() == "reserved");

        Assert.Equal(callId, Reserved(asA).GetProperty("callId").GetString());
        Assert.Equal(a.Id, Reserved(asA).GetProperty("tenantId").GetString());
        Assert.False(Reserved(asB).TryGetProperty("callId", out _));
        Assert.False(Reserved(asB).TryGetProperty("tenantId", out _));
        Assert.False(Reserved(asA).TryGetProperty("mediaUrl", out _));
        Assert.DoesNotContain(callId, asB.ToString(), StringComparison.Ordinal);
        Assert.Equal(callId, Reserved(asAdmin).GetProperty("callId").GetString());
        Assert.Equal(a.Id, Reserved(asAdmin).GetProperty("tenantId").GetString());
        Assert.StartsWith("ws://", Reserved(asAdmin).GetProperty("mediaUrl").GetString(), StringComparison.Ordinal);
    }
}
