using System.Text.Json;
using Vox.Grains.Bots;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Testing;

namespace Vox.Grains.Tests.Calls;

public sealed class CallGrainTests
{
    private static async Task<(GrainTestContext Ctx, string Tenant, ICallGrain Call)> StartedCallAsync(string dialect)
    {
        var ctx = await GrainTestContext.CreateAsync(dialect);
        var tenant = await ctx.CreateTenantAsync();
        await ctx.Grains.GetGrain<IBotGrain>("bot_1").CreateAsync(tenant, new BotDefinition { Name = "b" }, CancellationToken.None);
        var call = ctx.Grains.GetGrain<ICallGrain>("call_1");
        await call.StartAsync(new CallStart(tenant, "bot_1", CallDirection.Inbound, "twilio", "+14155550100", "+14155550101"), CancellationToken.None);
        return (ctx, tenant, call);
    }

    private static CallResult Result(string id) => new(id, EndReasons.CallerHangup,
        [new TranscriptTurn(0, "assistant", "Hello!", 0, 900), new TranscriptTurn(1, "user", "Hi", 1500, 2100)],
        "recordings/call_1.wav", JsonDocument.Parse("""{"voiceToVoiceMs":[640]}""").RootElement);

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Lifecycle_moves_forward_and_refuses_to_go_back(string dialect)
    {
        var (ctx, _, call) = await StartedCallAsync(dialect);
        await using var __ = ctx;
        Assert.Equal(CallState.Ringing, (await call.TransitionAsync(CallState.Ringing, null, CancellationToken.None)).State);
        var answered = await call.TransitionAsync(CallState.InProgress, "w1", CancellationToken.None);
        Assert.Equal((CallState.InProgress, "w1"), (answered.State, answered.WorkerId));
        Assert.NotNull(answered.AnsweredAt);
        var ex = await Assert.ThrowsAsync<ConflictException>(() => call.TransitionAsync(CallState.Ringing, null, CancellationToken.None));
        Assert.Equal("invalid_transition", ex.Code);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Complete_is_accepted_once_and_a_repeat_of_the_same_result_is_a_duplicate(string dialect)
    {
        var (ctx, tenant, call) = await StartedCallAsync(dialect);
        await using var __ = ctx;
        Assert.Equal(CompletionOutcome.Accepted, await call.CompleteAsync(Result("r1"), CancellationToken.None));
        Assert.Equal(CompletionOutcome.Duplicate, await call.CompleteAsync(Result("r1"), CancellationToken.None));
        await Assert.ThrowsAsync<ConflictException>(() => call.CompleteAsync(Result("r2"), CancellationToken.None));
        var record = await call.GetAsync(tenant, CancellationToken.None);
        Assert.Equal((CallState.Ended, EndReasons.CallerHangup, "r1"), (record.State, record.EndReason, record.ResultId));
        Assert.Equal(640, record.Metrics!.Value.GetProperty("voiceToVoiceMs")[0].GetInt32());
        Assert.Equal(["Hello!", "Hi"], (await call.GetTurnsAsync(tenant, CancellationToken.None)).Select(t => t.Text));
        Assert.Equal(2, await ctx.CountAsync("call_turns"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Concurrent_deliveries_of_one_result_are_accepted_exactly_once(string dialect)
    {
        var (ctx, _, call) = await StartedCallAsync(dialect);
        await using var __ = ctx;
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => call.CompleteAsync(Result("r1"), CancellationToken.None))));
        Assert.Equal(1, outcomes.Count(o => o == CompletionOutcome.Accepted));
        Assert.Equal(1, await ctx.CountAsync("call_events", "type = 'completed'"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Complete_frees_the_worker_that_carried_the_call(string dialect)
    {
        var (ctx, tenant, call) = await StartedCallAsync(dialect);
        await using var __ = ctx;
        var pool = ctx.Grains.GetGrain<ICapacityGrain>("default");
        await pool.RegisterWorkerAsync(new WorkerRegistration("w1", "h", "ws://127.0.0.1:1/media"), CancellationToken.None);
        await pool.ReserveAsync(new ReservationRequest(tenant, "call_1", CallDirection.Inbound), CancellationToken.None);
        await call.CompleteAsync(Result("r1"), CancellationToken.None);
        Assert.Equal(1, (await pool.GetSnapshotAsync(CancellationToken.None)).Idle);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Another_tenant_cannot_read_the_call(string dialect)
    {
        var (ctx, _, call) = await StartedCallAsync(dialect);
        await using var __ = ctx;
        var stranger = await ctx.CreateTenantAsync();
        await Assert.ThrowsAsync<NotFoundException>(() => call.GetAsync(stranger, CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => call.GetTurnsAsync(stranger, CancellationToken.None));
        Assert.Empty((await new CallCatalog(ctx.Store).ListAsync(stranger, new CallQuery(), CancellationToken.None)).Items);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Start_for_another_tenants_bot_is_not_found(string dialect)
    {
        var (ctx, _, _) = await StartedCallAsync(dialect);
        await using var __ = ctx;
        var stranger = await ctx.CreateTenantAsync();
        await Assert.ThrowsAsync<NotFoundException>(() => ctx.Grains.GetGrain<ICallGrain>("call_2")
            .StartAsync(new CallStart(stranger, "bot_1", CallDirection.Inbound, "ws", null, null), CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Listing_filters_by_state_and_number(string dialect)
    {
        var (ctx, tenant, call) = await StartedCallAsync(dialect);
        await using var __ = ctx;
        var other = ctx.Grains.GetGrain<ICallGrain>("call_2");
        await other.StartAsync(new CallStart(tenant, "bot_1", CallDirection.Outbound, "sip", "+14155550199", "+442071234567"), CancellationToken.None);
        await call.EndAsync(EndReasons.CallerHangup, null, CancellationToken.None);
        var catalog = new CallCatalog(ctx.Store);
        Assert.Equal(["call_1"], (await catalog.ListAsync(tenant, new CallQuery { State = CallState.Ended }, CancellationToken.None)).Items.Select(c => c.Id));
        Assert.Equal(["call_2"], (await catalog.ListAsync(tenant, new CallQuery { Number = "+442071234567" }, CancellationToken.None)).Items.Select(c => c.Id));
        Assert.Equal(["call_2"], (await catalog.ListAsync(tenant, new CallQuery { Direction = CallDirection.Outbound }, CancellationToken.None)).Items.Select(c => c.Id));
    }
}
