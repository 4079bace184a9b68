using System.Text.Json;
using Dapper;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Grains.Webhooks;
using Vox.Testing;

namespace Vox.Grains.Tests.Webhooks;

public sealed class WebhookOutboxTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Call_start_that_rolls_back_enqueues_nothing(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        await bed.EndpointAsync("https://hooks.example.com/a");
        // The call's timeline insert runs after the outbox insert in the same transaction; make it fail.
        await bed.Ctx.Store.WriteAsync((c, t, ct) => c.ExecuteAsync(dialect == "postgres"
            ? """
              CREATE FUNCTION fail_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$;
              CREATE TRIGGER fail_call_events BEFORE INSERT ON call_events FOR EACH ROW EXECUTE FUNCTION fail_insert();
              """
            : "CREATE TRIGGER fail_call_events BEFORE INSERT ON call_events BEGIN SELECT RAISE(ABORT, 'injected failure'); END;", transaction: t), CancellationToken.None);

        await Assert.ThrowsAnyAsync<Exception>(() => bed.StartCallAsync("call_rollback"));

        Assert.Equal(0, await bed.Ctx.CountAsync("calls"));
        Assert.Equal(0, await bed.Ctx.CountAsync("webhook_events"));
        Assert.Equal(0, await bed.Ctx.CountAsync("webhook_deliveries"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Deliveries_go_only_to_matching_enabled_endpoints_of_the_same_tenant(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        var all = (await bed.EndpointAsync("https://a.example.com/all")).Endpoint.Id;
        var completedOnly = (await bed.EndpointAsync("https://a.example.com/completed", [WebhookEventTypes.CallCompleted])).Endpoint.Id;
        var endedOrStarted = (await bed.EndpointAsync("https://a.example.com/se", [WebhookEventTypes.CallStarted, WebhookEventTypes.CallEnded])).Endpoint.Id;
        await bed.EndpointAsync("https://a.example.com/off", ["*"], enabled: false);
        var stranger = await bed.Ctx.CreateTenantAsync();
        await bed.EndpointAsync("https://b.example.com/all", ["*"], tenant: stranger);

        var call = await bed.StartCallAsync("call_1");
        await call.CompleteAsync(new CallResult("r1", EndReasons.CallerHangup, []), CancellationToken.None);
        var other = await bed.StartCallAsync("call_2");
        await other.EndAsync(EndReasons.NoAnswer, null, CancellationToken.None);

        var expected = new List<(string, string)>
        {
            (WebhookEventTypes.CallCompleted, all), (WebhookEventTypes.CallCompleted, completedOnly),
            (WebhookEventTypes.CallEnded, all), (WebhookEventTypes.CallEnded, endedOrStarted),
            (WebhookEventTypes.CallStarted, all), (WebhookEventTypes.CallStarted, all), (WebhookEventTypes.CallStarted, endedOrStarted), (WebhookEventTypes.CallStarted, endedOrStarted),
        };
        Assert.Equal(expected.Order(), (await bed.DeliveryTargetsAsync()).Order());
        Assert.Equal(4, await bed.Ctx.CountAsync("webhook_events"));
        Assert.Equal(0, await bed.Ctx.CountAsync("webhook_events", "tenant_id = @T", new { T = stranger }));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Tenant_without_endpoints_writes_no_events(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        var call = await bed.StartCallAsync("call_1");
        await call.EndAsync(EndReasons.CallerHangup, null, CancellationToken.None);
        Assert.Equal(0, await bed.Ctx.CountAsync("webhook_events"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Completed_event_carries_transcript_metrics_end_reason_recording_and_analysis(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        await bed.EndpointAsync("https://a.example.com/completed", [WebhookEventTypes.CallCompleted]);
        var call = await bed.StartCallAsync("call_1");
        await call.AppendTurnsAsync([new TranscriptTurn(0, "assistant", "Hello!", 0, 900)], CancellationToken.None);
        await call.CompleteAsync(new CallResult("r1", EndReasons.BotHangup, [new TranscriptTurn(1, "user", "Bye", 1500, 2100)], "recordings/call_1.wav",
            JsonDocument.Parse("""{"voiceToVoiceMs":[640]}""").RootElement, JsonDocument.Parse("""{"sentiment":"positive"}""").RootElement), CancellationToken.None);
        // A duplicate result is acknowledged without a second event.
        await call.CompleteAsync(new CallResult("r1", EndReasons.BotHangup, []), CancellationToken.None);

        var (type, payload) = await bed.Ctx.Store.ReadAsync((c, ct) => c.QuerySingleAsync<(string, string)>("SELECT type, payload FROM webhook_events"), CancellationToken.None);
        var data = JsonDocument.Parse(payload).RootElement.GetProperty("call");
        Assert.Equal(WebhookEventTypes.CallCompleted, type);
        Assert.Equal("call_1", data.GetProperty("id").GetString());
        Assert.Equal("ended", data.GetProperty("state").GetString());
        Assert.Equal(EndReasons.BotHangup, data.GetProperty("endReason").GetString());
        Assert.Equal("r1", data.GetProperty("resultId").GetString());
        Assert.Equal("recordings/call_1.wav", data.GetProperty("recordingRef").GetString());
        Assert.Equal(640, data.GetProperty("metrics").GetProperty("voiceToVoiceMs")[0].GetInt32());
        Assert.Equal("positive", data.GetProperty("analysis").GetProperty("sentiment").GetString());
        Assert.Equal(["Hello!", "Bye"], data.GetProperty("turns").EnumerateArray().Select(t => t.GetProperty("text").GetString()));
        Assert.False(data.TryGetProperty("tenantId", out _));
        Assert.False(data.TryGetProperty("workerId", out _));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Call_lost_with_its_worker_queues_call_ended_worker_lost(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        await bed.EndpointAsync("https://a.example.com/ended", [WebhookEventTypes.CallEnded]);
        await bed.StartCallAsync("call_1");
        var pool = bed.Ctx.Grains.GetGrain<ICapacityGrain>("default");
        await pool.RegisterWorkerAsync(new WorkerRegistration("w1", "h", "ws://127.0.0.1:1/media"), CancellationToken.None);
        Assert.True((await pool.ReserveAsync(new ReservationRequest(bed.Tenant, "call_1", CallDirection.Inbound), CancellationToken.None)).Granted);

        await pool.DeregisterWorkerAsync("w1", CancellationToken.None);

        var payload = await bed.Ctx.Store.ReadAsync((c, ct) => c.QuerySingleAsync<string>("SELECT payload FROM webhook_events WHERE type = 'call.ended'"), CancellationToken.None);
        Assert.Equal(EndReasons.WorkerLost, JsonDocument.Parse(payload).RootElement.GetProperty("call").GetProperty("endReason").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Event_ids_are_unique_evt_guid_v7(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        await bed.EndpointAsync("https://a.example.com/all");
        for (var i = 0; i < 5; i++)
        {
            await bed.StartCallAsync($"call_{i}");
        }

        var ids = (await bed.Ctx.Store.ReadAsync((c, ct) => c.QueryAsync<string>("SELECT id FROM webhook_events"), CancellationToken.None)).ToList();
        Assert.Equal(5, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(7, Guid.ParseExact(id["evt_".Length..], "N").Version));
    }
}
