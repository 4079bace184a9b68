using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vox.Gateway.Api.Http;
using Vox.Gateway.Tests.Support;
using Vox.Grains.Idempotency;
using Vox.Testing;

namespace Vox.Gateway.Tests.Api.Http;

public sealed class IdempotencyFilterTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Retry_with_same_key_replays_response_and_creates_one_bot(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var first = await tenant.Client.SendAsync(Post("/v1/bots", """{"name":"Once"}""", "create-once-1"));
        var firstBody = await first.Content.ReadAsStringAsync();
        var retry = await tenant.Client.SendAsync(Post("/v1/bots", """{"name":"Once"}""", "create-once-1"));
        var retryBody = await retry.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains(IdempotentReplayResult.Header));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues(IdempotentReplayResult.Header).Single());
        Assert.Equal(firstBody, retryBody);
        Assert.Equal(1, await host.CountAsync("bots"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Same_key_with_different_body_returns_422_and_creates_nothing_more(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        await tenant.Client.SendAsync(Post("/v1/bots", """{"name":"First"}""", "k-422"));

        var response = await tenant.Client.SendAsync(Post("/v1/bots", """{"name":"Second"}""", "k-422"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("idempotency_key_reused", problem.GetProperty("code").GetString());
        Assert.Equal(1, await host.CountAsync("bots"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Same_key_while_first_still_runs_returns_409(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        const string body = """{"name":"Slow"}""";
        // A request with this key and body has claimed it and not finished (another silo, say).
        var claim = await host.Services.GetRequiredService<IIdempotencyStore>().TryBeginAsync(
            tenant.Id, "k-busy", IdempotencyFilter.Fingerprint("POST", new PathString("/v1/bots"), Encoding.UTF8.GetBytes(body)), CancellationToken.None);
        Assert.Equal(IdempotencyStatus.Started, claim.Status);

        var response = await tenant.Client.SendAsync(Post("/v1/bots", body, "k-busy"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Conflict);
        Assert.Equal("idempotency_in_progress", problem.GetProperty("code").GetString());
        Assert.Equal(0, await host.CountAsync("bots"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Same_key_from_another_tenant_runs_independently(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var a = await host.CreateTenantAsync("A");
        var b = await host.CreateTenantAsync("B");

        var fromA = await (await a.Client.SendAsync(Post("/v1/bots", """{"name":"Same"}""", "shared"))).CreatedIdAsync();
        var fromB = await (await b.Client.SendAsync(Post("/v1/bots", """{"name":"Same"}""", "shared"))).CreatedIdAsync();

        Assert.NotEqual(fromA, fromB);
        Assert.Equal(2, await host.CountAsync("bots"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Rejected_body_releases_the_key_for_a_corrected_retry(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var invalid = await tenant.Client.SendAsync(Post("/v1/bots", """{"name":""}""", "fix-me"));
        var corrected = await tenant.Client.SendAsync(Post("/v1/bots", """{"name":"Fixed"}""", "fix-me"));

        await ProblemAssert.IsValidationProblemAsync(invalid, "name");
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.Equal(1, await host.CountAsync("bots"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Invalid_key_header_returns_400_naming_the_header(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var tooLong = await tenant.Client.SendAsync(Post("/v1/bots", """{"name":"x"}""", new string('k', 256)));
        var control = await tenant.Client.SendAsync(Post("/v1/bots", """{"name":"x"}""", "tab\there"));

        await ProblemAssert.IsValidationProblemAsync(tooLong, "Idempotency-Key");
        await ProblemAssert.IsValidationProblemAsync(control, "Idempotency-Key");
        Assert.Equal(0, await host.CountAsync("bots"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Retried_key_creation_creates_one_key_and_stores_no_secret(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var first = await (await tenant.Client.SendAsync(Post("/v1/api-keys", """{"name":"ci"}""", "key-once"))).ReadJsonAsync(HttpStatusCode.Created);
        var retry = await tenant.Client.SendAsync(Post("/v1/api-keys", """{"name":"ci"}""", "key-once"));

        var problem = await ProblemAssert.IsProblemAsync(retry, HttpStatusCode.Conflict);
        Assert.Equal("idempotent_secret_not_replayed", problem.GetProperty("code").GetString());
        Assert.Equal("true", retry.Headers.GetValues(IdempotentReplayResult.Header).Single());
        Assert.Equal(2, await host.CountAsync("api_keys"));
        var secret = first.GetProperty("key").GetString()![17..];
        var stored = await host.Services.GetRequiredService<Vox.Grains.Store.IGrainStore>().ReadAsync(
            (connection, ct) => Dapper.SqlMapper.QuerySingleAsync<string>(connection, new Dapper.CommandDefinition("SELECT body FROM idempotency_keys", cancellationToken: ct)),
            CancellationToken.None);
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
    }

    private static HttpRequestMessage Post(string path, string json, string idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = ApiRequests.RawJson(json) };
        request.Headers.TryAddWithoutValidation(IdempotencyFilter.Header, idempotencyKey);
        return request;
    }
}
