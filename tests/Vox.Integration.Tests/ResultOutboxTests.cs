using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Grains.Internal;
using Vox.MediaWorker.Outbox;
using Vox.Testing;

namespace Vox.Integration.Tests;

/// <summary>A call's result survives the silo being down and the worker restarting, and is accepted exactly once.</summary>
public sealed class ResultOutboxTests
{
    [Fact]
    public async Task Result_waits_while_the_silo_is_down_survives_a_worker_restart_and_is_delivered_once()
    {
        var store = TestDatabases.NewStore("sqlite");
        var settings = new Dictionary<string, string>
        {
            ["Storage:Invariant"] = "sqlite",
            ["Storage:ConnectionString"] = store.ConnectionString,
            ["Cluster:Token"] = TestCluster.Token,
            ["Fleet:LocalWorkers"] = "0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var port = FreePort.Next();
        var silo = await SiloProcess.StartAsync(settings, port: port);
        using var http = new HttpClient { BaseAddress = new Uri(silo.Url), Timeout = TimeSpan.FromSeconds(5) };
        var grains = new HttpGrainFactory(new ClusterHttpClient(http, TestCluster.Token));

        var tenantId = await CreateTenantAsync(store.ConnectionString);
        await grains.GetGrain<IBotGrain>("bot_o").CreateAsync(tenantId, new BotDefinition { Name = "o" }, CancellationToken.None);
        await grains.GetGrain<ICallGrain>("call_o").StartAsync(new CallStart(tenantId, "bot_o", CallDirection.Inbound, "vox", null, null), CancellationToken.None);

        var outboxPath = Path.Combine(Directory.CreateTempSubdirectory("vox-outbox-").FullName, "outbox.db");
        var result = new CallResult("res_once", EndReasons.CallerHangup, [new TranscriptTurn(0, "assistant", "Hello", 0, 800)]);

        // The silo goes away before the call ends.
        silo.Kill();
        var worker = new ResultOutbox(outboxPath, grains, TimeProvider.System, NullLogger<ResultOutbox>.Instance);
        worker.Enqueue("call_o", result);
        Assert.Equal(0, await worker.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(1, worker.PendingCount());

        // The worker restarts: a new outbox over the same file still holds the result.
        var restarted = new ResultOutbox(outboxPath, grains, TimeProvider.System, NullLogger<ResultOutbox>.Instance);
        Assert.Equal(1, restarted.PendingCount());
        restarted.Enqueue("call_o", result);
        Assert.Equal(1, restarted.PendingCount());

        // The silo comes back on the same address; the retry (after its backoff) delivers.
        await using var back = await SiloProcess.StartAsync(settings, port: port);
        var delivered = 0;
        for (var i = 0; i < 40 && delivered == 0; i++)
        {
            await Task.Delay(250);
            delivered = await restarted.DeliverDueAsync(CancellationToken.None);
        }

        Assert.Equal(1, delivered);
        Assert.Equal(0, restarted.PendingCount());
        var record = await grains.GetGrain<ICallGrain>("call_o").GetAsync(null, CancellationToken.None);
        Assert.Equal(("res_once", CallState.Ended), (record.ResultId, record.State));

        // A second delivery of the same result (e.g. the acknowledgement was lost) changes nothing.
        Assert.Equal(CompletionOutcome.Duplicate, await grains.GetGrain<ICallGrain>("call_o").CompleteAsync(result, CancellationToken.None));
        Assert.Equal(1, (await grains.GetGrain<ICallGrain>("call_o").GetEventsAsync(null, CancellationToken.None)).Count(e => e.Type == "completed"));
    }

    private static async Task<string> CreateTenantAsync(string connectionString)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        await connection.OpenAsync();
        var id = "ten_outbox";
        await connection.ExecuteAsync("INSERT INTO tenants (id, name, created_at) VALUES (@Id, 'o', 0)", new { Id = id });
        return id;
    }
}
