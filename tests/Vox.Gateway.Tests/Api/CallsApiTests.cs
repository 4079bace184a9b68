using System.Net;
using Vox.Gateway.Tests.Support;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;
using Vox.Testing;

namespace Vox.Gateway.Tests.Api;

public sealed class CallsApiTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task List_pages_through_all_calls_with_limit_3_newest_first(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var botId = await host.CreateBotAsync(tenant.Id);
        var started = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            started.Add(await host.StartCallAsync(tenant.Id, botId));
        }

        var pages = new List<IReadOnlyList<string>>();
        var createdAt = new List<DateTimeOffset>();
        string? cursor = null;
        do
        {
            var page = await (await tenant.Client.GetAsync("/v1/calls?limit=3" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)))).ReadJsonAsync(HttpStatusCode.OK);
            pages.Add(page.Ids());
            createdAt.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("createdAt").GetDateTimeOffset()));
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
        }
        while (cursor is not null && pages.Count < 10);

        Assert.Equal([3, 3, 1], pages.Select(p => p.Count));
        var all = pages.SelectMany(p => p).ToList();
        Assert.Equal(started.Order(), all.Order());
        Assert.Equal(7, all.Distinct().Count());
        Assert.Equal(createdAt.OrderDescending(), createdAt);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task List_filters_by_state_bot_direction_number_and_time(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var sales = await host.CreateBotAsync(tenant.Id, "Sales");
        var support = await host.CreateBotAsync(tenant.Id, "Support");
        var inbound = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            inbound.Add(await host.StartCallAsync(tenant.Id, support, CallDirection.Inbound, from: $"+1415555010{i}", to: "+14155550199"));
        }

        var outbound = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            outbound.Add(await host.StartCallAsync(tenant.Id, sales, CallDirection.Outbound, from: "+14155550199", to: $"+1650555020{i}"));
        }

        await host.Grains.GetGrain<ICallGrain>(outbound[0]).TransitionAsync(CallState.Ringing, null, CancellationToken.None);
        await host.Grains.GetGrain<ICallGrain>(inbound[1]).TransitionAsync(CallState.Ringing, null, CancellationToken.None);

        async Task<IReadOnlyList<string>> ListAsync(string query) =>
            (await (await tenant.Client.GetAsync("/v1/calls?" + query)).ReadJsonAsync(HttpStatusCode.OK)).Ids();

        Assert.Equal(outbound.Order(), (await ListAsync("direction=outbound")).Order());
        Assert.Equal(inbound.Order(), (await ListAsync($"botId={support}")).Order());
        Assert.Equal(new[] { outbound[0], inbound[1] }.Order(), (await ListAsync("state=ringing")).Order());
        Assert.Equal([outbound[0]], await ListAsync("state=ringing&direction=outbound"));
        Assert.Equal([inbound[2]], await ListAsync("number=%2B14155550102"));
        Assert.Equal([outbound[1]], await ListAsync("number=+16505550201"));
        Assert.Equal(7, (await ListAsync("createdAfter=2000-01-01T00:00:00Z&createdBefore=2999-01-01T00:00:00Z")).Count);
        Assert.Empty(await ListAsync("createdAfter=2999-01-01T00:00:00Z"));
        Assert.Empty(await ListAsync("createdBefore=2000-01-01T00:00:00Z"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task List_with_invalid_filters_returns_400_naming_each_field(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var response = await tenant.Client.GetAsync("/v1/calls?state=InProgress&direction=sideways&number=12345&createdAfter=yesterday&limit=500");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "state", "direction", "number", "createdAfter", "limit" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"No error for {field} in {errors}");
        }

        Assert.Contains("in_progress", errors.GetProperty("state")[0].GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Get_returns_the_call_with_turns_and_events(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var botId = await host.CreateBotAsync(tenant.Id);
        var callId = await host.StartCallAsync(tenant.Id, botId);
        var call = host.Grains.GetGrain<ICallGrain>(callId);
        await call.TransitionAsync(CallState.InProgress, null, CancellationToken.None);
        await call.AppendTurnsAsync([new TranscriptTurn(1, "assistant", "Hello, how can I help?", 0, 1200), new TranscriptTurn(2, "user", "Opening hours?", 1500, 2400)], CancellationToken.None);

        var body = await (await tenant.Client.GetAsync($"/v1/calls/{callId}")).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(callId, body.GetProperty("id").GetString());
        Assert.Equal("in_progress", body.GetProperty("state").GetString());
        Assert.Equal("inbound", body.GetProperty("direction").GetString());
        var turns = body.GetProperty("turns").EnumerateArray().ToList();
        Assert.Equal(["Hello, how can I help?", "Opening hours?"], turns.Select(t => t.GetProperty("text").GetString()));
        var events = body.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(["created", "in_progress"], events);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Other_tenants_call_is_404_and_not_listed(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var a = await host.CreateTenantAsync("A");
        var b = await host.CreateTenantAsync("B");
        var callOfA = await host.StartCallAsync(a.Id, await host.CreateBotAsync(a.Id));

        await ProblemAssert.IsProblemAsync(await b.Client.GetAsync($"/v1/calls/{callOfA}"), HttpStatusCode.NotFound);
        Assert.Empty((await (await b.Client.GetAsync("/v1/calls")).ReadJsonAsync(HttpStatusCode.OK)).Ids());
        Assert.Equal([callOfA], (await (await a.Client.GetAsync("/v1/calls")).ReadJsonAsync(HttpStatusCode.OK)).Ids());
    }
}
