using System.Net;
using Vox.Gateway.Tests.Support;
using Vox.Testing;

namespace Vox.Gateway.Tests.Api;

public sealed class BotsApiTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Create_returns_201_with_location_and_version_1(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var response = await tenant.Client.PostAsync("/v1/bots", ApiRequests.Json(new { name = "Support", systemPrompt = "Be brief.", llm = new { provider = "offline", temperature = 0.2 } }));
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        var fetched = await (await tenant.Client.GetAsync(response.Headers.Location)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Matches("^bot_[0-9a-f]{32}$", id);
        Assert.Equal($"/v1/bots/{id}", response.Headers.Location?.ToString());
        Assert.Equal("\"1\"", response.Headers.ETag?.ToString());
        Assert.Equal(1, created.GetProperty("version").GetInt32());
        Assert.Equal("Support", fetched.GetProperty("definition").GetProperty("name").GetString());
        Assert.Equal("Be brief.", fetched.GetProperty("definition").GetProperty("systemPrompt").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Replace_with_stale_version_returns_409_and_keeps_the_bot(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var id = await (await tenant.Client.PostAsync("/v1/bots", ApiRequests.Json(new { name = "v1" }))).CreatedIdAsync();

        var first = new HttpRequestMessage(HttpMethod.Put, $"/v1/bots/{id}") { Content = ApiRequests.Json(new { name = "v2" }) };
        first.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var updated = await (await tenant.Client.SendAsync(first)).ReadJsonAsync(HttpStatusCode.OK);
        var stale = new HttpRequestMessage(HttpMethod.Put, $"/v1/bots/{id}") { Content = ApiRequests.Json(new { name = "lost update" }) };
        stale.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var conflict = await tenant.Client.SendAsync(stale);
        var staleQuery = await tenant.Client.PutAsync($"/v1/bots/{id}?version=1", ApiRequests.Json(new { name = "lost update" }));
        var unconditional = await (await tenant.Client.PutAsync($"/v1/bots/{id}", ApiRequests.Json(new { name = "v3" }))).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(2, updated.GetProperty("version").GetInt32());
        var problem = await ProblemAssert.IsProblemAsync(conflict, HttpStatusCode.Conflict);
        Assert.Equal("version_mismatch", problem.GetProperty("code").GetString());
        Assert.Equal("version", problem.GetProperty("field").GetString());
        await ProblemAssert.IsProblemAsync(staleQuery, HttpStatusCode.Conflict);
        Assert.Equal(3, unconditional.GetProperty("version").GetInt32());
        Assert.Equal("v3", unconditional.GetProperty("definition").GetProperty("name").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Replace_with_malformed_if_match_returns_400_naming_the_header(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var id = await (await tenant.Client.PostAsync("/v1/bots", ApiRequests.Json(new { name = "v1" }))).CreatedIdAsync();
        var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/bots/{id}") { Content = ApiRequests.Json(new { name = "v2" }) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"abc\"");

        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.SendAsync(request), "If-Match");
        var bot = await (await tenant.Client.GetAsync($"/v1/bots/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, bot.GetProperty("version").GetInt32());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Other_tenants_bot_is_404_to_get_list_replace_and_delete(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var a = await host.CreateTenantAsync("A");
        var b = await host.CreateTenantAsync("B");
        var id = await (await a.Client.PostAsync("/v1/bots", ApiRequests.Json(new { name = "A's bot" }))).CreatedIdAsync();

        var get = await b.Client.GetAsync($"/v1/bots/{id}");
        var list = await (await b.Client.GetAsync("/v1/bots")).ReadJsonAsync(HttpStatusCode.OK);
        var put = await b.Client.PutAsync($"/v1/bots/{id}", ApiRequests.Json(new { name = "hijacked" }));
        var delete = await b.Client.DeleteAsync($"/v1/bots/{id}");

        await ProblemAssert.IsProblemAsync(get, HttpStatusCode.NotFound);
        Assert.Empty(list.Ids());
        await ProblemAssert.IsProblemAsync(put, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(delete, HttpStatusCode.NotFound);
        var mine = await (await a.Client.GetAsync($"/v1/bots/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("A's bot", mine.GetProperty("definition").GetProperty("name").GetString());
        Assert.Equal(1, mine.GetProperty("version").GetInt32());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Delete_returns_204_then_404(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var id = await (await tenant.Client.PostAsync("/v1/bots", ApiRequests.Json(new { name = "Temp" }))).CreatedIdAsync();

        var delete = await tenant.Client.DeleteAsync($"/v1/bots/{id}");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await ProblemAssert.IsProblemAsync(await tenant.Client.GetAsync($"/v1/bots/{id}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await tenant.Client.DeleteAsync($"/v1/bots/{id}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task List_pages_with_limit_and_cursor_newest_first(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var created = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            created.Add(await (await tenant.Client.PostAsync("/v1/bots", ApiRequests.Json(new { name = $"bot {i}" }))).CreatedIdAsync());
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await (await tenant.Client.GetAsync("/v1/bots?limit=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"))).ReadJsonAsync(HttpStatusCode.OK);
            Assert.True(page.Ids().Count <= 2);
            seen.AddRange(page.Ids());
            cursor = page.TryGetProperty("nextCursor", out var next) && next.ValueKind == System.Text.Json.JsonValueKind.String ? next.GetString() : null;
            pages++;
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(created.Order(), seen.Order());
        Assert.Equal(5, seen.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task List_with_limit_out_of_range_returns_400_naming_limit(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.GetAsync("/v1/bots?limit=0"), "limit");
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.GetAsync("/v1/bots?limit=201"), "limit");
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.GetAsync("/v1/bots?limit=ten"), "limit");
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.GetAsync("/v1/bots?limit=200")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task List_with_foreign_cursor_returns_400_with_code(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var problem = await ProblemAssert.IsProblemAsync(await tenant.Client.GetAsync("/v1/bots?cursor=%21%21"), HttpStatusCode.BadRequest);

        Assert.Equal("invalid_cursor", problem.GetProperty("code").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Create_with_invalid_values_returns_400_per_field_and_writes_nothing(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var empty = await tenant.Client.PostAsync("/v1/bots", ApiRequests.Json(new { name = "" }));
        var longName = await tenant.Client.PostAsync("/v1/bots", ApiRequests.Json(new { name = new string('x', 201) }));
        var nested = await tenant.Client.PostAsync("/v1/bots", ApiRequests.Json(new
        {
            name = "ok",
            limits = new { maxDurationSeconds = 0 },
            tools = new object[] { new { name = "crm", type = "http" }, new { name = "x", type = "teleport" } },
        }));

        Assert.Contains("empty", await ProblemAssert.IsValidationProblemAsync(empty, "name"), StringComparison.Ordinal);
        Assert.Contains("200", await ProblemAssert.IsValidationProblemAsync(longName, "name"), StringComparison.Ordinal);
        await ProblemAssert.IsValidationProblemAsync(nested, "limits.maxDurationSeconds");
        await ProblemAssert.IsValidationProblemAsync(nested, "tools[0].url");
        await ProblemAssert.IsValidationProblemAsync(nested, "tools[1].type");
        Assert.Equal(0, await host.CountAsync("bots"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Transfer_targets_and_keypad_actions_are_checked_per_field_and_a_valid_set_is_kept(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var invalid = await tenant.Client.PostAsync("/v1/bots", ApiRequests.Json(new
        {
            name = "ok",
            tools = new object[] { new { name = "handoff", type = "transfer_call", destination = "the front desk" } },
            dtmfActions = new object[]
            {
                new { digit = "0", reply = "Transferring you.", transferTo = "sip:op@pbx.example.com\r\nX-Injected: yes" },
                new { digit = "0", reply = "Again." },
                new { digit = "12", reply = "Two keys." },
                new { digit = "9", reply = "", endsCall = true },
                new { digit = "8", reply = "Both.", endsCall = true, transferTo = "+14155550777" },
            },
        }));
        await ProblemAssert.IsValidationProblemAsync(invalid, "tools[0].destination");
        await ProblemAssert.IsValidationProblemAsync(invalid, "dtmfActions[0].transferTo");
        await ProblemAssert.IsValidationProblemAsync(invalid, "dtmfActions[1].digit");
        await ProblemAssert.IsValidationProblemAsync(invalid, "dtmfActions[2].digit");
        await ProblemAssert.IsValidationProblemAsync(invalid, "dtmfActions[3].reply");
        await ProblemAssert.IsValidationProblemAsync(invalid, "dtmfActions[4].endsCall");
        Assert.Equal(0, await host.CountAsync("bots"));

        var valid = await tenant.Client.PostAsync("/v1/bots", ApiRequests.Json(new
        {
            name = "ok",
            tools = new object[] { new { name = "handoff", type = "transfer_call", destination = "sip:desk@pbx.example.com" } },
            dtmfActions = new object[] { new { digit = "0", reply = "Transferring you to an operator.", transferTo = "+14155550777" }, new { digit = "#", reply = "Goodbye.", endsCall = true } },
        }));
        Assert.Equal(System.Net.HttpStatusCode.Created, valid.StatusCode);
        var created = System.Text.Json.JsonDocument.Parse(await valid.Content.ReadAsStringAsync()).RootElement;
        var action = created.GetProperty("definition").GetProperty("dtmfActions")[0];
        Assert.Equal("+14155550777", action.GetProperty("transferTo").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task An_http_tool_the_egress_policy_refuses_is_400_on_create_and_replace(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        object Bot(string url) => new
        {
            name = "crm",
            tools = new object[] { new { name = "handoff", type = "end_call" }, new { name = "lookup", type = "http", url } },
        };

        var refused = await tenant.Client.PostAsync("/v1/bots", ApiRequests.Json(Bot("http://169.254.169.254/latest/meta-data/iam")));
        Assert.Contains("link-local", await ProblemAssert.IsValidationProblemAsync(refused, "tools[1].url"), StringComparison.Ordinal);
        Assert.Equal(0, await host.CountAsync("bots"));

        var created = await tenant.Client.PostAsync("/v1/bots", ApiRequests.Json(Bot("http://127.0.0.1:9/crm")));
        var id = await created.CreatedIdAsync();
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PutAsync($"/v1/bots/{id}", ApiRequests.Json(Bot("http://[fe80::1]/crm"))), "tools[1].url");
        var fetched = await (await tenant.Client.GetAsync($"/v1/bots/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, fetched.GetProperty("version").GetInt32());
        Assert.Equal("http://127.0.0.1:9/crm", fetched.GetProperty("definition").GetProperty("tools")[1].GetProperty("url").GetString());
    }
}
