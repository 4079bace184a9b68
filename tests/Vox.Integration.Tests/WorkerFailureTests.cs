using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Testing;

namespace Vox.Integration.Tests;

/// <summary>Workers under abuse and crashes: a bad call closes with a reason and the worker serves again; a killed worker loses one call only.</summary>
public sealed class WorkerFailureTests
{
    private static readonly BotDefinition Talker = new()
    {
        Name = "Talker",
        FirstMessage = "Hello and welcome. This greeting is deliberately long so that the bot is still talking while the test does its work. " +
                       "It goes on for a while, describing opening hours, prices and the weather, so there is always audio flowing.",
        Limits = new CallLimits { IdleTimeoutSeconds = 60 },
    };

    private static async Task<(TestCluster Cluster, string Tenant, IGrainFactory Grains, ICapacityGrain Pool)> StartAsync(int workers, Dictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Fleet:LocalWorkers"] = workers.ToString(),
            ["Fleet:LocalWorkerBasePort"] = "0",
            ["Fleet:WorkerTtlMs"] = "2000",
            ["Fleet:HeartbeatIntervalMs"] = "500",
            ["Fleet:ReaperPeriodMs"] = "500",
            ["Reminders:PollIntervalMs"] = "100",
        };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        var cluster = await TestCluster.StartAsync("sqlite", 1, settings);
        var tenant = await cluster.Tenants.CreateTenantAsync("t", null, CancellationToken.None);
        var grains = cluster.Grains(0);
        await grains.GetGrain<IBotGrain>("bot_talk").CreateAsync(tenant.Id, Talker, CancellationToken.None);
        var pool = grains.GetGrain<ICapacityGrain>("default");
        await WaitForAsync(async () => (await pool.GetSnapshotAsync(CancellationToken.None)).Idle == workers, TimeSpan.FromSeconds(90), "local workers register");
        return (cluster, tenant.Id, grains, pool);
    }

    private static async Task<(string CallId, ReservedWorker Worker)> NewCallAsync(IGrainFactory grains, ICapacityGrain pool, string tenant, string callId)
    {
        await grains.GetGrain<ICallGrain>(callId).StartAsync(new CallStart(tenant, "bot_talk", CallDirection.Inbound, "vox", null, null), CancellationToken.None);
        var reserved = await pool.ReserveAsync(new ReservationRequest(tenant, callId, CallDirection.Inbound), CancellationToken.None);
        Assert.True(reserved.Granted, reserved.Message);
        return (callId, reserved.Worker!);
    }

    public static TheoryData<string, string> BadInputs => new()
    {
        { "malformed-json", "malformed control message" },
        { "odd-length", "odd-length PCM16" },
        { "ten-megabytes", "larger than" },
        { "too-fast", "faster than real time" },
        { "binary-start", "audio before the start message" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_closes_the_call_with_its_reason_and_the_worker_serves_again(string kind, string reason)
    {
        var (cluster, tenant, grains, pool) = await StartAsync(1);
        await using var _ = cluster;
        var (callId, worker) = await NewCallAsync(grains, pool, tenant, "call_bad");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var client = await VoxMediaClient.ConnectAsync(worker.MediaUrl, callId, TestCluster.Token, 16000, cts.Token, sendStart: kind != "binary-start");
        await Task.Delay(300, cts.Token);
        switch (kind)
        {
            case "malformed-json":
                await client.SendAsync(Encoding.UTF8.GetBytes("{\"type\": \"dtmf\", "), WebSocketMessageType.Text, cts.Token);
                break;
            case "odd-length":
                await client.SendAsync(new byte[641], WebSocketMessageType.Binary, cts.Token);
                break;
            case "ten-megabytes":
                await client.SendAsync(new byte[10 * 1024 * 1024], WebSocketMessageType.Binary, cts.Token);
                break;
            case "too-fast":
                for (var i = 0; i < 400 && client.Closed.Status is null; i++)
                {
                    await client.SendAsync(new byte[640], WebSocketMessageType.Binary, cts.Token);
                }

                break;
            case "binary-start":
                await client.SendAsync(new byte[640], WebSocketMessageType.Binary, cts.Token);
                break;
        }

        await client.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains(reason, client.Closed.Reason ?? "", StringComparison.Ordinal);
        CallRecord record = null!;
        await WaitForAsync(async () => (record = await grains.GetGrain<ICallGrain>(callId).GetAsync(null, CancellationToken.None)).State == CallState.Ended,
            TimeSpan.FromSeconds(20), "the call is recorded as ended");
        Assert.Equal(EndReasons.Error, record.EndReason);
        Assert.Contains(reason, record.EndDetail ?? "", StringComparison.Ordinal);

        // The same worker takes the next call.
        await WaitForAsync(async () => (await pool.GetSnapshotAsync(CancellationToken.None)).Idle == 1, TimeSpan.FromSeconds(20), "the worker is free again");
        var (nextId, next) = await NewCallAsync(grains, pool, tenant, "call_next");
        Assert.Equal(worker.WorkerId, next.WorkerId);
        await using var second = await VoxMediaClient.ConnectAsync(next.MediaUrl, nextId, TestCluster.Token, 16000, cts.Token);
        await WaitForAsync(() => Task.FromResult(!second.Audio.IsEmpty), TimeSpan.FromSeconds(20), "the next call hears its greeting");
    }

    [Fact]
    public async Task Killing_a_worker_loses_only_its_call_and_the_supervisor_brings_it_back()
    {
        var (cluster, tenant, grains, pool) = await StartAsync(2);
        await using var _ = cluster;
        var (doomedCall, doomed) = await NewCallAsync(grains, pool, tenant, "call_doomed");
        var (liveCall, live) = await NewCallAsync(grains, pool, tenant, "call_live");
        Assert.NotEqual(doomed.WorkerId, live.WorkerId);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var doomedClient = await VoxMediaClient.ConnectAsync(doomed.MediaUrl, doomedCall, TestCluster.Token, 16000, cts.Token);
        await using var liveClient = await VoxMediaClient.ConnectAsync(live.MediaUrl, liveCall, TestCluster.Token, 16000, cts.Token);
        await WaitForAsync(() => Task.FromResult(!doomedClient.Audio.IsEmpty && !liveClient.Audio.IsEmpty), TimeSpan.FromSeconds(30), "both calls play audio");

        var pid = WorkerProcesses.Find(doomed.WorkerId);
        var killedAt = Stopwatch.StartNew();
        Process.GetProcessById(pid).Kill();
        var liveFramesAtKill = liveClient.Audio.Count;

        CallRecord record = null!;
        await WaitForAsync(async () => (record = await grains.GetGrain<ICallGrain>(doomedCall).GetAsync(null, CancellationToken.None)).State == CallState.Ended,
            TimeSpan.FromSeconds(20), "the killed worker's call ends");
        Assert.Equal(EndReasons.WorkerLost, record.EndReason);
        Assert.True(killedAt.ElapsedMilliseconds < 2000 + 500 + 4000, $"worker_lost after {killedAt.ElapsedMilliseconds} ms");
        Assert.True(liveClient.Audio.Count > liveFramesAtKill, "the other call kept playing");
        Assert.Equal(CallState.InProgress, (await grains.GetGrain<ICallGrain>(liveCall).GetAsync(null, CancellationToken.None)).State);

        await WaitForAsync(async () => (await pool.GetSnapshotAsync(CancellationToken.None)).Workers.Any(w => w.WorkerId == doomed.WorkerId && w.State == WorkerSlotState.Idle),
            TimeSpan.FromSeconds(30), "the supervisor restarts the worker and it registers again");
        Assert.NotEqual(pid, WorkerProcesses.Find(doomed.WorkerId));
    }


    private static async Task WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Timed out waiting until {what}.");
    }
}
