using Vox.Grains.Webhooks;
using Vox.Testing;

namespace Vox.Grains.Tests.Webhooks;

public sealed class WebhookCatalogTests
{
    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Create_returns_a_secret_once_and_lists_never_show_it(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        var created = await bed.Catalog.CreateAsync(bed.Tenant, new WebhookEndpointInput
        {
            Url = "https://hooks.example.com/vox", EventTypes = [WebhookEventTypes.CallCompleted, WebhookEventTypes.CallCompleted], Description = "CRM",
        }, CancellationToken.None);

        Assert.StartsWith("whsec_", created.Secret, StringComparison.Ordinal);
        Assert.True(created.Secret.Length >= 40);
        Assert.Equal([WebhookEventTypes.CallCompleted], created.Endpoint.EventTypes);
        Assert.True(created.Endpoint.Enabled);
        var fetched = await bed.Catalog.GetAsync(bed.Tenant, created.Endpoint.Id, CancellationToken.None);
        Assert.Equal(created.Endpoint with { EventTypes = fetched.EventTypes }, fetched);
        Assert.Equal([created.Endpoint.Id], (await bed.Catalog.ListAsync(bed.Tenant, 50, null, CancellationToken.None)).Items.Select(e => e.Id));
        var other = await bed.Catalog.CreateAsync(bed.Tenant, new WebhookEndpointInput { Url = "https://hooks.example.com/2", EventTypes = ["*"] }, CancellationToken.None);
        Assert.NotEqual(created.Secret, other.Secret);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Update_changes_only_the_fields_given(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        var id = (await bed.EndpointAsync("https://hooks.example.com/a", [WebhookEventTypes.CallStarted])).Endpoint.Id;
        await bed.Catalog.UpdateAsync(bed.Tenant, id, new WebhookEndpointPatch { Description = "first" }, CancellationToken.None);

        var paused = await bed.Catalog.UpdateAsync(bed.Tenant, id, new WebhookEndpointPatch { Enabled = false }, CancellationToken.None);
        var moved = await bed.Catalog.UpdateAsync(bed.Tenant, id, new WebhookEndpointPatch { Url = "http://hooks.example.com/b", EventTypes = ["*"], Description = "" }, CancellationToken.None);

        Assert.Equal((false, "https://hooks.example.com/a", "first"), (paused.Enabled, paused.Url, paused.Description));
        Assert.Equal((false, "http://hooks.example.com/b", (string?)null), (moved.Enabled, moved.Url, moved.Description));
        Assert.Equal(["*"], moved.EventTypes);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Another_tenants_endpoint_is_not_found(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        var id = (await bed.EndpointAsync("https://hooks.example.com/a")).Endpoint.Id;
        var stranger = await bed.Ctx.CreateTenantAsync();

        await Assert.ThrowsAsync<NotFoundException>(() => bed.Catalog.GetAsync(stranger, id, CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => bed.Catalog.UpdateAsync(stranger, id, new WebhookEndpointPatch { Enabled = false }, CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => bed.Catalog.DeleteAsync(stranger, id, CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => bed.Deliveries.ListAsync(stranger, id, null, 50, null, CancellationToken.None));
        Assert.Empty((await bed.Catalog.ListAsync(stranger, 50, null, CancellationToken.None)).Items);
        Assert.True((await bed.Catalog.GetAsync(bed.Tenant, id, CancellationToken.None)).Enabled);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Delete_removes_the_endpoint_and_its_queued_deliveries(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        var id = (await bed.EndpointAsync("https://hooks.example.com/a")).Endpoint.Id;
        await bed.StartCallAsync("call_1");
        Assert.Equal(1, await bed.Ctx.CountAsync("webhook_deliveries"));

        await bed.Catalog.DeleteAsync(bed.Tenant, id, CancellationToken.None);

        Assert.Equal(0, await bed.Ctx.CountAsync("webhook_deliveries"));
        Assert.Equal(0, await bed.Dispatcher().RunOnceAsync(CancellationToken.None));
        await Assert.ThrowsAsync<NotFoundException>(() => bed.Catalog.GetAsync(bed.Tenant, id, CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task Invalid_url_or_event_type_is_refused(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        foreach (var url in new[] { "ftp://example.com/x", "/relative", "https://user:pw@example.com/x", "https://example.com/x#frag", "" })
        {
            var ex = await Assert.ThrowsAsync<VoxException>(() => bed.Catalog.CreateAsync(bed.Tenant, new WebhookEndpointInput { Url = url, EventTypes = ["*"] }, CancellationToken.None));
            Assert.Equal("invalid_url", ex.Code);
        }

        var types = await Assert.ThrowsAsync<VoxException>(() => bed.Catalog.CreateAsync(bed.Tenant, new WebhookEndpointInput { Url = "https://example.com", EventTypes = ["call.exploded"] }, CancellationToken.None));
        Assert.Equal("invalid_event_types", types.Code);
        Assert.Equal(0, await bed.Ctx.CountAsync("webhook_endpoints"));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Dialects), MemberType = typeof(TestDatabases))]
    public async Task A_tenant_may_have_at_most_the_endpoint_cap(string dialect)
    {
        await using var bed = await WebhookTestBed.CreateAsync(dialect);
        await Task.WhenAll(Enumerable.Range(0, WebhookCatalog.MaxEndpointsPerTenant + 5).Select(i => Task.Run(async () =>
        {
            try
            {
                await bed.Catalog.CreateAsync(bed.Tenant, new WebhookEndpointInput { Url = $"https://example.com/{i}", EventTypes = ["*"] }, CancellationToken.None);
            }
            catch (ConflictException ex) when (ex.Code == "webhook_limit")
            {
            }
        })));

        Assert.Equal(WebhookCatalog.MaxEndpointsPerTenant, await bed.Ctx.CountAsync("webhook_endpoints"));
    }
}
