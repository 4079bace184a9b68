using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Vox.Gateway.Tests.Support;
using Vox.Grains.Store;
using Vox.Testing;

namespace Vox.Gateway.Tests.Api.Authentication;

public sealed class ApiKeyAuthenticationHandlerTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Request_without_key_returns_401_with_challenge(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);

        var response = await host.CreateClient().GetAsync("/v1/bots");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("missing_api_key", problem.GetProperty("code").GetString());
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Request_with_unknown_key_returns_401_with_invalid_token_challenge(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        // Same shape and prefix as a real key, wrong secret: the hash check must fail, not just the prefix lookup.
        var forged = tenant.Key[..17] + new string('A', tenant.Key.Length - 17);

        var bearer = await host.CreateClient(forged).GetAsync("/v1/bots");
        var garbage = await host.CreateClient("not-a-key").GetAsync("/v1/bots");

        var problem = await ProblemAssert.IsProblemAsync(bearer, HttpStatusCode.Unauthorized);
        Assert.Equal("invalid_api_key", problem.GetProperty("code").GetString());
        Assert.Contains("invalid_token", bearer.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await ProblemAssert.IsProblemAsync(garbage, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Request_with_revoked_key_returns_401(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var second = await host.Directory.CreateApiKeyAsync(tenant.Id, "second", false, CancellationToken.None);
        var secondClient = host.CreateClient(second.Key);
        Assert.Equal(HttpStatusCode.OK, (await secondClient.GetAsync("/v1/bots")).StatusCode);

        var revoke = await tenant.Client.DeleteAsync($"/v1/api-keys/{second.Info.Id}");

        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        await ProblemAssert.IsProblemAsync(await secondClient.GetAsync("/v1/bots"), HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.OK, (await tenant.Client.GetAsync("/v1/bots")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Request_with_x_api_key_header_is_authenticated(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", tenant.Key);

        var response = await client.GetAsync("/v1/bots");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Created_key_is_stored_hashed_and_never_logged(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var created = await (await tenant.Client.PostAsync("/v1/api-keys", ApiRequests.Json(new { name = "ci" }))).ReadJsonAsync(HttpStatusCode.Created);
        var key = created.GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await host.CreateClient(key).GetAsync("/v1/bots")).StatusCode);

        var secret = key[17..];
        var rows = await host.Services.GetRequiredService<IGrainStore>().ReadAsync(
            async (connection, ct) => (await connection.QueryAsync(new CommandDefinition("SELECT * FROM api_keys", cancellationToken: ct)))
                .Cast<IDictionary<string, object?>>().ToList(), CancellationToken.None);
        Assert.Equal(2, rows.Count);
        foreach (var value in rows.SelectMany(r => r.Values))
        {
            var text = value switch
            {
                byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes) + Convert.ToBase64String(bytes) + Convert.ToHexString(bytes),
                _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
            };
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(tenant.Key[17..], text, StringComparison.OrdinalIgnoreCase);
        }

        await host.CreateClient(key + "x").GetAsync("/v1/bots");
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal) || l.Contains(tenant.Key[17..], StringComparison.Ordinal));
    }
}
