using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Integration.Tests.Ingress;
using Vox.Testing;

namespace Vox.Integration.Tests;

/// <summary>
/// A worker whose offline voice is missing says so and takes no calls; a call whose set-up fails anyway is closed 1011
/// with its reason at the carrier, ends with it and frees its slot. Real silo and worker processes.
/// </summary>
public sealed class OfflineVoiceReadinessTests
{
    // A file no host has: the probe (and any P/Invoke through the resolver) fails to load it, as on a machine without libespeak-ng1.
    private const string MissingEspeak = "libvox-test-missing-espeak.so.1";

    private static readonly BotDefinition Greeter = new() { Name = "Greeter", FirstMessage = "Hello." };

    [Fact]
    public async Task Worker_without_its_native_library_registers_not_ready_shows_why_in_the_fleet_and_is_never_reserved()
    {
        await using var cluster = await TestCluster.StartAsync("sqlite", 1, new Dictionary<string, string> { ["Offline:EspeakLibrary"] = MissingEspeak });
        await using var worker = WorkerProcess.Start(cluster.Silos[0].Url, TestCluster.Token, "worker-no-espeak",
            new Dictionary<string, string> { ["Offline:EspeakLibrary"] = MissingEspeak });
        var pool = cluster.Grains(0).GetGrain<ICapacityGrain>("default");

        WorkerSlot? slot = null;
        await IngressFixture.WaitForAsync(async () => (slot = (await pool.GetSnapshotAsync(CancellationToken.None)).Workers.SingleOrDefault(w => w.WorkerId == worker.Id)) is not null,
            TimeSpan.FromSeconds(60), "the worker registers");
        Assert.False(slot!.Ready);
        Assert.Contains(MissingEspeak, slot.NotReadyReason);
        Assert.Contains("Offline:EspeakLibrary", slot.NotReadyReason);
        Assert.Equal("sudo apt-get install -y libespeak-ng1 espeak-ng-data", slot.NotReadyFix);

        // The silo ran the same probe for its banner.
        Assert.Contains("Offline voice  NOT READY", cluster.Silos[0].Output);
        Assert.Contains(MissingEspeak, cluster.Silos[0].Output);
        Assert.Contains("fix: sudo apt-get install -y libespeak-ng1 espeak-ng-data", cluster.Silos[0].Output);

        var tenant = await cluster.Tenants.CreateTenantAsync("t", null, CancellationToken.None);
        var key = await cluster.Tenants.CreateApiKeyAsync(tenant.Id, "fleet", true, CancellationToken.None);
        using var api = new HttpClient { BaseAddress = new Uri(cluster.Silos[0].Url) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        var fleet = await api.GetFromJsonAsync<JsonElement>("/v1/fleet");
        var shown = fleet.GetProperty("workers").EnumerateArray().Single(w => w.GetProperty("workerId").GetString() == worker.Id);
        Assert.False(shown.GetProperty("ready").GetBoolean());
        Assert.Contains(MissingEspeak, shown.GetProperty("notReadyReason").GetString());
        Assert.Equal("sudo apt-get install -y libespeak-ng1 espeak-ng-data", shown.GetProperty("notReadyFix").GetString());
        Assert.Equal((0, 1), (fleet.GetProperty("total").GetInt32(), fleet.GetProperty("notReady").GetInt32()));

        await cluster.Grains(0).GetGrain<IBotGrain>("bot_greet").CreateAsync(tenant.Id, Greeter, CancellationToken.None);
        await cluster.Grains(0).GetGrain<ICallGrain>("call_refused").StartAsync(
            new CallStart(tenant.Id, "bot_greet", CallDirection.Inbound, "vox", null, null), CancellationToken.None);
        var reservation = await pool.ReserveAsync(new ReservationRequest(tenant.Id, "call_refused", CallDirection.Inbound), CancellationToken.None);
        Assert.Equal(ReservationOutcome.NoCapacity, reservation.Outcome);
        Assert.Null((await pool.GetSnapshotAsync(CancellationToken.None)).Workers.Single(w => w.WorkerId == worker.Id).CallId);
    }

    [Fact]
    public async Task Call_whose_set_up_fails_is_closed_1011_with_the_reason_at_the_carrier_ends_with_it_and_frees_the_slot()
    {
        await using var cluster = await TestCluster.StartAsync("sqlite", 1);
        // The probe passes (libraries and model are installed) but the recogniser refuses its settings when the call builds
        // its providers: a set-up failure the start-up check cannot see.
        await using var worker = WorkerProcess.Start(cluster.Silos[0].Url, TestCluster.Token, "worker-bad-setup",
            new Dictionary<string, string> { ["Stt:PocketSphinx:HintWeight"] = "5" });
        var pool = cluster.Grains(0).GetGrain<ICapacityGrain>("default");
        await IngressFixture.WaitForAsync(async () => (await pool.GetSnapshotAsync(CancellationToken.None)) is { Idle: 1, NotReady: 0 },
            TimeSpan.FromSeconds(60), "the worker registers ready");

        var tenant = await cluster.Tenants.CreateTenantAsync("t", null, CancellationToken.None);
        var key = await cluster.Tenants.CreateApiKeyAsync(tenant.Id, "ingress", false, CancellationToken.None);
        using var api = new HttpClient { BaseAddress = new Uri(cluster.Silos[0].Url) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        await cluster.Grains(0).GetGrain<IBotGrain>("bot_greet").CreateAsync(tenant.Id, Greeter, CancellationToken.None);
        using var secret = await api.PostAsync("/v1/bots/bot_greet/ingress-secret", null);
        Assert.True(secret.IsSuccessStatusCode, await secret.Content.ReadAsStringAsync());
        var url = (await secret.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("urls").GetProperty("iCallMate").GetString()!;

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            // The second call proves the slot came back, in the store and on the worker: a held slot answers 1013 "busy".
            var (status, reason, messages) = await RawSocket.SendAsync(url, [RawSocket.Text("""{"event":"start"}""")], TimeSpan.FromSeconds(30));
            Assert.Equal(WebSocketCloseStatus.InternalServerError, status);
            Assert.StartsWith("call set-up failed (providers):", reason, StringComparison.Ordinal);
            Assert.Contains("HintWeight", reason);
            Assert.True(System.Text.Encoding.UTF8.GetByteCount(reason!) <= 123);
            Assert.Equal(0, messages);

            var page = await api.GetFromJsonAsync<JsonElement>("/v1/calls?botId=bot_greet&limit=1");
            var call = cluster.Grains(0).GetGrain<ICallGrain>(page.GetProperty("items")[0].GetProperty("id").GetString()!);
            CallRecord record = null!;
            // The result delivered through the worker's outbox ends the call: it carries the full reason.
            await IngressFixture.WaitForAsync(async () => (record = await call.GetAsync(null, CancellationToken.None)) is { State: CallState.Ended, ResultId: not null },
                TimeSpan.FromSeconds(30), $"call {attempt} ends with the worker's result");
            Assert.Equal(EndReasons.Error, record.EndReason);
            Assert.StartsWith(reason!, record.EndDetail, StringComparison.Ordinal);
            Assert.Contains("Stt:PocketSphinx:HintWeight", record.EndDetail);
            await IngressFixture.WaitForAsync(async () => (await pool.GetSnapshotAsync(CancellationToken.None)) is { Idle: 1, Reserved: 0, Busy: 0 },
                TimeSpan.FromSeconds(30), $"the slot is free after call {attempt}");
        }

        Assert.DoesNotContain("worker could not be reached", cluster.Silos[0].Output);
    }
}
