using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Vox.Gateway.Tests.Support;
using Vox.Grains.Secrets;
using Vox.Testing;

namespace Vox.Gateway.Tests.Api;

public sealed class KnowledgeAndProviderKeysApiTests
{
    private static Task<GatewayTestHost> StartAsync(string dialect) => GatewayTestHost.StartAsync(dialect,
        services => services.Configure<SecretsOptions>(o => o.Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Provider_keys_are_stored_and_never_returned_or_logged(string dialect)
    {
        await using var host = await StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var put = await tenant.Client.PutAsync("/v1/provider-keys/openai", ApiRequests.Json(new { value = "sk-SECRET-api-test" }));
        var list = await tenant.Client.GetStringAsync("/v1/provider-keys");
        var bad = await tenant.Client.PutAsync("/v1/provider-keys/Bad%20Name", ApiRequests.Json(new { value = "x" }));

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.DoesNotContain("sk-SECRET-api-test", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("\"openai\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-SECRET-api-test", list, StringComparison.Ordinal);
        await ProblemAssert.IsValidationProblemAsync(bad, "name");
        Assert.DoesNotContain(host.Logs.Lines, l => l.Contains("sk-SECRET-api-test", StringComparison.Ordinal));
        var secrets = host.Services.GetRequiredService<ITenantSecrets>();
        Assert.Equal("sk-SECRET-api-test", (await secrets.RevealAsync(tenant.Id, CancellationToken.None)).Get("openai"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Markdown_upload_is_searchable_and_another_tenant_gets_404(string dialect)
    {
        await using var host = await StartAsync(dialect);
        var a = await host.CreateTenantAsync("A");
        var b = await host.CreateTenantAsync("B");
        var kb = await (await a.Client.PostAsync("/v1/knowledge-bases", ApiRequests.Json(new { name = "Shop" }))).ReadJsonAsync(HttpStatusCode.Created);
        var id = kb.GetProperty("id").GetString()!;
        var markdown = new StringContent("# Shop\n\n## Opening hours\nWe open at nine on Saturday.\n\n## Returns\nReturns within 30 days with a receipt.");
        markdown.Headers.ContentType = new MediaTypeHeaderValue("text/markdown");

        var doc = await (await a.Client.PostAsync($"/v1/knowledge-bases/{id}/documents?name=guide.md", markdown)).ReadJsonAsync(HttpStatusCode.Created);
        var hits = await (await a.Client.GetAsync($"/v1/knowledge-bases/{id}/search?q=when%20do%20you%20open%20on%20saturday")).ReadJsonAsync(HttpStatusCode.OK);
        var pdf = new ByteArrayContent([1, 2, 3]);
        pdf.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        var unsupported = await a.Client.PostAsync($"/v1/knowledge-bases/{id}/documents?name=x.pdf", pdf);
        var otherSearch = await b.Client.GetAsync($"/v1/knowledge-bases/{id}/search?q=saturday");

        Assert.Equal(2, doc.GetProperty("chunks").GetInt32());
        Assert.Equal("Shop > Opening hours", hits[0].GetProperty("heading").GetString());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, unsupported.StatusCode);
        await ProblemAssert.IsProblemAsync(otherSearch, HttpStatusCode.NotFound);
    }
}
