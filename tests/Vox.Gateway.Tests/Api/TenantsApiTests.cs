using System.Net;
using Vox.Gateway.Tests.Support;
using Vox.Testing;

namespace Vox.Gateway.Tests.Api;

public sealed class TenantsApiTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Tenants_with_non_admin_key_returns_403_and_creates_nothing(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var before = await host.CountAsync("tenants");

        var list = await tenant.Client.GetAsync("/v1/tenants");
        var create = await tenant.Client.PostAsync("/v1/tenants", ApiRequests.Json(new { name = "Evil" }));
        var key = await tenant.Client.PostAsync($"/v1/tenants/{tenant.Id}/api-keys", ApiRequests.Json(new { name = "root", isAdmin = true }));

        await ProblemAssert.IsProblemAsync(list, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(create, HttpStatusCode.Forbidden);
        await ProblemAssert.IsProblemAsync(key, HttpStatusCode.Forbidden);
        Assert.Equal(before, await host.CountAsync("tenants"));
        Assert.Equal(1, await host.CountAsync("api_keys"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Tenants_without_key_returns_401(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);

        await ProblemAssert.IsProblemAsync(await host.CreateClient().GetAsync("/v1/tenants"), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Tenants_admin_creates_caps_and_issues_a_scoped_key(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var admin = await host.CreateTenantAsync("Operator", admin: true);

        var tenantId = await (await admin.Client.PostAsync("/v1/tenants", ApiRequests.Json(new { name = "Customer", maxConcurrentCalls = 5 }))).CreatedIdAsync();
        var patched = await (await admin.Client.PatchAsync($"/v1/tenants/{tenantId}", ApiRequests.Json(new { maxConcurrentCalls = 9 }))).ReadJsonAsync(HttpStatusCode.OK);
        var fetched = await (await admin.Client.GetAsync($"/v1/tenants/{tenantId}")).ReadJsonAsync(HttpStatusCode.OK);
        var listed = await (await admin.Client.GetAsync("/v1/tenants")).ReadJsonAsync(HttpStatusCode.OK);
        var key = await (await admin.Client.PostAsync($"/v1/tenants/{tenantId}/api-keys", ApiRequests.Json(new { name = "customer key" }))).ReadJsonAsync(HttpStatusCode.Created);

        Assert.Equal(9, patched.GetProperty("maxConcurrentCalls").GetInt32());
        Assert.Equal("Customer", fetched.GetProperty("name").GetString());
        Assert.Contains(tenantId, listed.Ids());
        Assert.Equal(tenantId, key.GetProperty("tenantId").GetString());
        var customer = host.CreateClient(key.GetProperty("key").GetString());
        var botId = await (await customer.PostAsync("/v1/bots", ApiRequests.Json(new { name = "Support" }))).CreatedIdAsync();
        await ProblemAssert.IsProblemAsync(await admin.Client.GetAsync($"/v1/bots/{botId}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await customer.GetAsync("/v1/tenants"), HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Tenants_invalid_name_or_cap_returns_400_and_creates_nothing(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var admin = await host.CreateTenantAsync("Operator", admin: true);
        var before = await host.CountAsync("tenants");

        var empty = await admin.Client.PostAsync("/v1/tenants", ApiRequests.Json(new { name = " " }));
        var negative = await admin.Client.PostAsync("/v1/tenants", ApiRequests.Json(new { name = "X", maxConcurrentCalls = -1 }));
        var emptyPatch = await admin.Client.PatchAsync($"/v1/tenants/{admin.Id}", ApiRequests.RawJson("{}"));

        await ProblemAssert.IsValidationProblemAsync(empty, "name");
        await ProblemAssert.IsValidationProblemAsync(negative, "maxConcurrentCalls");
        await ProblemAssert.IsValidationProblemAsync(emptyPatch, "maxConcurrentCalls");
        Assert.Equal(before, await host.CountAsync("tenants"));
    }
}
