using System.Net;
using Vox.Gateway.Tests.Support;
using Vox.Testing;

namespace Vox.Gateway.Tests.Api;

public sealed class ApiKeysApiTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Create_shows_secret_once_and_list_shows_prefixes_only(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var response = await tenant.Client.PostAsync("/v1/api-keys", ApiRequests.Json(new { name = "deploy" }));
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        var listText = await tenant.Client.GetStringAsync("/v1/api-keys");
        var one = await (await tenant.Client.GetAsync($"/v1/api-keys/{created.GetProperty("id").GetString()}")).ReadJsonAsync(HttpStatusCode.OK);

        var key = created.GetProperty("key").GetString()!;
        Assert.StartsWith(created.GetProperty("prefix").GetString()!, key, StringComparison.Ordinal);
        Assert.False(created.GetProperty("isAdmin").GetBoolean());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains(created.GetProperty("prefix").GetString()!, listText, StringComparison.Ordinal);
        Assert.DoesNotContain(key, listText, StringComparison.Ordinal);
        Assert.DoesNotContain("\"key\"", listText, StringComparison.Ordinal);
        Assert.Equal("deploy", one.GetProperty("name").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Create_with_admin_flag_returns_400_unknown_field(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var before = await host.CountAsync("api_keys");

        var response = await tenant.Client.PostAsync("/v1/api-keys", ApiRequests.RawJson("""{"name":"x","isAdmin":true}"""));

        await ProblemAssert.IsValidationProblemAsync(response, "isAdmin");
        Assert.Equal(before, await host.CountAsync("api_keys"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Other_tenants_key_is_404_to_get_list_and_revoke(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var a = await host.CreateTenantAsync("A");
        var b = await host.CreateTenantAsync("B");

        var revoke = await b.Client.DeleteAsync($"/v1/api-keys/{a.KeyId}");
        var get = await b.Client.GetAsync($"/v1/api-keys/{a.KeyId}");
        var list = await b.Client.GetStringAsync("/v1/api-keys");

        await ProblemAssert.IsProblemAsync(revoke, HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(get, HttpStatusCode.NotFound);
        Assert.DoesNotContain(a.KeyId, list, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await a.Client.GetAsync("/v1/bots")).StatusCode);
    }
}
