using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using Vox.Grains;
using Vox.Grains.Bots;
using Vox.Grains.Capacity;
using Vox.Grains.Internal;
using Vox.Grains.Store;
using Vox.Grains.Tenants;
using Vox.Testing;

namespace Vox.Dashboard.Tests;

/// <summary>
/// One real silo with one local worker on a fresh SQLite store, two tenants with a bot each, an admin and two operator
/// keys, and Debian's Chromium driven by Playwright. Shared by every dashboard test (see <see cref="DashboardCollection"/>).
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>The browser Debian's <c>chromium</c> package installs (scripts/install-test-deps.sh).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    public const string ClusterToken = "dashboard-cluster-token";

    public const string UserName = "operator-b";

    public const string UserPassword = "dashboard-password-b";

    private HttpClient? _http;

    public SiloProcess Silo { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public IGrainFactory Grains { get; private set; } = null!;

    /// <summary>Tenants and keys, straight on the silo's store.</summary>
    public ITenantDirectory Tenants { get; private set; } = null!;

    public Tenant TenantA { get; private set; } = null!;

    public Tenant TenantB { get; private set; } = null!;

    public string AdminKey { get; private set; } = "";

    public string OperatorKeyA { get; private set; } = "";

    public string OperatorKeyB { get; private set; } = "";

    public string Url => Silo.Url;

    /// <summary>Where screenshots are kept as test artefacts.</summary>
    public static string Screenshots { get; } = Path.Combine(RepoPaths.Root, "artifacts", "test-results", "screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium is missing at {ChromiumPath}: run scripts/install-test-deps.sh (it installs Debian's chromium package).");
        }

        var (store, options) = await TestDatabases.NewMigratedStoreAsync("sqlite");
        var tenants = new TenantDirectory(store, NullLogger<TenantDirectory>.Instance);
        Tenants = tenants;
        AdminKey = (await tenants.EnsureBootstrapAsync(CancellationToken.None))!.Key;
        TenantA = await tenants.CreateTenantAsync("Clinic A", null, CancellationToken.None);
        TenantB = await tenants.CreateTenantAsync("Garage B", null, CancellationToken.None);
        OperatorKeyA = (await tenants.CreateApiKeyAsync(TenantA.Id, "operator", false, CancellationToken.None)).Key;
        OperatorKeyB = (await tenants.CreateApiKeyAsync(TenantB.Id, "operator", false, CancellationToken.None)).Key;

        Silo = await SiloProcess.StartAsync(new Dictionary<string, string>
        {
            ["Storage:Invariant"] = options.Invariant,
            ["Storage:ConnectionString"] = options.ConnectionString,
            ["Cluster:Token"] = ClusterToken,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Fleet:LocalWorkers"] = "1",
            ["Fleet:LocalWorkerBasePort"] = "0",
            ["Dashboard:RevalidateSeconds"] = "5",
            ["Dashboard:Users:0:Username"] = UserName,
            ["Dashboard:Users:0:Password"] = UserPassword,
            ["Dashboard:Users:0:TenantId"] = TenantB.Id,
            ["Dashboard:Prices:offline.tts_characters"] = "0.00002",
            ["Orleans:Dashboard"] = "true",
        });
        _http = new HttpClient { BaseAddress = new Uri(Silo.Url), Timeout = TimeSpan.FromSeconds(60) };
        Grains = new HttpGrainFactory(new ClusterHttpClient(_http, ClusterToken));
        await Grains.GetGrain<IBotGrain>("bot_clinic").CreateAsync(TenantA.Id, Bots.Receptionist, CancellationToken.None);
        await Grains.GetGrain<IBotGrain>("bot_garage").CreateAsync(TenantB.Id, Bots.Garage, CancellationToken.None);
        await Eventually.WaitForAsync(async () => (await Grains.GetGrain<ICapacityGrain>("default").GetSnapshotAsync(CancellationToken.None)).Idle == 1,
            TimeSpan.FromSeconds(90), "the local worker registers");

        Directory.CreateDirectory(Screenshots);
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--mute-audio"],
        });
    }

    /// <summary>A fresh browser context (its own cookies) at <paramref name="width"/> x <paramref name="height"/>.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 800)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height }, BaseURL = Url });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>A page signed in through the login form with <paramref name="apiKey"/>.</summary>
    public async Task<IPage> SignedInPageAsync(string apiKey, int width = 1280, int height = 800)
    {
        var page = await NewPageAsync(width, height);
        await page.GotoAsync("/dashboard/login");
        await page.FillAsync("#api-key", apiKey);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("#nav:not([hidden])");
        return page;
    }

    /// <summary>Keeps a screenshot of the whole page as a test artefact.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
        if (Silo is not null)
        {
            await Silo.DisposeAsync();
        }

        _http?.Dispose();
    }
}
