using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Vox.Gateway.Tests.Support;
using Vox.Grains.Cluster;
using Vox.Grains.Net;
using Vox.Grains.Store;
using Vox.Grains.Webhooks;
using Vox.Testing;

namespace Vox.Gateway.Tests.Api;

public sealed class WebhooksApiTests
{
    private static Task<GatewayTestHost> StartAsync(string dialect) =>
        // The tests drive the dispatcher themselves.
        GatewayTestHost.StartAsync(dialect, services => services.Configure<WebhookOptions>(o => o.DispatcherEnabled = false));

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Create_get_list_patch_and_delete_round_trip_and_the_secret_is_shown_once(string dialect)
    {
        await using var host = await StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        var response = await tenant.Client.PostAsync("/v1/webhooks", ApiRequests.Json(new { url = "https://crm.example.com/vox", eventTypes = new[] { "call.completed" }, description = "CRM" }));
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetString()!;
        var fetched = await (await tenant.Client.GetAsync($"/v1/webhooks/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        var listed = await (await tenant.Client.GetAsync("/v1/webhooks")).ReadJsonAsync(HttpStatusCode.OK);
        var patched = await (await tenant.Client.PatchAsync($"/v1/webhooks/{id}", ApiRequests.Json(new { enabled = false, description = "" }))).ReadJsonAsync(HttpStatusCode.OK);
        var delete = await tenant.Client.DeleteAsync($"/v1/webhooks/{id}");

        Assert.Equal($"/v1/webhooks/{id}", response.Headers.Location?.ToString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.StartsWith("whk_", id, StringComparison.Ordinal);
        Assert.StartsWith("whsec_", created.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.True(created.GetProperty("enabled").GetBoolean());
        Assert.False(fetched.TryGetProperty("secret", out _));
        Assert.Equal(["call.completed"], fetched.GetProperty("eventTypes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("CRM", fetched.GetProperty("description").GetString());
        Assert.Equal([id], listed.Ids());
        Assert.DoesNotContain("secret", listed.ToString(), StringComparison.Ordinal);
        Assert.False(patched.GetProperty("enabled").GetBoolean());
        Assert.False(patched.TryGetProperty("description", out _));
        Assert.Equal("https://crm.example.com/vox", patched.GetProperty("url").GetString());
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        await ProblemAssert.IsProblemAsync(await tenant.Client.GetAsync($"/v1/webhooks/{id}"), HttpStatusCode.NotFound);
        Assert.Equal(0, await host.CountAsync("webhook_endpoints"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Create_with_a_bad_url_or_event_type_returns_400_naming_the_field_and_writes_nothing(string dialect)
    {
        await using var host = await StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        foreach (var url in new[] { "ftp://crm.example.com/vox", "crm.example.com/vox", "https://user:pass@crm.example.com/vox", "" })
        {
            await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync("/v1/webhooks", ApiRequests.Json(new { url, eventTypes = new[] { "*" } })), "url");
        }

        Assert.Contains("call.started", await ProblemAssert.IsValidationProblemAsync(
            await tenant.Client.PostAsync("/v1/webhooks", ApiRequests.Json(new { url = "https://x.example.com", eventTypes = new[] { "*", "call.exploded" } })), "eventTypes[1]"),
            StringComparison.Ordinal);
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync("/v1/webhooks", ApiRequests.Json(new { url = "https://x.example.com", eventTypes = Array.Empty<string>() })), "eventTypes");
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync("/v1/webhooks", ApiRequests.RawJson("""{"eventTypes":["*"]}""")), "url");
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync("/v1/webhooks", ApiRequests.RawJson("""{"url":"https://x.example.com","eventTypes":["*"],"secret":"mine"}""")), "secret");
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PostAsync("/v1/webhooks", ApiRequests.Json(new { url = "https://x.example.com", eventTypes = new[] { "*" }, description = new string('d', 501) })), "description");
        Assert.Equal(0, await host.CountAsync("webhook_endpoints"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Patch_validates_what_it_changes_and_refuses_an_empty_patch(string dialect)
    {
        await using var host = await StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var id = await (await tenant.Client.PostAsync("/v1/webhooks", ApiRequests.Json(new { url = "https://x.example.com", eventTypes = new[] { "*" } }))).CreatedIdAsync();

        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PatchAsync($"/v1/webhooks/{id}", ApiRequests.RawJson("{}")), "body");
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PatchAsync($"/v1/webhooks/{id}", ApiRequests.Json(new { url = "gopher://x" })), "url");
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PatchAsync($"/v1/webhooks/{id}", ApiRequests.Json(new { eventTypes = new[] { "nope" } })), "eventTypes[0]");
        await ProblemAssert.IsValidationProblemAsync(await tenant.Client.PatchAsync($"/v1/webhooks/{id}", ApiRequests.RawJson("""{"enabled":"yes"}""")), "enabled");

        var fetched = await (await tenant.Client.GetAsync($"/v1/webhooks/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("https://x.example.com", fetched.GetProperty("url").GetString());
        Assert.True(fetched.GetProperty("enabled").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task A_url_the_egress_policy_refuses_is_400_when_saved_and_nothing_changes(string dialect)
    {
        await using var host = await StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        // The cloud metadata service, as an address and as IPv6 link-local: refused whatever the settings.
        var metadata = await ProblemAssert.IsValidationProblemAsync(
            await tenant.Client.PostAsync("/v1/webhooks", ApiRequests.Json(new { url = "http://169.254.169.254/latest/meta-data", eventTypes = new[] { "*" } })), "url");
        Assert.Contains("Refused to connect to 169.254.169.254", metadata, StringComparison.Ordinal);
        Assert.Contains("Egress:AllowedNetworks", metadata, StringComparison.Ordinal);
        Assert.Equal(0, await host.CountAsync("webhook_endpoints"));

        // Loopback is allowed by default (a single-operator install posts to its own services).
        var id = await (await tenant.Client.PostAsync("/v1/webhooks", ApiRequests.Json(new { url = "http://127.0.0.1:9/vox", eventTypes = new[] { "*" } }))).CreatedIdAsync();
        Assert.Contains("link-local", await ProblemAssert.IsValidationProblemAsync(
            await tenant.Client.PatchAsync($"/v1/webhooks/{id}", ApiRequests.Json(new { url = "http://[fe80::1]:8080/vox" })), "url"), StringComparison.Ordinal);
        var fetched = await (await tenant.Client.GetAsync($"/v1/webhooks/{id}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("http://127.0.0.1:9/vox", fetched.GetProperty("url").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task With_private_networks_blocked_loopback_names_and_addresses_are_refused_unless_allowed(string dialect)
    {
        await using var host = await GatewayTestHost.StartAsync(dialect, services =>
        {
            services.Configure<WebhookOptions>(o => o.DispatcherEnabled = false);
            services.Configure<EgressOptions>(o =>
            {
                o.BlockPrivateNetworks = true;
                o.AllowedNetworks = ["127.0.0.2/32"];
            });
        });
        var tenant = await host.CreateTenantAsync("Acme");

        foreach (var url in new[] { "http://127.0.0.1:9/vox", "http://localhost:9/vox", "http://10.1.2.3/vox", "http://[::1]:9/vox" })
        {
            Assert.Contains("Egress:BlockPrivateNetworks", await ProblemAssert.IsValidationProblemAsync(
                await tenant.Client.PostAsync("/v1/webhooks", ApiRequests.Json(new { url, eventTypes = new[] { "*" } })), "url"), StringComparison.Ordinal);
        }

        Assert.Equal(0, await host.CountAsync("webhook_endpoints"));
        var allowed = await tenant.Client.PostAsync("/v1/webhooks", ApiRequests.Json(new { url = "http://127.0.0.2:9/vox", eventTypes = new[] { "*" } }));
        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Other_tenants_webhook_and_deliveries_are_404(string dialect)
    {
        await using var host = await StartAsync(dialect);
        var a = await host.CreateTenantAsync("A");
        var b = await host.CreateTenantAsync("B");
        var id = await (await a.Client.PostAsync("/v1/webhooks", ApiRequests.Json(new { url = "https://a.example.com", eventTypes = new[] { "*" } }))).CreatedIdAsync();
        await host.StartCallAsync(a.Id, await host.CreateBotAsync(a.Id));
        var deliveryId = (await (await a.Client.GetAsync($"/v1/webhooks/{id}/deliveries")).ReadJsonAsync(HttpStatusCode.OK)).Ids().Single();

        await ProblemAssert.IsProblemAsync(await b.Client.GetAsync($"/v1/webhooks/{id}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await b.Client.PatchAsync($"/v1/webhooks/{id}", ApiRequests.Json(new { enabled = false })), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await b.Client.DeleteAsync($"/v1/webhooks/{id}"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await b.Client.GetAsync($"/v1/webhooks/{id}/deliveries"), HttpStatusCode.NotFound);
        await ProblemAssert.IsProblemAsync(await b.Client.PostAsync($"/v1/webhooks/deliveries/{deliveryId}/redeliver", null), HttpStatusCode.NotFound);
        Assert.Empty((await (await b.Client.GetAsync("/v1/webhooks")).ReadJsonAsync(HttpStatusCode.OK)).Ids());
        Assert.True((await (await a.Client.GetAsync($"/v1/webhooks/{id}")).ReadJsonAsync(HttpStatusCode.OK)).GetProperty("enabled").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Dead_letters_are_listed_and_a_redelivered_one_is_sent_once_more_then_refused(string dialect)
    {
        await using var host = await StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var id = await (await tenant.Client.PostAsync("/v1/webhooks", ApiRequests.Json(new { url = "https://crm.example.com/vox", eventTypes = new[] { "call.started" } }))).CreatedIdAsync();
        await host.StartCallAsync(tenant.Id, await host.CreateBotAsync(tenant.Id));
        using var receiver = new StatusReceiver { Status = HttpStatusCode.ServiceUnavailable };
        var dispatcher = Dispatcher(host, receiver, maxAttempts: 1);

        Assert.Equal(1, await dispatcher.RunOnceAsync(CancellationToken.None));
        var dead = await (await tenant.Client.GetAsync($"/v1/webhooks/{id}/deliveries?status=dead")).ReadJsonAsync(HttpStatusCode.OK);
        var pending = await (await tenant.Client.GetAsync($"/v1/webhooks/{id}/deliveries?status=pending")).ReadJsonAsync(HttpStatusCode.OK);
        var letter = dead.GetProperty("items").EnumerateArray().Single();
        var deliveryId = letter.GetProperty("id").GetString()!;
        Assert.Empty(pending.Ids());
        Assert.Equal(("dead", 1, 503, "call.started", id), (letter.GetProperty("status").GetString(), letter.GetProperty("attempts").GetInt32(),
            letter.GetProperty("lastStatusCode").GetInt32(), letter.GetProperty("eventType").GetString(), letter.GetProperty("webhookId").GetString()));
        Assert.Contains("503", letter.GetProperty("lastError").GetString(), StringComparison.Ordinal);

        receiver.Status = HttpStatusCode.NoContent;
        var requeued = await (await tenant.Client.PostAsync($"/v1/webhooks/deliveries/{deliveryId}/redeliver", null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("pending", 0), (requeued.GetProperty("status").GetString(), requeued.GetProperty("attempts").GetInt32()));
        Assert.Equal(1, await dispatcher.RunOnceAsync(CancellationToken.None));
        var delivered = await (await tenant.Client.GetAsync($"/v1/webhooks/{id}/deliveries?status=delivered")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([deliveryId], delivered.Ids());
        var again = await ProblemAssert.IsProblemAsync(await tenant.Client.PostAsync($"/v1/webhooks/deliveries/{deliveryId}/redeliver", null), HttpStatusCode.Conflict);
        Assert.Equal("already_delivered", again.GetProperty("code").GetString());
        var eventId = letter.GetProperty("eventId").GetString()!;
        Assert.Equal([eventId, eventId], receiver.EventIds);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Deliveries_listing_refuses_an_unknown_status_and_pages(string dialect)
    {
        await using var host = await StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");
        var id = await (await tenant.Client.PostAsync("/v1/webhooks", ApiRequests.Json(new { url = "https://crm.example.com/vox", eventTypes = new[] { "*" } }))).CreatedIdAsync();
        var bot = await host.CreateBotAsync(tenant.Id);
        for (var i = 0; i < 3; i++)
        {
            await host.StartCallAsync(tenant.Id, bot);
        }

        Assert.Contains("dead", await ProblemAssert.IsValidationProblemAsync(await tenant.Client.GetAsync($"/v1/webhooks/{id}/deliveries?status=lost"), "status"), StringComparison.Ordinal);
        var first = await (await tenant.Client.GetAsync($"/v1/webhooks/{id}/deliveries?limit=2")).ReadJsonAsync(HttpStatusCode.OK);
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await (await tenant.Client.GetAsync($"/v1/webhooks/{id}/deliveries?limit=2&cursor={cursor}")).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, first.Ids().Concat(second.Ids()).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Create_retried_with_the_same_idempotency_key_does_not_replay_the_secret(string dialect)
    {
        await using var host = await StartAsync(dialect);
        var tenant = await host.CreateTenantAsync("Acme");

        HttpRequestMessage Request() => new(HttpMethod.Post, "/v1/webhooks")
        {
            Content = ApiRequests.Json(new { url = "https://crm.example.com/vox", eventTypes = new[] { "*" } }),
            Headers = { { "Idempotency-Key", "create-crm-hook" } },
        };

        var first = await (await tenant.Client.SendAsync(Request())).ReadJsonAsync(HttpStatusCode.Created);
        var retry = await tenant.Client.SendAsync(Request());

        Assert.StartsWith("whsec_", first.GetProperty("secret").GetString(), StringComparison.Ordinal);
        var problem = await ProblemAssert.IsProblemAsync(retry, HttpStatusCode.Conflict);
        Assert.Equal("idempotent_secret_not_replayed", problem.GetProperty("code").GetString());
        Assert.Equal(1, await host.CountAsync("webhook_endpoints"));
        Assert.Equal(0, await host.CountAsync($"idempotency_keys WHERE body LIKE '%{first.GetProperty("secret").GetString()}%'"));
    }

    private static WebhookDispatcher Dispatcher(GatewayTestHost host, IHttpClientFactory http, int maxAttempts) =>
        new(host.Services.GetRequiredService<IGrainStore>(), http, new SiloIdentity(),
            Options.Create(new WebhookOptions { MaxAttempts = maxAttempts, InitialBackoffMs = 100, MaxBackoffMs = 100 }), TimeProvider.System, NullLogger<WebhookDispatcher>.Instance,
            host.Services.GetRequiredService<Vox.Grains.Secrets.SecretCipher>());

    private sealed class StatusReceiver : HttpMessageHandler, IHttpClientFactory
    {
        private readonly List<string> _eventIds = [];

        public HttpStatusCode Status { get; set; } = HttpStatusCode.OK;

        public IReadOnlyList<string> EventIds
        {
            get
            {
                lock (_eventIds)
                {
                    return [.. _eventIds];
                }
            }
        }

        public HttpClient CreateClient(string name) => new(this, disposeHandler: false);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (_eventIds)
            {
                _eventIds.Add(request.Headers.GetValues("Vox-Event-Id").Single());
            }

            return Task.FromResult(new HttpResponseMessage(Status));
        }
    }
}
