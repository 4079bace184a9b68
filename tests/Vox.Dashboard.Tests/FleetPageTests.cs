using Microsoft.Playwright;
using Vox.Testing;

namespace Vox.Dashboard.Tests;

/// <summary>Signing in and the fleet page of a cluster admin.</summary>
[Collection(DashboardCollection.Name)]
public sealed class FleetPageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Admin_login_with_api_key_lands_on_fleet_showing_the_running_worker()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/dashboard/");
        await page.WaitForSelectorAsync("body[data-page='login']");
        Assert.Contains("/dashboard/login", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#api-key", fixture.AdminKey);
        await page.ClickAsync("button[type=submit]");

        await page.WaitForSelectorAsync("body[data-page='fleet']");
        var worker = page.Locator("#hosts tr.worker");
        Assert.Equal(1, await worker.CountAsync());
        Assert.Contains("local-0", await worker.First.TextContentAsync() ?? "", StringComparison.Ordinal);
        Assert.Equal("1", await page.TextContentAsync("#slots-total"));
        Assert.Equal(1, await page.Locator("#silos tbody tr").CountAsync());
        Assert.Contains("active", await page.TextContentAsync("#silos tbody tr") ?? "", StringComparison.Ordinal);

        var cookies = await page.Context.CookiesAsync();
        var session = Assert.Single(cookies, c => c.Name == "vox_dashboard");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
    }

    [Fact]
    public async Task Fleet_page_lists_the_orleans_silo_and_links_the_orleans_dashboard_that_only_admins_open()
    {
        var anonymous = await fixture.NewPageAsync();
        Assert.Equal(401, (await anonymous.APIRequest.GetAsync("/dashboard/orleans/")).Status);
        var operatorPage = await fixture.SignedInPageAsync(fixture.OperatorKeyA);
        Assert.Equal(403, (await operatorPage.APIRequest.GetAsync("/dashboard/orleans/")).Status);

        var page = await fixture.SignedInPageAsync(fixture.AdminKey);
        await page.GotoAsync("/dashboard/fleet");
        await page.WaitForSelectorAsync("#orleans-silos tbody tr");
        Assert.Equal(1, await page.Locator("#orleans-silos tbody tr").CountAsync());
        Assert.Contains("active", await page.TextContentAsync("#orleans-silos tbody tr") ?? "", StringComparison.Ordinal);
        var link = await page.GetAttributeAsync("#orleans-dashboard", "href");
        Assert.Equal("/dashboard/orleans/", link);
        var dashboard = await page.APIRequest.GetAsync(link!);
        Assert.Equal(200, dashboard.Status);
        Assert.Contains("Orleans", await dashboard.TextAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Login_with_a_wrong_key_stays_on_login_with_an_error()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/dashboard/login");
        await page.FillAsync("#api-key", "vox_0000_not-a-key");
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("#login-error:text('unknown or revoked')");
        Assert.Equal(0, (await page.Context.CookiesAsync()).Count(c => c.Name == "vox_dashboard"));
    }

    [Fact]
    public async Task Session_of_a_revoked_api_key_ends_within_the_revalidation_period()
    {
        var created = await fixture.Tenants.CreateApiKeyAsync(fixture.TenantA.Id, "short-lived", false, CancellationToken.None);
        var page = await fixture.SignedInPageAsync(created.Key);
        Assert.Equal(200, (await page.APIRequest.GetAsync("/dashboard/api/calls")).Status);

        await fixture.Tenants.RevokeApiKeyAsync(fixture.TenantA.Id, created.Info.Id, CancellationToken.None);
        await Eventually.WaitForAsync(async () => (await page.APIRequest.GetAsync("/dashboard/api/calls")).Status == 401,
            TimeSpan.FromSeconds(15), "the revoked key's session is refused");
        await page.GotoAsync("/dashboard/live");
        await page.WaitForSelectorAsync("body[data-page='login']");
    }

    [Fact]
    public async Task State_changing_request_without_antiforgery_token_is_refused()
    {
        var page = await fixture.SignedInPageAsync(fixture.AdminKey);
        var response = await page.APIRequest.PostAsync("/dashboard/api/calls/call_none/hangup");
        Assert.Equal(400, response.Status);
        Assert.Equal(404, (await page.APIRequest.GetAsync("/dashboard/api/no-such-endpoint")).Status);
    }
}
