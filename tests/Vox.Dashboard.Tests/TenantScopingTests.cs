using Microsoft.Playwright;
using Vox.Grains.Calls;
using Vox.Grains.Capacity;

namespace Vox.Dashboard.Tests;

/// <summary>An operator sees only their tenant's bots and calls; fleet pages are for cluster admins.</summary>
[Collection(DashboardCollection.Name)]
public sealed class TenantScopingTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Operator_of_tenant_A_never_sees_tenant_B_bots_or_calls_nor_the_fleet()
    {
        await StartAsync("call_scope_a", fixture.TenantA.Id, "bot_clinic");
        await StartAsync("call_scope_b", fixture.TenantB.Id, "bot_garage");
        var page = await fixture.SignedInPageAsync(fixture.OperatorKeyA);

        await page.WaitForSelectorAsync("body[data-page='live']");
        Assert.False(await page.IsVisibleAsync("nav a[href='/dashboard/fleet']"));
        await page.WaitForSelectorAsync("tr.live-call[data-call-id='call_scope_a']");
        Assert.Equal(0, await page.Locator("tr.live-call[data-call-id='call_scope_b']").CountAsync());

        await page.GotoAsync("/dashboard/bots");
        await page.WaitForSelectorAsync("tr.bot-row[data-bot-id='bot_clinic']");
        Assert.Equal(0, await page.Locator("tr.bot-row[data-bot-id='bot_garage']").CountAsync());

        await page.GotoAsync($"/dashboard/calls?tenantId={fixture.TenantB.Id}");
        await page.WaitForSelectorAsync("tr.call-row[data-call-id='call_scope_a']");
        Assert.Equal(0, await page.Locator("tr.call-row[data-call-id='call_scope_b']").CountAsync());

        await page.GotoAsync("/dashboard/fleet");
        await page.WaitForSelectorAsync("p.error:text('for cluster admins')");

        var api = page.APIRequest;
        Assert.Equal(403, (await api.GetAsync("/dashboard/api/fleet")).Status);
        Assert.Equal(404, (await api.GetAsync("/dashboard/api/calls/call_scope_b")).Status);
        Assert.Equal(404, (await api.GetAsync("/dashboard/api/calls/call_scope_b/recording")).Status);
        Assert.Equal(404, (await api.GetAsync("/dashboard/api/bots/bot_garage")).Status);
        Assert.Equal(404, (await api.GetAsync($"/dashboard/api/bots/bot_garage?tenantId={fixture.TenantB.Id}")).Status);
        var calls = await (await api.GetAsync($"/dashboard/api/calls?tenantId={fixture.TenantB.Id}&limit=200")).TextAsync();
        Assert.Contains("call_scope_a", calls, StringComparison.Ordinal);
        Assert.DoesNotContain("call_scope_b", calls, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.TenantB.Id, calls, StringComparison.Ordinal);
        Assert.Equal(403, (await api.PostAsync("/dashboard/api/calls/call_scope_a/hangup")).Status);
    }

    [Fact]
    public async Task Configured_user_of_tenant_B_signs_in_with_password_and_sees_only_B()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/dashboard/login");
        await page.ClickAsync("details summary");
        await page.FillAsync("#username", DashboardFixture.UserName);
        await page.FillAsync("#password", DashboardFixture.UserPassword);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("body[data-page='live']");
        await page.GotoAsync("/dashboard/bots");
        await page.WaitForSelectorAsync("tr.bot-row[data-bot-id='bot_garage']");
        Assert.Equal(0, await page.Locator("tr.bot-row[data-bot-id='bot_clinic']").CountAsync());
        Assert.Equal(403, (await page.APIRequest.GetAsync("/dashboard/api/fleet")).Status);
    }

    private Task<CallRecord> StartAsync(string callId, string tenantId, string botId) =>
        fixture.Grains.GetGrain<ICallGrain>(callId).StartAsync(new CallStart(tenantId, botId, CallDirection.Inbound, "vox", "+14155550133", "+14155550144"), CancellationToken.None);
}
