using System.Net;
using System.Text;
using Vox.Gateway.Tests.Support;
using Vox.Testing;

namespace Vox.Gateway.Tests.Api.Http;

public sealed class JsonBodyTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Malformed_json_returns_400_naming_the_line_and_writes_nothing(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var response = await tenant.Client.PostAsync("/v1/bots", ApiRequests.RawJson("{\n  \"name\": \"x\",\n  \"systemPrompt\": oops\n}"));

        var message = await ProblemAssert.IsValidationProblemAsync(response, "body");
        Assert.Contains("line 3", message, StringComparison.Ordinal);
        Assert.Equal(0, await host.CountAsync("bots"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Unknown_field_returns_400_naming_the_field_and_writes_nothing(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var top = await tenant.Client.PostAsync("/v1/bots", ApiRequests.RawJson("""{"name":"x","prompt":"typo"}"""));
        var nested = await tenant.Client.PostAsync("/v1/bots", ApiRequests.RawJson("""{"name":"x","stt":{"provider":"offline","langauge":"en"}}"""));

        await ProblemAssert.IsValidationProblemAsync(top, "prompt");
        await ProblemAssert.IsValidationProblemAsync(nested, "stt.langauge");
        Assert.Equal(0, await host.CountAsync("bots"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Missing_required_field_returns_400_naming_the_field_and_writes_nothing(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var bot = await tenant.Client.PostAsync("/v1/bots", ApiRequests.RawJson("""{"systemPrompt":"no name"}"""));
        var tool = await tenant.Client.PostAsync("/v1/bots", ApiRequests.RawJson("""{"name":"x","tools":[{"name":"bye"}]}"""));
        var number = await tenant.Client.PostAsync("/v1/phone-numbers", ApiRequests.RawJson("""{"label":"no number"}"""));

        Assert.Contains("required", await ProblemAssert.IsValidationProblemAsync(bot, "name"), StringComparison.Ordinal);
        await ProblemAssert.IsValidationProblemAsync(tool, "tools[0].type");
        await ProblemAssert.IsValidationProblemAsync(number, "number");
        Assert.Equal(0, await host.CountAsync("bots"));
        Assert.Equal(0, await host.CountAsync("phone_numbers"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Wrong_value_type_returns_400_naming_the_field(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var response = await tenant.Client.PostAsync("/v1/bots", ApiRequests.RawJson("""{"name":"x","limits":{"maxDurationSeconds":"long"}}"""));

        await ProblemAssert.IsValidationProblemAsync(response, "limits.maxDurationSeconds");
        Assert.Equal(0, await host.CountAsync("bots"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Oversize_body_returns_400_stating_the_limit_and_writes_nothing(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var json = Encoding.UTF8.GetBytes($$"""{"name":"big","systemPrompt":"{{new string('a', 300 * 1024)}}"}""");

        var withLength = await tenant.Client.PostAsync("/v1/bots", new ByteArrayContent(json) { Headers = { { "Content-Type", "application/json" } } });
        var chunked = await tenant.Client.PostAsync("/v1/bots", new ChunkedContent(json));

        Assert.Contains("256 KiB", await ProblemAssert.IsValidationProblemAsync(withLength, "body"), StringComparison.Ordinal);
        Assert.Contains("256 KiB", await ProblemAssert.IsValidationProblemAsync(chunked, "body"), StringComparison.Ordinal);
        Assert.Equal(0, await host.CountAsync("bots"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Body_just_under_the_limit_is_accepted(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var json = $$$"""{"name":"big","metadata":{"notes":"{{{new string('a', 262_000)}}}"}}""";
        Assert.True(json.Length is > 261_000 and < 256 * 1024);

        var response = await tenant.Client.PostAsync("/v1/bots", ApiRequests.RawJson(json));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Wrong_content_type_returns_415_and_writes_nothing(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var response = await tenant.Client.PostAsync("/v1/bots", new StringContent("""{"name":"x"}""", Encoding.UTF8, "text/plain"));

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("unsupported_media_type", problem.GetProperty("code").GetString());
        Assert.Equal(0, await host.CountAsync("bots"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Null_or_empty_body_returns_400(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync("/v1/bots", ApiRequests.RawJson("null")), "body");
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync("/v1/bots", ApiRequests.RawJson("")), "body");
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync("/v1/bots", ApiRequests.RawJson("""{"name":"x","tools":null}""")), "tools");
        Assert.Equal(0, await host.CountAsync("bots"));
    }
}
