using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Vox.Gateway.Tests.Support;
using Vox.Grains.Secrets;
using Vox.Testing;

namespace Vox.Gateway.Tests.Api;

/// <summary><c>/v1/sip-trunks</c>: a tenant's own trunks, the password write-only, fields checked one by one, tenants apart.</summary>
public sealed class SipTrunksApiTests
{
    private static Task<GatewayTestHost> StartAsync(string dialect) =>
        GatewayTestHost.StartAsync(dialect, services => services.Configure<SecretsOptions>(o => o.Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));

    private static object Trunk(string name = "telnyx", string address = "sip.telnyx.example:5060", string? password = "Digest-Pa55") => new
    {
        name, address, transport = "udp", allowedSources = new[] { "192.0.2.0/24" }, username = "acme", password,
    };

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Create_get_list_replace_and_delete_never_show_the_password(string dialect)
    {
        await using var host = await StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var response = await tenant.Client.PostAsync("/v1/sip-trunks", ApiRequests.Json(Trunk()));
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        var fetched = await (await tenant.Client.GetAsync($"/v1/sip-trunks/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        var listed = await (await tenant.Client.GetAsync("/v1/sip-trunks")).ReadJsonAsync(HttpStatusCode.OK);
        var replaced = await (await tenant.Client.PutAsync($"/v1/sip-trunks/{id}", ApiRequests.Json(Trunk(address: "198.51.100.20:5070", password: null))))
            .ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal($"/v1/sip-trunks/{id}", response.Headers.Location?.ToString());
        Assert.True(created.GetProperty("hasPassword").GetBoolean());
        Assert.Equal("telnyx", fetched.GetProperty("name").GetString());
        Assert.Equal(["192.0.2.0/24"], fetched.GetProperty("allowedSources").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([id], listed.Ids());
        Assert.Equal("198.51.100.20:5070", replaced.GetProperty("address").GetString());
        Assert.True(replaced.GetProperty("hasPassword").GetBoolean(), "a password left out is kept");
        foreach (var body in new[] { created, fetched, listed, replaced })
        {
            Assert.DoesNotContain("Digest-Pa55", body.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("tenantId", body.ToString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("Digest-Pa55", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.NoContent, (await tenant.Client.DeleteAsync($"/v1/sip-trunks/{id}")).StatusCode);
        Assert.Equal(0, await host.CountAsync("sip_trunks"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Bad_fields_are_400_each_by_name_a_taken_name_409_and_nothing_is_written(string dialect)
    {
        await using var host = await StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var bad = await tenant.Client.PostAsync("/v1/sip-trunks", ApiRequests.Json(new
        {
            name = "has space", address = "carrier:99999", transport = "sctp", domain = "bad domain", allowedSources = new[] { "10.0.0.0/8", "nope" }, password = "x",
        }));
        foreach (var field in new[] { "name", "address", "transport", "domain", "allowedSources[1]", "password" })
        {
            await ProblemAssert.IsValidationProblemAsync(bad, field);
        }

        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync("/v1/sip-trunks", ApiRequests.RawJson("""{"name":"x","address":"h","secret":1}""")), "secret");
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync("/v1/sip-trunks", ApiRequests.RawJson("""{"name":"x","address":""")), "body");
        // The cloud metadata address is never a place to send SIP.
        Assert.Contains("169.254.169.254", await ProblemAssert.IsValidationProblemAsync(
            await tenant.Client.PostAsync("/v1/sip-trunks", ApiRequests.Json(Trunk(address: "169.254.169.254:5060"))), "address"), StringComparison.Ordinal);
        Assert.Equal(0, await host.CountAsync("sip_trunks"));

        Assert.Equal(HttpStatusCode.Created, (await tenant.Client.PostAsync("/v1/sip-trunks", ApiRequests.Json(Trunk()))).StatusCode);
        var taken = await ProblemAssert.IsProblemAsync(await tenant.Client.PostAsync("/v1/sip-trunks", ApiRequests.Json(Trunk())), HttpStatusCode.Conflict);
        Assert.Equal("trunk_name_taken", taken.GetProperty("code").GetString());
        Assert.Equal(1, await host.CountAsync("sip_trunks"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Another_tenants_trunk_is_404_and_calls_may_only_name_the_tenants_own(string dialect)
    {
        await using var host = await StartAsync(dialect);
        var a = await host.CreateTenantAsync("A");
        var b = await host.CreateTenantAsync("B");
        var id = await (await a.Client.PostAsync("/v1/sip-trunks", ApiRequests.Json(Trunk()))).CreatedIdAsync();

        await ProblemAssert.IsProblemAsync(await b.Client.GetAsync($"/v1/sip-trunks/{id}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await b.Client.PutAsync($"/v1/sip-trunks/{id}", ApiRequests.Json(Trunk())), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await b.Client.DeleteAsync($"/v1/sip-trunks/{id}"), HttpStatusCode.NotFound);
        Assert.Empty((await (await b.Client.GetAsync("/v1/sip-trunks")).ReadJsonAsync(HttpStatusCode.OK)).Ids());

        // B cannot place a call or make a campaign through A's trunk: the name is unknown to B.
        var botB = await host.CreateBotAsync(b.Id);
        Assert.Contains("No SIP trunk", await ProblemAssert.IsValidationProblemAsync(
            await b.Client.PostAsync("/v1/calls", ApiRequests.Json(new { botId = botB, to = "+14155550100", trunk = "telnyx" })), "trunk"), StringComparison.Ordinal);
        Assert.Contains("No SIP trunk", await ProblemAssert.IsValidationProblemAsync(
            await b.Client.PostAsync("/v1/campaigns", ApiRequests.Json(new { name = "c", botId = botB, trunk = "telnyx", pacing = new { callsPerMinute = 10, maxConcurrent = 2 } })), "trunk"),
            StringComparison.Ordinal);
        Assert.Equal(1, await host.CountAsync("sip_trunks"));
    }
}
