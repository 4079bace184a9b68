using System.Net;
using Vox.Gateway.Tests.Support;
using Vox.Testing;

namespace Vox.Gateway.Tests.Api;

public sealed class PhoneNumbersApiTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Create_get_replace_and_delete_round_trip(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var botId = await host.CreateBotAsync(tenant.Id);
        Assert.Equal(HttpStatusCode.Created, (await tenant.Client.PostAsync("/v1/sip-trunks", ApiRequests.Json(new { name = "carrier-a", address = "sip.carrier.example" }))).StatusCode);

        var response = await tenant.Client.PostAsync("/v1/phone-numbers", ApiRequests.Json(new { number = "+14155550123", botId, label = "Main line" }));
        var id = await response.CreatedIdAsync();
        var fetched = await (await tenant.Client.GetAsync($"/v1/phone-numbers/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        var replaced = await (await tenant.Client.PutAsync($"/v1/phone-numbers/{id}", ApiRequests.Json(new { number = "+14155550124", trunk = "carrier-a" }))).ReadJsonAsync(HttpStatusCode.OK);
        var listed = await (await tenant.Client.GetAsync("/v1/phone-numbers")).ReadJsonAsync(HttpStatusCode.OK);
        var delete = await tenant.Client.DeleteAsync($"/v1/phone-numbers/{id}");

        Assert.Equal($"/v1/phone-numbers/{id}", response.Headers.Location?.ToString());
        Assert.Equal(botId, fetched.GetProperty("botId").GetString());
        Assert.Equal("+14155550124", replaced.GetProperty("number").GetString());
        Assert.False(replaced.TryGetProperty("botId", out _));
        Assert.Equal([id], listed.Ids());
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(0, await host.CountAsync("phone_numbers"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Create_with_invalid_e164_returns_400_naming_number_and_writes_nothing(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        foreach (var bad in new[] { "4155550123", "+0123456789", "+1 415 555", "+1234567890123456", "" })
        {
            var response = await tenant.Client.PostAsync("/v1/phone-numbers", ApiRequests.Json(new { number = bad }));
            Assert.Contains("E.164", await ProblemAssert.IsValidationProblemAsync(response, "number"), StringComparison.Ordinal);
        }

        Assert.Equal(0, await host.CountAsync("phone_numbers"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Create_with_number_of_another_tenant_returns_409(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var a = await host.CreateTenantAsync("A");
        var b = await host.CreateTenantAsync("B");
        await (await a.Client.PostAsync("/v1/phone-numbers", ApiRequests.Json(new { number = "+442071234567" }))).CreatedIdAsync();

        var response = await b.Client.PostAsync("/v1/phone-numbers", ApiRequests.Json(new { number = "+442071234567" }));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("number", problem.GetProperty("field").GetString());
        Assert.Equal("number_taken", problem.GetProperty("code").GetString());
        Assert.Equal(1, await host.CountAsync("phone_numbers"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Create_with_bot_of_another_tenant_returns_404_naming_botId(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var a = await host.CreateTenantAsync("A");
        var b = await host.CreateTenantAsync("B");
        var botOfA = await host.CreateBotAsync(a.Id);

        var response = await b.Client.PostAsync("/v1/phone-numbers", ApiRequests.Json(new { number = "+14155550123", botId = botOfA }));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal("botId", problem.GetProperty("field").GetString());
        Assert.Equal(0, await host.CountAsync("phone_numbers"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Other_tenants_number_is_404_to_get_list_replace_and_delete(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var a = await host.CreateTenantAsync("A");
        var b = await host.CreateTenantAsync("B");
        var id = await (await a.Client.PostAsync("/v1/phone-numbers", ApiRequests.Json(new { number = "+14155550123", label = "A" }))).CreatedIdAsync();

        await ProblemAssert.IsProblemAsync(await b.Client.GetAsync($"/v1/phone-numbers/{id}"), HttpStatusCode.NotFound);
        Assert.Empty((await (await b.Client.GetAsync("/v1/phone-numbers")).ReadJsonAsync(HttpStatusCode.OK)).Ids());
        await ProblemAssert.IsProblemAsync(await b.Client.PutAsync($"/v1/phone-numbers/{id}", ApiRequests.Json(new { number = "+14155550123", label = "B" })), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await b.Client.DeleteAsync($"/v1/phone-numbers/{id}"), HttpStatusCode.NotFound);

        var mine = await (await a.Client.GetAsync($"/v1/phone-numbers/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("A", mine.GetProperty("label").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task A_trunk_the_tenant_does_not_have_is_400_naming_trunk_and_writes_nothing(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var a = await host.CreateTenantAsync("A");
        var b = await host.CreateTenantAsync("B");
        Assert.Equal(HttpStatusCode.Created, (await a.Client.PostAsync("/v1/sip-trunks", ApiRequests.Json(new { name = "pbx", address = "pbx.a.example" }))).StatusCode);

        // A typo, or another tenant's trunk: either would leave the number's inbound calls unguarded by any AllowedSources.
        Assert.Contains("pbx", await ProblemAssert.IsValidationProblemAsync(
            await a.Client.PostAsync("/v1/phone-numbers", ApiRequests.Json(new { number = "+14155550123", trunk = "pxb" })), "trunk"), StringComparison.Ordinal);
        await ProblemAssert.IsValidationProblemAsync(await b.Client.PostAsync("/v1/phone-numbers", ApiRequests.Json(new { number = "+14155550123", trunk = "pbx" })), "trunk");
        Assert.Equal(0, await host.CountAsync("phone_numbers"));

        var id = await (await a.Client.PostAsync("/v1/phone-numbers", ApiRequests.Json(new { number = "+14155550123", trunk = "pbx" }))).CreatedIdAsync();
        await ProblemAssert.IsValidationProblemAsync(await a.Client.PutAsync($"/v1/phone-numbers/{id}", ApiRequests.Json(new { number = "+14155550123", trunk = "gone" })), "trunk");
        Assert.Equal("pbx", (await (await a.Client.GetAsync($"/v1/phone-numbers/{id}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("trunk").GetString());
    }
}
