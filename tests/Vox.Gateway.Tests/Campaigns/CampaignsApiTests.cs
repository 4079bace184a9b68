using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Vox.Gateway.Tests.Support;
using Vox.Grains.Campaigns;
using Vox.Testing;

namespace Vox.Gateway.Tests.Campaigns;

public sealed class CampaignsApiTests
{
    private static object Campaign(string botId) => new
    {
        name = "Renewals",
        botId,
        callerId = "+14155550100",
        pacing = new { callsPerMinute = 30, maxConcurrent = 5 },
        retry = new { busy = new { delaySeconds = 120, maxAttempts = 3 }, voicemail = new { delaySeconds = 3600, maxAttempts = 2 } },
        callingWindows = new[] { new { day = "monday", start = "09:00", end = "17:30" } },
    };

    private static HttpContent Csv(string text) => new StringContent(text, Encoding.UTF8, "text/csv");

    private static ChunkedContent Chunked(byte[] bytes)
    {
        var content = new ChunkedContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        return content;
    }

    private static async Task<string> CreateAsync(GatewayTestHost host, TestTenant tenant)
    {
        var botId = await host.CreateBotAsync(tenant.Id);
        return await (await tenant.Client.PostAsync("/v1/campaigns", ApiRequests.Json(Campaign(botId)))).CreatedIdAsync();
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Create_import_start_and_progress_round_trip_and_other_tenants_get_404(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var other = await host.CreateTenantAsync("Other");
        var id = await CreateAsync(host, tenant);

        var import = await (await tenant.Client.PostAsync($"/v1/campaigns/{id}/contacts",
            Csv("phone,name,time_zone,plan\n+33612345678,Ana,Europe/Paris,gold\n+14155550123,Bo,America/Los_Angeles,silver\n+33612345678,Ana M,Europe/Paris,gold\n"))).ReadJsonAsync(HttpStatusCode.OK);
        var started = await (await tenant.Client.PostAsync($"/v1/campaigns/{id}/start", null)).ReadJsonAsync(HttpStatusCode.OK);
        var progress = await (await tenant.Client.GetAsync($"/v1/campaigns/{id}/progress")).ReadJsonAsync(HttpStatusCode.OK);
        var contacts = await (await tenant.Client.GetAsync($"/v1/campaigns/{id}/contacts")).ReadJsonAsync(HttpStatusCode.OK);
        var resumeWhileRunning = await tenant.Client.PostAsync($"/v1/campaigns/{id}/resume", null);

        Assert.Equal((3, 2, 1, 0), (import.GetProperty("rows").GetInt32(), import.GetProperty("added").GetInt32(), import.GetProperty("duplicates").GetInt32(), import.GetProperty("invalid").GetInt32()));
        Assert.Equal("running", started.GetProperty("status").GetString());
        Assert.Equal(2, progress.GetProperty("contacts").GetProperty("pending").GetInt32());
        Assert.Equal(["Ana M", "Bo"], contacts.EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("gold", contacts[0].GetProperty("variables").GetProperty("plan").GetString());
        await ProblemAssert.IsProblemAsync(resumeWhileRunning, HttpStatusCode.Conflict);
        Assert.Equal(1, await host.Services.GetRequiredService<Grains.Cluster.IReminderRegistry>().ListAsync(CancellationToken.None)
            .ContinueWith(t => t.Result.Count(r => r.GrainType == "campaign" && r.GrainKey == id)));

        await ProblemAssert.IsProblemAsync(await other.Client.GetAsync($"/v1/campaigns/{id}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await other.Client.PostAsync($"/v1/campaigns/{id}/contacts", Csv("phone,time_zone\n+33612345670,Europe/Paris\n")), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await other.Client.PostAsync($"/v1/campaigns/{id}/cancel", null), HttpStatusCode.NotFound);
        Assert.Equal(0, (await (await other.Client.GetAsync("/v1/campaigns")).ReadJsonAsync(HttpStatusCode.OK)).GetArrayLength());
        Assert.Equal(2, await host.CountAsync("campaign_contacts"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Create_with_bad_fields_returns_400_naming_each(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var botId = await host.CreateBotAsync(tenant.Id);

        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync("/v1/campaigns", ApiRequests.Json(new { name = "x", botId })), "pacing");
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync("/v1/campaigns",
            ApiRequests.Json(new { name = "x", botId, pacing = new { callsPerMinute = 0, maxConcurrent = 5 } })), "pacing.callsPerMinute");
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync("/v1/campaigns",
            ApiRequests.Json(new { name = "x", botId, callerId = "0612", pacing = new { callsPerMinute = 5, maxConcurrent = 5 } })), "callerId");
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync("/v1/campaigns",
            ApiRequests.Json(new { name = "x", botId, pacing = new { callsPerMinute = 5, maxConcurrent = 5 }, callingWindows = new[] { new { day = "funday", start = "09:00", end = "17:00" } } })), "callingWindows[0].day");
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync("/v1/campaigns",
            ApiRequests.Json(new { name = "x", botId, pacing = new { callsPerMinute = 5, maxConcurrent = 5 }, callingWindows = new[] { new { day = "monday", start = "18:00", end = "09:00" } } })), "callingWindows[0].end");
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync("/v1/campaigns",
            ApiRequests.Json(new { name = "x", botId, pacing = new { callsPerMinute = 5, maxConcurrent = 5 }, retry = new { busy = new { delaySeconds = 10, maxAttempts = 0 } } })), "retry.busy.maxAttempts");
        var missingBot = await tenant.Client.PostAsync("/v1/campaigns", ApiRequests.Json(new { name = "x", botId = "bot_nope", pacing = new { callsPerMinute = 5, maxConcurrent = 5 } }));
        await ProblemAssert.IsProblemAsync(missingBot, HttpStatusCode.NotFound);
        Assert.Equal(0, await host.CountAsync("campaigns"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Import_with_invalid_rows_rejects_the_whole_file_unless_skipInvalid(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var id = await CreateAsync(host, tenant);
        const string csv = "phone,time_zone,name\n+33612345678,Europe/Paris,Ana\n0612345678,Europe/Paris,Bad\n+33612345679,Nowhere/Land,Zed\n+33612345680,Europe/Paris,Cy\n";

        var rejected = await ProblemAssert.IsProblemAsync(await tenant.Client.PostAsync($"/v1/campaigns/{id}/contacts", Csv(csv)), HttpStatusCode.BadRequest);
        Assert.Equal(0, await host.CountAsync("campaign_contacts"));
        var skipped = await (await tenant.Client.PostAsync($"/v1/campaigns/{id}/contacts?skipInvalid=true", Csv(csv))).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal([(3, "phone"), (4, "time_zone")], rejected.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("row").GetInt32(), r.GetProperty("field").GetString())));
        Assert.Equal("invalid_rows", rejected.GetProperty("code").GetString());
        Assert.Equal((2, 2), (skipped.GetProperty("added").GetInt32(), skipped.GetProperty("invalid").GetInt32()));
        Assert.Equal(2, await host.CountAsync("campaign_contacts"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Import_with_missing_column_or_wrong_encoding_returns_400_and_imports_nothing(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var id = await CreateAsync(host, tenant);

        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync($"/v1/campaigns/{id}/contacts", Csv("phone,name\n+33612345678,Ana\n")), "time_zone");
        var latin1 = new ByteArrayContent(Encoding.Latin1.GetBytes("phone,name,time_zone\n+33612345678,Zo\u00e9,Europe/Paris\n"));
        var encoding = await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync($"/v1/campaigns/{id}/contacts", latin1), "file");
        Assert.Contains("UTF-8", encoding, StringComparison.Ordinal);
        Assert.Equal(0, await host.CountAsync("campaign_contacts"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Import_over_the_size_cap_returns_413_declared_or_streamed_and_imports_nothing(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect, s => s.Configure<CampaignOptions>(o => o.MaxImportBytes = 4_096));
        var tenant = await host.CreateTenantAsync("Acme");
        var id = await CreateAsync(host, tenant);
        var csv = new StringBuilder("phone,time_zone\n");
        for (var i = 0; i < 400; i++)
        {
            csv.Append(FormattableString.Invariant($"+336{i:D8},Europe/Paris\n"));
        }

        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        await ProblemAssert.IsProblemAsync(await tenant.Client.PostAsync($"/v1/campaigns/{id}/contacts", new ByteArrayContent(bytes)), HttpStatusCode.RequestEntityTooLarge);
        await ProblemAssert.IsProblemAsync(await tenant.Client.PostAsync($"/v1/campaigns/{id}/contacts", Chunked(bytes)), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(0, await host.CountAsync("campaign_contacts"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Do_not_call_list_adds_lists_removes_and_is_per_tenant(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var other = await host.CreateTenantAsync("Other");

        var added = await (await tenant.Client.PostAsync("/v1/do-not-call", ApiRequests.Json(new { phones = new[] { "+33612345678", "+14155550123", "+33612345678" } }))).ReadJsonAsync(HttpStatusCode.OK);
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync("/v1/do-not-call", ApiRequests.Json(new { phones = new[] { "+33612345678", "0612" } })), "phones[1]");
        var listed = await (await tenant.Client.GetAsync("/v1/do-not-call")).ReadJsonAsync(HttpStatusCode.OK);
        var otherListed = await (await other.Client.GetAsync("/v1/do-not-call")).ReadJsonAsync(HttpStatusCode.OK);
        var removed = await tenant.Client.DeleteAsync("/v1/do-not-call/%2B14155550123");
        var otherRemoved = await other.Client.DeleteAsync("/v1/do-not-call/%2B33612345678");

        Assert.Equal(2, added.GetProperty("added").GetInt32());
        Assert.Equal(["+14155550123", "+33612345678"], listed.GetProperty("phones").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(0, otherListed.GetProperty("phones").GetArrayLength());
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        await ProblemAssert.IsProblemAsync(otherRemoved, HttpStatusCode.NotFound);
        Assert.Equal(1, await host.CountAsync("do_not_call"));
    }
}
